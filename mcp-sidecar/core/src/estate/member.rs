//! One enrolled server: its settings, its client once built, its live state, and the
//! background work that logs it in and brings it back after a failure.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use tokio::sync::watch;
use tokio::time::Instant;

use super::{Admission, EstateSettings, Failure, Health, Password, Phase};
use crate::ServerId;
use crate::client::{ClientSettings, Credentials, Deadline, ManagementClient};
use crate::error::ApiError;
use crate::fanout::Unavailable;
use crate::server_state::{Retry, ServerState, classify};

/// One enrolled server: its settings, its client once built, and its live state.
pub struct Member {
    /// The server's id.
    pub server_id: ServerId,
    /// Its friendly name.
    pub label: String,
    /// Its address.
    pub base_url: String,
    /// The user it logs in as.
    pub username: Option<String>,
    /// Where the credentials came from.
    pub source: String,
    pub(super) ca_certificate: Option<PathBuf>,
    pub(super) client: OnceLock<ManagementClient>,
    pub(super) health: watch::Sender<Health>,
    pub(super) retrying: AtomicBool,
    pub(super) retired: AtomicBool,
    pub(super) settings: EstateSettings,
}

impl fmt::Debug for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Member")
            .field("server_id", &self.server_id)
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("health", &*self.health.borrow())
            .finish_non_exhaustive()
    }
}

impl Member {
    /// The server's live state now.
    pub fn health(&self) -> Health {
        self.health.borrow().clone()
    }

    /// The client, once the password was found and the address accepted.
    pub fn client(&self) -> Option<&ManagementClient> {
        self.client.get()
    }

    /// Records the outcome of a call to this server by the state its error leaves
    /// it in ([`classify`]): a failure that may pass marks it down and starts
    /// background retries; one only the user can fix parks it; any answer (even a
    /// rejected query) proves it up.
    pub fn record(self: &Arc<Self>, outcome: Result<(), &ApiError>) {
        let error = match outcome {
            Ok(()) => return self.health.send_modify(|h| h.succeeded(Utc::now())),
            Err(error) => error,
        };
        match classify(error).retry() {
            Retry::Backoff => {
                self.health.send_modify(|h| {
                    h.failed(
                        Failure::of(error),
                        Instant::now(),
                        Utc::now(),
                        &self.settings.backoff,
                    );
                });
                self.clone().spawn_recovery();
            }
            Retry::WhenChanged => self
                .health
                .send_modify(|h| h.refused(Failure::of(error), Some(Utc::now()))),
            Retry::Ask => self.health.send_modify(|h| {
                if !h.is_up() {
                    h.succeeded(Utc::now());
                }
            }),
        }
    }

    /// The client to ask this server with, once its first login has finished (waiting
    /// until `wait` at most), or why it cannot be asked: down or parked (unless
    /// `admission` lets a fresh attempt through), or still connecting.
    pub async fn ready(
        &self,
        wait: Deadline,
        admission: Admission,
    ) -> Result<ManagementClient, Unavailable> {
        let health = self.settled(wait).await;
        match (health.phase, self.client(), admission) {
            (Phase::Up, Some(client), _) => Ok(client.clone()),
            (Phase::Down | Phase::Parked, Some(client), Admission::TryAgain) => Ok(client.clone()),
            _ => Err(health.unavailable()),
        }
    }

    /// Waits until the first login has finished (or `deadline` passes) and returns
    /// the state then.
    pub async fn settled(&self, deadline: Deadline) -> Health {
        let mut receiver = self.health.subscribe();
        let wait = receiver.wait_for(|h| !h.is_connecting());
        match tokio::time::timeout_at(deadline.instant(), wait).await {
            Ok(Ok(health)) => health.clone(),
            _ => self.health(),
        }
    }

    /// Stops background work for a member that was replaced or removed.
    pub(super) fn retire(&self) {
        self.retired.store(true, Ordering::SeqCst);
    }

    /// Starts the background retry loop unless one is running.
    fn spawn_recovery(self: Arc<Self>) {
        if self.retrying.swap(true, Ordering::SeqCst) {
            return;
        }
        tokio::spawn(async move {
            self.recover().await;
            self.retrying.store(false, Ordering::SeqCst);
        });
    }

