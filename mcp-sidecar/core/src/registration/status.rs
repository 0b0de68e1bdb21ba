//! Where novabackup-mcp stands in each client: registered, missing, pointing at a
//! program that is gone or at another one, a file that cannot be read.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::client::Client;
use super::config_edit::open;
use super::discovery::discover;
use super::entry::{ENTRY_NAME, node_entries, runs_node_package};
use super::extension::{InstalledExtension, extension_beside};
use super::file_update::read_optional;
use super::platform::Platform;
use super::processes::{ProcessLister, claude_desktop_running};

/// The state of our entry in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryState {
    /// The entry runs this program.
    Registered,
    /// There is no entry.
    Missing,
    /// The entry runs a program that no longer exists.
    ProgramGone {
        /// The entry's command.
        command: String,
    },
    /// The entry runs another program.
    DifferentCommand {
        /// The entry's command.
        command: String,
    },
    /// The entry runs the Node.js package.
    NodePackage,
    /// The file cannot be read or understood.
    ConfigInvalid {
        /// Why, and what to do.
        message: String,
    },
    /// The client does not seem to be installed.
    NotInstalled,
}

/// One line of `status`: a client (and which of its files), and its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientStatus {
    /// The client.
    pub client: Client,
    /// Which install ("Insiders", "Microsoft Store"), empty for the usual one.
    pub variant: &'static str,
    /// The file looked at.
    pub path: PathBuf,
    /// The program an entry should run.
    pub expected: PathBuf,
    /// Our entry's state.
    pub state: EntryState,
    /// Entries (under any name) that run the Node.js package.
    pub node_entries: Vec<String>,
    /// Whether the client is running now (known for Claude Desktop only).
    pub running: Option<bool>,
    /// Differing copies of the settings the client may read instead (Claude Desktop on
    /// Windows, classic and Microsoft Store); empty when there is no doubt.
    pub conflicting_copies: Vec<PathBuf>,
    /// novabackup-mcp installed as a Claude Desktop extension (Claude Desktop only):
    /// Claude then runs it itself, and an entry in the settings file would be a second copy.
    pub extension: Option<InstalledExtension>,
}

impl ClientStatus {
    /// Whether an entry in the settings file is wanted: not when Claude Desktop runs
    /// novabackup-mcp as an extension already.
    pub fn entry_wanted(&self) -> bool {
        self.extension.is_none()
    }
}

/// The state of the entry called `name` in the file at `path`, and the Node.js entries there.
pub fn inspect_file(
    path: &Path,
    client: Client,
    name: &str,
    expected: &Path,
) -> (EntryState, Vec<String>) {
    let bytes = match read_optional(path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return (EntryState::Missing, Vec::new()),
        Err(e) => {
            return (
                EntryState::ConfigInvalid {
                    message: e.to_string(),
                },
                Vec::new(),
            );
        }
    };
    let servers = match open(Some(&bytes), path, client) {
        Ok((_, servers)) => servers,
        Err(e) => {
            return (
                EntryState::ConfigInvalid {
                    message: e.to_string(),
                },
                Vec::new(),
            );
        }
    };
    let node = node_entries(&servers);
    let state = match servers.get(name) {
        None => EntryState::Missing,
        Some(entry) if runs_node_package(entry) => EntryState::NodePackage,
        Some(entry) => {
            let command = entry
                .get("command")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let path = Path::new(&command);
            // A link (say /usr/local/bin/novabackup-mcp) that leads to this program counts.
            if path == expected || path.canonicalize().is_ok_and(|p| p == expected) {
                EntryState::Registered
            } else if path.is_absolute() && !path.exists() {
                EntryState::ProgramGone { command }
            } else {
                EntryState::DifferentCommand { command }
            }
        }
    };
    (state, node)
}

