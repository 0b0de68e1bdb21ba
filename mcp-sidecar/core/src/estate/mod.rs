//! The estate: every configured Management Server and its live state.
//!
//! Servers are enrolled at start-up (from the profiles file and the credentials
//! sources) and log in in the background, all at once; nothing waits for them unless
//! a call needs them. A server that fails in a way that may pass is marked down,
//! skipped at once by later calls (reported with its error and when it was last
//! tried) and retried in the background with backoff until it answers. A server
//! whose credentials were refused or are missing waits for new ones.

pub mod health;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use chrono::Utc;
use secrecy::SecretString;
use serde_json::Value;
use tokio::sync::watch;
use tokio::time::Instant;

pub use health::{Backoff, Failure, Health, Phase};

use crate::ServerId;
use crate::client::{ClientSettings, Credentials, Deadline, ManagementClient};
use crate::error::ApiError;

/// How the estate talks to servers and retries them.
#[derive(Debug, Clone, Default)]
pub struct EstateSettings {
    /// Time limits and retries of every server's client (`request_timeout` bounds
    /// each login and request).
    pub client: ClientSettings,
    /// The wait between background retries of a server that is down.
    pub backoff: Backoff,
}

/// Where a server's password comes from.
pub enum Password {
    /// Given directly (an MCP elicitation, explicit arguments, a plaintext file).
    Given(SecretString),
    /// Looked up in the background (the OS keychain may block or be locked): the
    /// closure answers the password, `None` when none is stored, or a message saying
    /// why the store could not be read and what to do.
    Lookup(Box<dyn FnOnce() -> Result<Option<SecretString>, String> + Send>),
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Password::Given(_) => f.write_str("Password::Given(<redacted>)"),
            Password::Lookup(_) => f.write_str("Password::Lookup"),
        }
    }
}

