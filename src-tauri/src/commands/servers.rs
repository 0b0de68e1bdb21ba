//! Commands for saved servers and their health.

use tauri::{AppHandle, Runtime, State};

use crate::demo::Demo;
use crate::desktop::Desktop;
use crate::error::CommandError;
use crate::monitor;
use crate::servers;
use crate::state::Companion;
use crate::views::{ConnectionSummary, Overview, ServerInput, ServerView, path_text};

/// Every saved server with its last check, and the summary.
#[tauri::command]
#[specta::specta]
pub async fn overview(companion: State<'_, Companion>) -> Result<Overview, CommandError> {
    Ok(companion.overview()?.0)
}

/// Checks one server now (or all of them, `null`: then the backups are looked at again
/// too, and the window hears of them) and returns the new overview.
#[tauri::command]
#[specta::specta]
pub async fn check_now(
    companion: State<'_, Companion>,
    server_id: Option<String>,
) -> Result<Overview, CommandError> {
    let overview = servers::check(&companion, server_id.as_deref()).await?;
    if server_id.is_none() {
        companion.backups.want_round();
    }
    Ok(overview)
}

/// Tests an address and credentials without saving them.
#[tauri::command]
#[specta::specta]
pub async fn test_connection(
    companion: State<'_, Companion>,
    input: ServerInput,
) -> Result<ConnectionSummary, CommandError> {
    servers::test_connection(&companion, input).await
}

/// Stops the running connection test; its requests are dropped.
#[tauri::command]
#[specta::specta]
pub async fn cancel_connection_test(companion: State<'_, Companion>) -> Result<(), CommandError> {
    servers::cancel_connection_test(&companion);
    Ok(())
}

/// Saves a server, its password going to the keychain, and starts checking it.
#[tauri::command]
#[specta::specta]
pub async fn save_server<R: Runtime>(
    app: AppHandle<R>,
    companion: State<'_, Companion>,
    input: ServerInput,
) -> Result<ServerView, CommandError> {
    let saved = servers::save(&companion, input).await?;
    Ok(monitor::check_at_once(&app, saved))
}

/// Removes a server and its keychain entry.
#[tauri::command]
#[specta::specta]
pub async fn remove_server(
    companion: State<'_, Companion>,
    server_id: String,
) -> Result<(), CommandError> {
    servers::remove(&companion, &server_id).await
}

/// Starts the demo server and saves it, labelled as demo, and starts checking it.
#[tauri::command]
#[specta::specta]
pub async fn add_demo_server<R: Runtime>(
    app: AppHandle<R>,
    companion: State<'_, Companion>,
    demo: State<'_, Demo>,
) -> Result<ServerView, CommandError> {
    let saved = demo.add(&companion).await?;
    Ok(monitor::check_at_once(&app, saved))
}

/// Asks the user for a CA certificate file; `null` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn pick_ca_certificate(
    desktop: State<'_, Desktop>,
) -> Result<Option<String>, CommandError> {
    Ok((desktop.pick_certificate)().await.as_deref().map(path_text))
}
