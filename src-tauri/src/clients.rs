//! MCP clients (Claude Desktop first): their registration status, connect (register
//! the bundled `novabackup-mcp`), repair, disconnect, and whether Claude Desktop has
//! been restarted since.

use novabackup_core::registration::{
    self, Client, ClientStatus, ENTRY_NAME, EntryState, Registration, ServerEntry,
    claude_desktop_running,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{CommandError, ErrorCode};
use crate::state::{Companion, RestartWatch};
use crate::views::path_text;

/// The clients the app offers, Claude Desktop first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ClientId {
    /// Claude Desktop.
    ClaudeDesktop,
    /// Claude Code.
    ClaudeCode,
    /// Cursor.
    Cursor,
    /// Visual Studio Code.
    VsCode,
    /// Windsurf.
    Windsurf,
}

impl ClientId {
    /// Every client, in the order the Claude screen shows them.
    pub const ALL: [ClientId; 5] = [
        Self::ClaudeDesktop,
        Self::ClaudeCode,
        Self::Cursor,
        Self::VsCode,
        Self::Windsurf,
    ];

    fn core(self) -> Client {
        match self {
            Self::ClaudeDesktop => Client::ClaudeDesktop,
            Self::ClaudeCode => Client::ClaudeCode,
            Self::Cursor => Client::Cursor,
            Self::VsCode => Client::VsCode,
            Self::Windsurf => Client::Windsurf,
        }
    }

    /// The id as stored in the settings file.
    pub fn key(self) -> &'static str {
        match self {
            Self::ClaudeDesktop => "claude_desktop",
            Self::ClaudeCode => "claude_code",
            Self::Cursor => "cursor",
            Self::VsCode => "vs_code",
            Self::Windsurf => "windsurf",
        }
    }
}

/// Where a client stands, as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ClientState {
    /// Our entry runs the installed `novabackup-mcp`.
    Connected,
    /// No entry, and the user never connected it.
    NotConnected,
    /// The user connected it, and the entry has gone.
    Missing,
    /// The entry runs a program that no longer exists, another one, or the old Node server.
    Broken,
    /// The client does not seem to be installed.
    NotInstalled,
    /// novabackup-mcp is installed in Claude Desktop as an extension: Claude runs it
    /// itself, so there is nothing to connect.
    Extension,
}

/// One client's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientView {
    /// Which client.
    pub client: ClientId,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub state: ClientState,
    /// The settings file looked at.
    pub config_path: Option<String>,
    /// Claude Desktop was connected while running and has not been restarted yet.
    pub needs_restart: bool,
    /// Claude Desktop has novabackup-mcp as an extension and an entry in its settings
    /// file as well, so it starts two copies (disconnecting removes the entry).
    pub duplicate_entry: bool,
}

impl ClientView {
    /// Whether the entry needs repair (gone after being connected, or broken).
    pub fn needs_repair(&self) -> bool {
        matches!(self.state, ClientState::Missing | ClientState::Broken)
    }
}

fn statuses(companion: &Companion, client: ClientId) -> Vec<ClientStatus> {
    registration::client_status(
        client.core(),
        &companion.platform,
        &companion.sidecar,
        companion.processes.as_ref(),
    )
}

/// The status of one client.
pub fn view(companion: &Companion, client: ClientId) -> ClientView {
    let statuses = statuses(companion, client);
    let remembered = companion
        .settings_file()
        .connected_clients
        .iter()
        .any(|key| key == client.key());
    let extension = statuses.iter().any(|status| status.extension.is_some());
    let has_entry = statuses.iter().any(|status| {
        !matches!(
            status.state,
            EntryState::Missing | EntryState::NotInstalled | EntryState::ConfigInvalid { .. }
        )
    });
    // A client with several files (VS Code stable and Insiders) is as good as its worst.
    let state = statuses
        .iter()
        .map(|status| match &status.state {
            EntryState::Registered => ClientState::Connected,
            EntryState::Missing if remembered => ClientState::Missing,
            EntryState::Missing => ClientState::NotConnected,
            EntryState::NotInstalled => ClientState::NotInstalled,
            EntryState::ProgramGone { .. }
            | EntryState::DifferentCommand { .. }
            | EntryState::NodePackage
            | EntryState::ConfigInvalid { .. } => ClientState::Broken,
        })
        .max_by_key(|state| match state {
            ClientState::Connected => 0,
            ClientState::NotInstalled => 1,
            ClientState::NotConnected => 2,
            ClientState::Missing => 3,
            ClientState::Broken => 4,
            ClientState::Extension => 5,
        })
        .unwrap_or(ClientState::NotInstalled);
    let state = if extension {
        ClientState::Extension
    } else {
        state
    };
    let needs_restart = client == ClientId::ClaudeDesktop && restart_pending(companion);
    ClientView {
        client,
        name: client.core().display_name().to_owned(),
        state,
        config_path: statuses.first().map(|s| path_text(&s.path)),
        needs_restart,
        duplicate_entry: extension && has_entry,
    }
}