/// The status of `client`: one per file it reads (VS Code stable and Insiders each have one).
pub fn client_status(
    client: Client,
    platform: &Platform,
    expected: &Path,
    processes: &dyn ProcessLister,
) -> Vec<ClientStatus> {
    let discovery = discover(client, platform);
    let running = (client == Client::ClaudeDesktop).then(|| claude_desktop_running(processes));
    let conflicting_copies = discovery.conflicting_copies();
    let extension = (client == Client::ClaudeDesktop)
        .then(|| extension_beside(&discovery))
        .flatten();
    discovery
        .targets
        .iter()
        .map(|target| {
            let (state, node_entries) = if discovery.installed || running == Some(true) {
                inspect_file(&target.path, client, ENTRY_NAME, expected)
            } else {
                (EntryState::NotInstalled, Vec::new())
            };
            ClientStatus {
                client,
                variant: target.variant,
                path: target.path.clone(),
                expected: expected.to_path_buf(),
                state,
                node_entries,
                running,
                conflicting_copies: conflicting_copies.clone(),
                extension: extension.clone(),
            }
        })
        .collect()
}

impl fmt::Display for ClientStatus {
    /// One line: `Claude Desktop: registered (/usr/bin/novabackup-mcp)`, with what to do.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.client)?;
        if !self.variant.is_empty() {
            write!(f, " ({})", self.variant)?;
        }
        f.write_str(": ")?;
        if let (Some(extension), EntryState::Missing | EntryState::NotInstalled) =
            (&self.extension, &self.state)
        {
            return write_extension(f, extension);
        }
        match &self.state {
            EntryState::Registered => write!(f, "registered ({})", self.expected.display())?,
            EntryState::Missing => write!(
                f,
                "not registered in {} — run `novabackup-mcp register --client {}`",
                self.path.display(),
                self.client.cli_name()
            )?,
            EntryState::ProgramGone { command } => write!(
                f,
                "registered, but {command} no longer exists — run `novabackup-mcp register --client {}` to repair",
                self.client.cli_name()
            )?,
            EntryState::DifferentCommand { command } => write!(
                f,
                "registered with another program ({command}) — run `novabackup-mcp register --client {}` to use this one",
                self.client.cli_name()
            )?,
            EntryState::NodePackage => write!(
                f,
                "registered with the Node.js package — run `novabackup-mcp register --client {} --replace-node`, then `novabackup-mcp import`",
                self.client.cli_name()
            )?,
            EntryState::ConfigInvalid { message } => {
                write!(f, "settings file unusable: {message}")?
            }
            EntryState::NotInstalled => f.write_str("not installed")?,
        }
        let others: Vec<&str> = self
            .node_entries
            .iter()
            .map(String::as_str)
            .filter(|n| *n != ENTRY_NAME || self.state != EntryState::NodePackage)
            .collect();
        if !others.is_empty() {
            write!(
                f,
                "; the Node.js server is registered as {} (replace it with --replace-node)",
                others.join(", ")
            )?;
        }
        if !self.conflicting_copies.is_empty() {
            let paths: Vec<String> = self
                .conflicting_copies
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            write!(
                f,
                "; two settings files differ ({}): register with --config PATH or --all-configs",
                paths.join(" and ")
            )?;
        }
        if let Some(extension) = &self.extension {
            f.write_str("; ")?;
            write_extension(f, extension)?;
            if !matches!(self.state, EntryState::ConfigInvalid { .. }) {
                write!(
                    f,
                    " too, so Claude starts two copies — run `novabackup-mcp unregister --client {}` to keep only the extension",
                    self.client.cli_name()
                )?;
            }
        }
        if self.running == Some(true) {
            f.write_str("; Claude Desktop is running: quit it from its tray icon and start it again to load changes, then check `novabackup-mcp status` once more (it may rewrite its settings when it quits)")?;
        }
        Ok(())
    }
}

/// `installed as a Claude Desktop extension (0.1.0)`, and whether it is switched off.
fn write_extension(f: &mut fmt::Formatter<'_>, extension: &InstalledExtension) -> fmt::Result {
    f.write_str("installed as a Claude Desktop extension")?;
    if let Some(version) = &extension.version {
        write!(f, " ({version})")?;
    }
    if extension.enabled == Some(false) {
        f.write_str(", switched off in Claude's Settings → Extensions")?;
    }
    Ok(())
}