/// A server to enrol: its non-secret settings and where its password comes from.
#[derive(Debug)]
pub struct Enrolment {
    /// The server's id.
    pub server_id: ServerId,
    /// Its friendly name.
    pub label: String,
    /// Its address, including the virtual directory.
    pub base_url: String,
    /// The user to log in as; without one the server waits for credentials.
    pub username: Option<String>,
    /// A CA certificate file to trust for it.
    pub ca_certificate: Option<PathBuf>,
    /// Its password.
    pub password: Password,
    /// Where the credentials came from, for reports (`keychain`, `credentials_file`,
    /// `elicitation`, `arguments`).
    pub source: String,
}

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
    ca_certificate: Option<PathBuf>,
    client: OnceLock<ManagementClient>,
    health: watch::Sender<Health>,
    retrying: AtomicBool,
    retired: AtomicBool,
    settings: EstateSettings,
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

    /// Records the outcome of a call to this server: a failure that may pass marks
    /// it down and starts background retries; refused credentials park it; any
    /// answer (even a rejected query) proves it up.
    pub fn record(self: &Arc<Self>, outcome: Result<(), &ApiError>) {
        match outcome {
            Ok(()) => self.health.send_modify(|h| h.succeeded(Utc::now())),
            Err(error) if error.is_transient() => {
                self.health.send_modify(|h| {
                    h.failed(
                        failure_of(error),
                        Instant::now(),
                        Utc::now(),
                        &self.settings.backoff,
                    );
                });
                self.clone().spawn_recovery();
            }
            // Refused credentials, an untrusted certificate or an unusable address:
            // retrying changes nothing until the user changes something.
            Err(
                error @ (ApiError::InvalidCredentials { .. }
                | ApiError::Tls { .. }
                | ApiError::InvalidUrl { .. }
                | ApiError::CaCertificate { .. }),
            ) => {
                self.health
                    .send_modify(|h| h.refused(failure_of(error), Some(Utc::now())));
            }
            Err(_) => self.health.send_modify(|h| {
                if !h.is_up() {
                    h.succeeded(Utc::now());
                }
            }),
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

    /// Logs in now (a fresh token), records the outcome and returns it.
    pub async fn login_now(self: &Arc<Self>, deadline: Deadline) -> Result<(), ApiError> {
        let Some(client) = self.client() else {
            return Err(ApiError::ServerError {
                server: self.base_url.clone(),
                status: 0,
                message: self.health().failure.map_or_else(
                    || "no credentials are available for this server yet".to_owned(),
                    |f| f.message,
                ),
            });
        };
        let deadline = deadline.capped(self.settings.client.request_timeout);
        let outcome = client.login(deadline).await.map(|_| ());
        self.record(outcome.as_ref().map(|_| ()));
        outcome
    }

    /// Stops background work for a member that was replaced or removed.
    fn retire(&self) {
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
                Err(error) if error.is_transient() => {
                    tracing::debug!(server_id = %self.server_id, kind = error.kind(), "retry failed");
                    self.health.send_modify(|h| {
                        h.failed(
                            failure_of(&error),
                            Instant::now(),
                            Utc::now(),
                            &self.settings.backoff,
                        );
                    });
                }
                Err(error) => {
                    tracing::warn!(server_id = %self.server_id, kind = error.kind(), "login refused: {error}");
                    self.health
                        .send_modify(|h| h.refused(failure_of(&error), Some(Utc::now())));
                    return;
                }
            }
        }
    }

    /// The first login: resolves the password, builds the client, logs in, and
    /// hands over to the retry loop when the server does not answer.
    async fn start(self: Arc<Self>, password: Password) {
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
                    format!(
                        "No password is saved for {id}. Run `novabackup-mcp login --server-id {id}` \
                         (or add the server in the companion app), or call connect_server.",
                        id = self.server_id
                    ),
                );
            }
            Err(message) => return self.park("keychain_unavailable", message),
        };
        let Some(username) = self.username.clone() else {
            return self.park(
                "no_credentials",
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
            Ok(Err(error)) => return self.park(error.kind(), error.to_string()),
            Err(_) => {
                return self.park(
                    "internal",
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

    fn park(&self, kind: &str, message: String) {
        tracing::warn!(server_id = %self.server_id, kind, "server waits for credentials: {message}");
        self.health.send_modify(|h| {
            h.refused(
                Failure {
                    kind: kind.to_owned(),
                    message,
                },
                None,
            );
        });
    }
}

fn failure_of(error: &ApiError) -> Failure {
    Failure {
        kind: error.kind().to_owned(),
        message: error.to_string(),
    }
}

/// A server a call was asked to reach: ready to use, or unavailable with the
/// `_meta.errors` entry that says why.
#[derive(Debug, Clone)]
pub enum Target {
    /// Logged in: send the call.
    Ready(Arc<Member>, ManagementClient),
    /// Down, connecting past the deadline, or waiting for credentials.
    Unavailable(Arc<Member>, Value),
}

impl Target {
    /// The server's id.
    pub fn server_id(&self) -> &ServerId {
        match self {
            Target::Ready(member, _) | Target::Unavailable(member, _) => &member.server_id,
        }
    }
}

/// The set of configured servers and their live state. Share it as `Arc<Estate>`.
#[derive(Debug)]
pub struct Estate {
    members: RwLock<BTreeMap<ServerId, Arc<Member>>>,
    settings: EstateSettings,
}

impl Estate {
    /// An empty estate.
    pub fn new(settings: EstateSettings) -> Arc<Self> {
        Arc::new(Self {
            members: RwLock::new(BTreeMap::new()),
            settings,
        })
    }

    /// The settings servers are reached with.
    pub fn settings(&self) -> &EstateSettings {
        &self.settings
    }

    /// Enrols a server (replacing one with the same id) and starts its login in the
    /// background. Returns at once. Must be called inside a Tokio runtime.
    pub fn enrol(&self, enrolment: Enrolment) -> Arc<Member> {
        let (health, _) = watch::channel(Health::connecting());
        let member = Arc::new(Member {
            server_id: enrolment.server_id.clone(),
            label: enrolment.label,
            base_url: enrolment.base_url,
            username: enrolment.username,
            source: enrolment.source,
            ca_certificate: enrolment.ca_certificate,
            client: OnceLock::new(),
            health,
            retrying: AtomicBool::new(false),
            retired: AtomicBool::new(false),
            settings: self.settings.clone(),
        });
        let previous = self
            .members
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(enrolment.server_id, member.clone());
        if let Some(previous) = previous {
            previous.retire();
        }
        tokio::spawn(member.clone().start(enrolment.password));
        member
    }

    /// Forgets a server (its client, token and password); returns whether it was known.
    pub fn remove(&self, server_id: &ServerId) -> bool {
        let removed = self
            .members
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(server_id);
        if let Some(member) = &removed {
            member.retire();
        }
        removed.is_some()
    }

    /// Every enrolled server, in id order.
    pub fn members(&self) -> Vec<Arc<Member>> {
        self.members
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// One enrolled server.
    pub fn member(&self, server_id: &ServerId) -> Option<Arc<Member>> {
        self.members
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(server_id)
            .cloned()
    }

    /// The servers a call needs (one, or all when `only` is `None`), each ready or
    /// unavailable. Waits for servers whose first login is under way, until
    /// `deadline` at most; servers known to be down are answered at once.
    /// `None` when `only` names a server that is not enrolled.
    pub async fn targets(
        &self,
        only: Option<&ServerId>,
        deadline: Deadline,
    ) -> Option<Vec<Target>> {
        let members = match only {
            Some(id) => vec![self.member(id)?],
            None => self.members(),
        };
        let settled = futures::future::join_all(members.iter().map(|m| m.settled(deadline))).await;
        Some(
            members
                .into_iter()
                .zip(settled)
                .map(|(member, health)| match (health.phase, member.client()) {
                    (Phase::Up, Some(client)) => {
                        let client = client.clone();
                        Target::Ready(member, client)
                    }
                    _ => {
                        let entry = health.error_entry(member.server_id.as_str());
                        Target::Unavailable(member, entry)
                    }
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests;
