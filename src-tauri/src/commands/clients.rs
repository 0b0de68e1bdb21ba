//! Commands for Claude Desktop and the other MCP clients.

use tauri::State;

use crate::clients::{self, ClientId, ClientView};
use crate::error::CommandError;
use crate::state::Companion;

/// Every client with its registration status.
#[tauri::command]
#[specta::specta]
pub async fn clients(companion: State<'_, Companion>) -> Result<Vec<ClientView>, CommandError> {
    Ok(clients::all(&companion))
}

/// Connects (or repairs) a client: registers the bundled `novabackup-mcp` in it.
#[tauri::command]
#[specta::specta]
pub async fn connect_client(
    companion: State<'_, Companion>,
    client: ClientId,
) -> Result<ClientView, CommandError> {
    clients::connect(&companion, client)
}

/// Disconnects a client: removes our entry from its settings.
#[tauri::command]
#[specta::specta]
pub async fn disconnect_client(
    companion: State<'_, Companion>,
    client: ClientId,
) -> Result<ClientView, CommandError> {
    clients::disconnect(&companion, client)
}
