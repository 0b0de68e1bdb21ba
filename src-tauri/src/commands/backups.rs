//! Commands for the Backups tab.

use tauri::State;

use crate::backups::{BackupsView, GlanceView};
use crate::error::CommandError;
use crate::state::Companion;

/// The Backups view now: the last digest of the saved servers, customers worst first.
#[tauri::command]
#[specta::specta]
pub async fn backups(companion: State<'_, Companion>) -> Result<BackupsView, CommandError> {
    Ok(companion.backups.view(&companion))
}

/// What the tray shows now (its state and sentence), for the window's header: the
/// worst of a server down and the customers' backups.
#[tauri::command]
#[specta::specta]
pub async fn glance(companion: State<'_, Companion>) -> Result<GlanceView, CommandError> {
    let (overview, _) = companion.overview()?;
    Ok(crate::backups::glance_now(&companion, &overview).view())
}
