//! The estate: every configured Management Server and its live state.
//!
//! Servers are enrolled at start-up (from the profiles file and the credentials
//! sources) and log in in the background, all at once; nothing waits for them unless
//! a call needs them. A server that fails in a way that may pass is marked down,
//! skipped at once by later calls (reported with its error and when it was last
//! tried) and retried in the background with backoff until it answers. A server
//! whose credentials were refused or are missing waits for new ones.

pub mod health;
mod member;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use secrecy::SecretString;
use tokio::sync::watch;

pub use health::{Backoff, Failure, Health, Phase};
pub use member::Member;

use crate::ServerId;
use crate::client::{ClientSettings, Deadline, ManagementClient};
use crate::error::ApiError;
use crate::fanout::{FanOut, FanOutMeta, FanOutTarget, Miss, fan_out, first_answer, within};

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

/// Which servers a call asks.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every enrolled server.
    All,
    /// One server.
    One(&'a ServerId),
}

/// Which servers a call lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Only servers that are up: those known to be down or parked are reported at
    /// once with their state (the tools' questions).
    Healthy,
    /// Every server with a client, down and parked ones too: a fresh attempt that
    /// proves (or disproves) them (`server_health`).
    TryAgain,
}

/// How a call asks servers: how many at once, by when, and how long it waits for a
/// server whose first login is still under way (bounded apart from the deadline, so a
/// slow login never eats the time of servers that answer).
#[derive(Debug, Clone, Copy)]
pub struct Asking {
    /// Servers asked at the same time.
    pub concurrency: usize,
    /// When the whole call gives up.
    pub deadline: Deadline,
    /// The longest wait for one server's first login.
    pub login_wait: Duration,
    /// Which servers are let through.
    pub admission: Admission,
}

/// Why a call has no server to ask.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoServer {
    /// No server is enrolled.
    #[error("no Management Server is configured")]
    NoneConfigured,
    /// The one server asked for is not enrolled.
    #[error("no server with server_id \"{0}\" is configured")]
    Unknown(ServerId),
}

/// Told each time a server has answered or failed, for progress notifications.
pub trait Progress {
    /// `server_id` is done.
    fn done(&self, server_id: &ServerId) -> impl Future<Output = ()>;
}

/// No progress to report.
impl Progress for () {
    async fn done(&self, _server_id: &ServerId) {}
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

    /// The servers in `scope`, in id order.
    pub fn members_in(&self, scope: Scope<'_>) -> Result<Vec<Arc<Member>>, NoServer> {
        let members = match scope {
            Scope::One(id) => vec![
                self.member(id)
                    .ok_or_else(|| NoServer::Unknown(id.clone()))?,
            ],
            Scope::All => self.members(),
        };
        if members.is_empty() {
            return Err(NoServer::NoneConfigured);
        }
        Ok(members)
    }

    /// Asks every server in `scope` with `operation`, as [`fan_out`] does (bounded,
    /// within the deadline, in id order, each missing server reported with its state),
    /// waiting for each server's first login at most `asking.login_wait`, and records
    /// every outcome in that server's state. `progress` hears of each server done.
    pub async fn ask<T, F, Fut, P>(
        &self,
        scope: Scope<'_>,
        asking: Asking,
        progress: &P,
        operation: F,
    ) -> Result<FanOut<T>, NoServer>
    where
        F: Fn(ServerId, ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
        P: Progress,
    {
        let targets = self.targets(scope)?;
        let members: Vec<Arc<Member>> = targets
            .iter()
            .filter_map(|target| target.handle.as_ref().ok().cloned())
            .collect();
        let operation = &operation;
        let asked = fan_out(
            targets,
            asking.concurrency,
            asking.deadline,
            |server_id, member: Arc<Member>| async move {
                let result = member
                    .asked(asking, |client| {
                        operation(server_id.clone(), client, asking.deadline)
                    })
                    .await;
                progress.done(&server_id).await;
                result
            },
        )
        .await;
        // A server cut off by the deadline did not get to record that itself.
        for (outcome, member) in asked.outcomes.iter().zip(&members) {
            if let Err(Miss::Failed(timeout @ ApiError::Timeout { .. })) = &outcome.result {
                member.record(Err(timeout));
            }
        }
        Ok(asked)
    }

    /// Asks one server with `operation` (run once), within the deadline, and records
    /// the outcome in its state, as [`Estate::ask`] does for many.
    pub async fn ask_one<T, F, Fut>(
        &self,
        server_id: &ServerId,
        asking: Asking,
        operation: F,
    ) -> Result<Result<T, Miss>, NoServer>
    where
        F: FnOnce(ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let member = self
            .member(server_id)
            .ok_or_else(|| NoServer::Unknown(server_id.clone()))?;
        let deadline = asking.deadline;
        let call = member.asked(asking, |client| operation(client, deadline));
        let result = within(server_id, deadline, call).await;
        if let Err(Miss::Failed(timeout @ ApiError::Timeout { .. })) = &result {
            member.record(Err(timeout));
        }
        Ok(result)
    }

    /// Asks every server in `scope` and returns the first that answers `Some`,
    /// dropping (and so cancelling) the requests still under way; see [`first_answer`].
    pub async fn ask_first<T, F, Fut, P>(
        &self,
        scope: Scope<'_>,
        asking: Asking,
        progress: &P,
        operation: F,
    ) -> Result<(Option<(ServerId, T)>, FanOutMeta), NoServer>
    where
        F: Fn(ServerId, ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<Option<T>, ApiError>>,
        P: Progress,
    {
        let targets = self.targets(scope)?;
        let operation = &operation;
        Ok(first_answer(
            targets,
            asking.concurrency,
            asking.deadline,
            |server_id, member: Arc<Member>| async move {
                let result = member
                    .asked(asking, |client| {
                        operation(server_id.clone(), client, asking.deadline)
                    })
                    .await;
                progress.done(&server_id).await;
                result
            },
        )
        .await)
    }

    fn targets(&self, scope: Scope<'_>) -> Result<Vec<FanOutTarget<Arc<Member>>>, NoServer> {
        Ok(self
            .members_in(scope)?
            .into_iter()
            .map(|member| FanOutTarget::ready(member.server_id.clone(), member))
            .collect())
    }
}

impl Member {
    /// One server's part of a call: waits for it to be ready, runs `call` with its
    /// client and records the outcome.
    async fn asked<T, Fut>(
        self: &Arc<Self>,
        asking: Asking,
        call: impl FnOnce(ManagementClient) -> Fut,
    ) -> Result<T, Miss>
    where
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let wait = asking.deadline.capped(asking.login_wait);
        let client = self.ready(wait, asking.admission).await?;
        let result = call(client).await;
        self.record(result.as_ref().map(|_| ()));
        Ok(result?)
    }
}

#[cfg(test)]
mod tests;