    /// Retries the login after each backoff until it succeeds, the credentials are
    /// refused, or the member is retired.
    async fn recover(self: &Arc<Self>) {
        loop {
            let wait = {
                let health = self.health.borrow();
                if health.phase != Phase::Down {
                    return;
                }
                health.retry_in(Instant::now()).unwrap_or_default()
            };
            tokio::time::sleep(wait).await;
            if self.retired.load(Ordering::SeqCst) {
                return;
            }
            let Some(client) = self.client() else { return };
            let deadline = Deadline::after(self.settings.client.request_timeout);
            match client.login(deadline).await {
                Ok(_) => {
                    tracing::info!(server_id = %self.server_id, "server answers again; it rejoins");
                    self.health.send_modify(|h| h.succeeded(Utc::now()));
                    return;
                }
                Err(error) if classify(&error).retry() == Retry::Backoff => {
                    tracing::debug!(server_id = %self.server_id, kind = error.kind(), "retry failed");
                    self.health.send_modify(|h| {
                        h.failed(
                            Failure::of(&error),
                            Instant::now(),
                            Utc::now(),
                            &self.settings.backoff,
                        );
                    });
                }
                Err(error) => {
                    tracing::warn!(server_id = %self.server_id, kind = error.kind(), "login refused: {error}");
                    self.health
                        .send_modify(|h| h.refused(Failure::of(&error), Some(Utc::now())));
                    return;
                }
            }
        }
    }

    /// The first login: resolves the password, builds the client, logs in, and
    /// hands over to the retry loop when the server does not answer.
    pub(super) async fn start(self: Arc<Self>, password: Password) {
        let password = match password {
            Password::Given(secret) => Ok(Some(secret)),
            Password::Lookup(lookup) => tokio::task::spawn_blocking(lookup)
                .await
                .unwrap_or_else(|_| Err("the password lookup stopped unexpectedly".to_owned())),
        };
        let password = match password {
            Ok(Some(password)) => password,
            Ok(None) => {
                return self.park(
                    "no_credentials",
                    ServerState::NoPassword,
                    format!(
                        "No password is saved for {id}. Run `novabackup-mcp login --server-id {id}` \
                         (or add the server in the companion app), or call connect_server.",
                        id = self.server_id
                    ),
                );
            }
            Err(message) => {
                return self.park("keychain_unavailable", ServerState::NoPassword, message);
            }
        };
        let Some(username) = self.username.clone() else {
            return self.park(
                "no_credentials",
                ServerState::NoPassword,
                format!(
                    "No user name is saved for {id}. Run `novabackup-mcp login --server-id {id}`, \
                     or call connect_server.",
                    id = self.server_id
                ),
            );
        };
        let client_settings = ClientSettings {
            ca_certificate: self.ca_certificate.clone(),
            ..self.settings.client.clone()
        };
        // Building a client sets up TLS (trust roots, a CA file): CPU and file work
        // kept off the threads that answer the MCP client.
        let base_url = self.base_url.clone();
        let built = tokio::task::spawn_blocking(move || {
            ManagementClient::new(
                &base_url,
                Credentials::new(username, password),
                &client_settings,
            )
        })
        .await;
        let client = match built {
            Ok(Ok(client)) => client,
            Ok(Err(error)) => {
                return self.park(error.kind(), classify(&error), error.to_string());
            }
            Err(_) => {
                return self.park(
                    "internal",
                    ServerState::Other,
                    "Setting up the connection to this server stopped unexpectedly; restart the MCP client.".to_owned(),
                );
            }
        };
        let client = self.client.get_or_init(|| client).clone();
        let deadline = Deadline::after(self.settings.client.request_timeout);
        let outcome = client.login(deadline).await;
        if self.retired.load(Ordering::SeqCst) {
            return;
        }
        match &outcome {
            Ok(_) => tracing::info!(server_id = %self.server_id, "logged in"),
            Err(error) => {
                tracing::warn!(server_id = %self.server_id, kind = error.kind(), "login failed: {error}")
            }
        }
        self.record(outcome.as_ref().map(|_| ()));
    }

    fn park(&self, kind: &str, state: ServerState, message: String) {
        tracing::warn!(server_id = %self.server_id, kind, "server waits for the user: {message}");
        self.health.send_modify(|h| {
            h.refused(
                Failure {
                    kind: kind.to_owned(),
                    message,
                    state,
                },
                None,
            );
        });
    }
}