/// Every client's status.
pub fn all(companion: &Companion) -> Vec<ClientView> {
    ClientId::ALL.iter().map(|&c| view(companion, c)).collect()
}

/// Registers the bundled `novabackup-mcp` in the client (or repairs its entry); writes
/// nothing when Claude Desktop has it as an extension already (that would be a second copy).
pub fn connect(companion: &Companion, client: ClientId) -> Result<ClientView, CommandError> {
    let targets = statuses(companion, client);
    if targets.iter().any(|target| !target.entry_wanted()) {
        return Ok(view(companion, client));
    }
    registration::check_stable(&companion.sidecar, &companion.platform)?;
    let registration = Registration {
        client: client.core(),
        name: ENTRY_NAME.to_owned(),
        entry: ServerEntry::new(&companion.sidecar, &companion.paths.servers_file)
            .with_tuning(companion.settings().tuning()),
        replace_node: true,
    };
    if targets.is_empty() {
        return Err(CommandError::new(
            ErrorCode::Registration,
            format!(
                "No settings file of {} was found on this computer.",
                client.core().display_name()
            ),
        ));
    }
    for target in &targets {
        registration::register_in_file(&target.path, &registration, companion.clock.now(), false)?;
        tracing::info!(client = client.key(), file = %target.path.display(), "registered");
    }
    companion.update_settings_file(|file| {
        if !file.connected_clients.iter().any(|k| k == client.key()) {
            file.connected_clients.push(client.key().to_owned());
        }
    })?;
    if client == ClientId::ClaudeDesktop {
        let running = claude_desktop_running(companion.processes.as_ref());
        *companion.restart_watch() = if running {
            RestartWatch::WaitingForQuit
        } else {
            RestartWatch::Idle
        };
    }
    Ok(view(companion, client))
}

/// Removes our entry from the client's settings.
pub fn disconnect(companion: &Companion, client: ClientId) -> Result<ClientView, CommandError> {
    for target in statuses(companion, client) {
        registration::unregister_from_file(
            &target.path,
            client.core(),
            ENTRY_NAME,
            companion.clock.now(),
            false,
        )?;
        tracing::info!(client = client.key(), file = %target.path.display(), "unregistered");
    }
    companion.update_settings_file(|file| file.connected_clients.retain(|k| k != client.key()))?;
    if client == ClientId::ClaudeDesktop {
        *companion.restart_watch() = RestartWatch::Idle;
    }
    Ok(view(companion, client))
}

/// Advances the restart watch from what runs now; true while a restart is awaited.
fn restart_pending(companion: &Companion) -> bool {
    let running = claude_desktop_running(companion.processes.as_ref());
    let mut watch = companion.restart_watch();
    *watch = match (*watch, running) {
        (RestartWatch::WaitingForQuit, false) => RestartWatch::WaitingForStart,
        (RestartWatch::WaitingForStart, true) => RestartWatch::Idle,
        (state, _) => state,
    };
    *watch != RestartWatch::Idle
}

/// Rewrites the entry of every connected client, so that it carries the current
/// settings (from the client's next start). A client that cannot be rewritten keeps
/// its entry and is logged; the settings themselves are saved either way.
pub fn retune(companion: &Companion) {
    for client in all(companion) {
        if client.state != ClientState::Connected {
            continue;
        }
        match connect(companion, client.client) {
            Ok(_) => tracing::info!(
                client = client.client.key(),
                "entry carries the new settings"
            ),
            Err(error) => {
                tracing::warn!(client = client.client.key(), %error, "could not pass on the new settings");
            }
        }
    }
}

/// Repairs every client the user connected whose entry went missing or broke;
/// returns the names of those repaired.
pub fn repair_all(companion: &Companion) -> Vec<String> {
    all(companion)
        .into_iter()
        .filter(ClientView::needs_repair)
        .filter_map(|client| match connect(companion, client.client) {
            Ok(_) => Some(client.name),
            Err(error) => {
                tracing::warn!(client = client.client.key(), %error, "automatic repair failed");
                None
            }
        })
        .collect()
}
