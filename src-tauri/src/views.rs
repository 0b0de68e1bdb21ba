//! The shapes the UI receives and sends (exported to TypeScript by tauri-specta).
//! Field names are camelCase on the wire.

use std::path::Path;

use novabackup_core::health::{HealthReport, Overall, Summary};
use novabackup_core::profiles::ServerProfile;
use novabackup_core::server_state::ServerState;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use specta::Type;

/// A server as typed in the add or edit form.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerInput {
    /// The saved server being edited, or `null` for a new one.
    pub server_id: Option<String>,
    /// The name the user recognises.
    pub label: String,
    /// The Management Server address, including `/managementserver`.
    pub base_url: String,
    /// The Management Server user.
    pub username: String,
    /// The password; `null` keeps the saved one when editing. Never logged.
    #[specta(type = Option<String>)]
    pub password: Option<SecretString>,
    /// A PEM file with the CA certificate to trust for this server.
    pub ca_certificate: Option<String>,
}

/// What a successful connection test found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSummary {
    /// Computers being backed up (agents) the user can see.
    pub agents: u32,
    /// Customers (tenants) the user can see.
    pub tenants: u32,
    /// How long the test took.
    pub latency_ms: u32,
}

/// A server's state as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum HealthLevel {
    /// Logged in and read data.
    Healthy,
    /// The username or password was not accepted.
    WrongPassword,
    /// The server could not be reached.
    Unreachable,
    /// The certificate is not trusted.
    Certificate,
    /// Something else went wrong.
    Other,
    /// A check of it is running now.
    Checking,
    /// Not checked yet, and no check of it is running.
    NotChecked,
}

impl From<ServerState> for HealthLevel {
    fn from(state: ServerState) -> Self {
        match state {
            ServerState::Healthy => Self::Healthy,
            // Both are fixed by entering the password.
            ServerState::WrongPassword | ServerState::NoPassword => Self::WrongPassword,
            // Both are fixed by checking the address.
            ServerState::Unreachable | ServerState::BadAddress => Self::Unreachable,
            ServerState::Certificate => Self::Certificate,
            ServerState::Connecting => Self::Checking,
            ServerState::ServerError | ServerState::Other => Self::Other,
        }
    }
}

/// The last check of one server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
    /// The state.
    pub state: HealthLevel,
    /// What went wrong, in the core's words (no secrets), when something did.
    pub message: Option<String>,
    /// The failure's kind code, for support.
    pub detail: Option<String>,
    /// When the last check started (RFC 3339), if there was one.
    pub checked_at: Option<String>,
    /// How long the last check took.
    pub latency_ms: Option<u32>,
}

impl HealthView {
    /// A server that has not been checked yet.
    pub fn not_checked() -> Self {
        Self {
            state: HealthLevel::NotChecked,
            message: None,
            detail: None,
            checked_at: None,
            latency_ms: None,
        }
    }

    /// The view of a finished check.
    pub fn of(report: &HealthReport) -> Self {
        Self {
            state: report.state.into(),
            message: report.error.as_ref().map(ToString::to_string),
            detail: report.error.as_ref().map(|e| format!("kind: {}", e.kind())),
            checked_at: Some(report.checked_at.to_rfc3339()),
            latency_ms: Some(narrow(report.latency_ms())),
        }
    }
}

/// One saved server and its health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerView {
    /// The server's id (also its keychain account).
    pub server_id: String,
    /// Its name.
    pub label: String,
    /// Its address.
    pub base_url: String,
    /// The user it logs in as.
    pub username: Option<String>,
    /// The CA certificate file trusted for it.
    pub ca_certificate: Option<String>,
    /// Whether it is the built-in demo server.
    pub demo: bool,
    /// Its last check.
    pub health: HealthView,
}

impl ServerView {
    /// The view of a saved profile with its last check (if any).
    pub fn of(profile: &ServerProfile, demo: bool, report: Option<&HealthReport>) -> Self {
        Self {
            server_id: profile.server_id.to_string(),
            label: profile.display_name().to_owned(),
            base_url: profile.base_url.clone(),
            username: profile.username.clone(),
            ca_certificate: profile.ca_certificate.as_deref().map(path_text),
            demo,
            health: report.map_or_else(HealthView::not_checked, HealthView::of),
        }
    }
}

/// The overall health, one per tray icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OverallLevel {
    /// No server saved yet.
    NotSetUp,
    /// Some servers have no result yet, and none is known to fail.
    Checking,
    /// Every server is healthy.
    AllHealthy,
    /// Some fail.
    SomeFailing,
    /// None is healthy.
    AllFailing,
}

impl From<Overall> for OverallLevel {
    fn from(overall: Overall) -> Self {
        match overall {
            Overall::NotSetUp => Self::NotSetUp,
            Overall::Checking => Self::Checking,
            Overall::AllHealthy => Self::AllHealthy,
            Overall::SomeFailing => Self::SomeFailing,
            Overall::AllFailing => Self::AllFailing,
        }
    }
}

/// Every server with its health, and the sentence that sums them up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    /// The saved servers, in the file's order.
    pub servers: Vec<ServerView>,
    /// The overall state.
    pub overall: OverallLevel,
    /// "3 of 4 servers healthy — Acme MS unreachable".
    pub summary: String,
}

impl Overview {
    /// The overview of these servers under this summary; `unchecked` says, for each
    /// server with no result yet, whether a check of it is running. The summary says
    /// "checking" only while one is.
    pub fn new(
        servers: Vec<ServerView>,
        summary: &Summary,
        unchecked: impl IntoIterator<Item = bool>,
    ) -> Self {
        let (mut waiting, mut running) = (0, false);
        for being_checked in unchecked {
            waiting += 1;
            running |= being_checked;
        }
        let text = if summary.overall == Overall::Checking && !running {
            let noun = if waiting == 1 { "server" } else { "servers" };
            format!("{waiting} {noun} not checked yet")
        } else {
            summary.text.clone()
        };
        Self {
            servers,
            overall: summary.overall.into(),
            summary: text,
        }
    }
}

/// Facts about this installation the UI shows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// Where passwords are kept, in words ("your system keyring").
    pub keychain_name: String,
    /// The folder with the app's log files.
    pub log_folder: String,
}

/// A path as text for the UI.
pub fn path_text(path: &Path) -> String {
    path.display().to_string()
}

/// A count or duration for the UI (JavaScript numbers), saturating.
pub fn narrow(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
