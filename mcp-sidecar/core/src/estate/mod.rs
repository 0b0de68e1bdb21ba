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
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock, RwLock};

use secrecy::SecretString;
use serde_json::Value;
use tokio::sync::watch;

pub use health::{Backoff, Failure, Health, Phase};
pub use member::Member;

use crate::ServerId;
use crate::client::{ClientSettings, Deadline, ManagementClient};

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
