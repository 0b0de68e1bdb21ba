//! Commands for the app itself: its facts, its settings, its logs.

use tauri::State;

use crate::clients;
use crate::desktop::Desktop;
use crate::error::CommandError;
use crate::settings::Settings;
use crate::state::Companion;
use crate::tray::{Tray, TrayStatus};
use crate::views::{AppInfo, Keychain, path_text};

/// The app's version, where passwords and logs are kept, the system's language.
#[tauri::command]
#[specta::specta]
pub async fn app_info(companion: State<'_, Companion>) -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        keychain: Keychain::here(),
        system_language: companion.system_language,
        log_folder: path_text(&companion.paths.log_folder),
        limits: crate::settings::limits(),
    })
}

/// The current settings.
#[tauri::command]
#[specta::specta]
pub async fn settings(companion: State<'_, Companion>) -> Result<Settings, CommandError> {
    Ok(companion.settings())
}

/// Checks and saves the settings; the app applies them at once (a new language reaches
/// the tray and the window's summary at once too), and rewrites the entries of the
/// connected clients when what they pass to `novabackup-mcp` changed.
#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    companion: State<'_, Companion>,
    settings: Settings,
) -> Result<Settings, CommandError> {
    settings.validate(companion.language())?;
    let before = companion.settings();
    let saved = companion.update_settings_file(|file| file.settings = settings)?;
    companion.settings_changed();
    if saved.settings.language != before.language {
        companion.touch();
    }
    if saved.settings.tuning() != before.tuning() {
        clients::retune(&companion);
    }
    Ok(saved.settings)
}

/// Opens the log folder in the file manager.
#[tauri::command]
#[specta::specta]
pub async fn open_log_folder(
    companion: State<'_, Companion>,
    desktop: State<'_, Desktop>,
) -> Result<(), CommandError> {
    std::fs::create_dir_all(&companion.paths.log_folder).map_err(CommandError::other)?;
    (desktop.open_folder)(&companion.paths.log_folder).map_err(CommandError::other)
}

/// What the tray shows now: its overall state, tooltip and every menu entry's text.
#[tauri::command]
#[specta::specta]
pub async fn tray_status(tray: State<'_, Tray>) -> Result<TrayStatus, CommandError> {
    Ok(tray.status())
}
