//! Events the app sends to the UI.

use serde::Serialize;
use specta::Type;
use tauri_specta::Event;

use crate::backups::{BackupsView, GlanceView};
use crate::clients::ClientView;
use crate::views::Overview;

/// A round of health checks finished (or servers changed): the new overview.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct HealthChanged {
    /// Every server with its health, and the summary.
    pub overview: Overview,
}

/// The clients' entries were looked at after a health round (and repaired when the
/// user asked for that): every client's status now.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct ClientsChecked {
    /// Every client with its registration status.
    pub clients: Vec<ClientView>,
}

/// A backup digest finished (or the period changed): the Backups view now.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct BackupsChanged {
    /// Customers worst first, the causes, the servers that did not answer.
    pub backups: BackupsView,
}

/// What the tray shows changed (after a health round or a digest): its state and
/// sentence, for the window's header.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct GlanceChanged {
    /// The state and the sentence.
    pub glance: GlanceView,
}

/// The tray asked to show the Backups tab, at one customer when it names one.
#[derive(Debug, Clone, Serialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ShowBackups {
    /// The customer's key in the Backups view.
    pub customer: Option<String>,
}
