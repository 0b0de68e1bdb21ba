//! The shapes the UI receives and sends (exported to TypeScript by tauri-specta).
//! Field names are camelCase on the wire.

use std::path::Path;

use novabackup_core::health::{HealthReport, Overall};
use novabackup_core::profiles::ServerProfile;
use novabackup_core::server_state::ServerState;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{CommandError, ErrorCode};
use crate::i18n::Language;

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
    /// What went wrong, for the UI's sentence (as a command's error code).
    pub code: Option<ErrorCode>,
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
            code: None,
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
            code: report.error.as_ref().map(CommandError::code_of),
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

/// Every server with its health, and the sentence that sums them up (in the user's
/// language, see [`crate::summary`]).
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

/// Facts about this installation the UI shows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// Where passwords are kept (the UI has the words for each).
    pub keychain: Keychain,
    /// The system's language among those the app speaks (for "Same as the system").
    pub system_language: Language,
    /// The folder with the app's log files.
    pub log_folder: String,
    /// The ranges the Settings screen accepts (the same the app and novabackup-mcp check).
    pub limits: SettingLimits,
}

/// The lowest and highest value a setting accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Range {
    /// The lowest accepted value.
    pub min: u32,
    /// The highest accepted value.
    pub max: u32,
}

/// The ranges of the numeric settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingLimits {
    /// Minutes between two health rounds.
    pub check_interval_minutes: Range,
    /// Servers asked at the same time.
    pub concurrency: Range,
    /// Seconds before a server that does not answer is given up.
    pub timeout_seconds: Range,
}

/// Where this platform keeps passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Keychain {
    /// Windows Credential Manager.
    Windows,
    /// The macOS Keychain.
    Macos,
    /// The Secret Service of the desktop (GNOME Keyring, KWallet).
    System,
}

impl Keychain {
    /// This platform's.
    pub fn here() -> Self {
        if cfg!(target_os = "windows") {
            Self::Windows
        } else if cfg!(target_os = "macos") {
            Self::Macos
        } else {
            Self::System
        }
    }
}

/// A path as text for the UI.
pub fn path_text(path: &Path) -> String {
    path.display().to_string()
}

/// A count or duration for the UI (JavaScript numbers), saturating.
pub fn narrow<T: TryInto<u32>>(value: T) -> u32 {
    value.try_into().unwrap_or(u32::MAX)
}
