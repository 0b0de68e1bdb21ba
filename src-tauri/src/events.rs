//! Events the app sends to the UI.

use serde::Serialize;
use specta::Type;
use tauri_specta::Event;

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
