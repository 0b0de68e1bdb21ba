//! Commands for the Backups tab.

use tauri::State;

use crate::backups::BackupsView;
use crate::error::CommandError;
use crate::state::Companion;

/// The Backups view now: the last digest of the saved servers, customers worst first.
#[tauri::command]
#[specta::specta]
pub async fn backups(companion: State<'_, Companion>) -> Result<BackupsView, CommandError> {
    Ok(companion.backups.view(&companion))
}
