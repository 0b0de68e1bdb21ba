//! Registering and unregistering novabackup-mcp in MCP clients: the one operation the
//! command line (`register`, `unregister`) and the companion app (Connect, Disconnect,
//! repair) both carry out, with the same rules:
//! - which files: each one the client reads ([`discover`]), or the one file given;
//! - two differing copies of the settings (Claude Desktop on Windows) are refused
//!   unless both are to be written;
//! - Claude Desktop with novabackup-mcp installed as an extension gets no entry (it
//!   would start a second copy);
//! - Claude Code goes through its own command line (`claude mcp`) when it is on PATH;
//! - the program registered must live in a place that does not move ([`check_stable`]).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::claude_code::{add_commands, add_with_cli, remove_command, remove_with_cli};
use super::client::Client;
use super::config_edit::{
    FileChange, Registration, register_in_bytes, register_in_file, unregister_from_file,
};
use super::discovery::discover;
use super::entry::{ENTRY_NAME, ServerEntry};
use super::error::RegistrationError;
use super::extension::{InstalledExtension, extension_beside};
use super::file_update::{Update, read_optional};
use super::platform::Platform;
use super::stable_path::check_stable;
use super::status::{EntryState, inspect_file};

/// The clients to act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clients {
    /// One client, in each file it reads.
    One(Client),
    /// One client, in this file (chosen by the user instead of the one found).
    OneFile(Client, PathBuf),
    /// Every client that is installed; the others are skipped.
    Installed,
}

/// One file to act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Whose file it is.
    pub client: Client,
    /// The file.
    pub path: PathBuf,
    /// Whether the client seems installed (an entry waits in the file until it is).
    pub installed: bool,
    /// Claude Code's command line, when it is on PATH: it changes the file itself.
    pub claude_cli: Option<PathBuf>,
}

/// The files to act on for `clients`, and the clients skipped as not installed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Places {
    /// The files, each client's in the order it most likely reads them.
    pub files: Vec<Place>,
    /// Clients left out because they are not installed ([`Clients::Installed`]).
    pub not_installed: Vec<Client>,
}

/// The files to act on for `clients` on `platform`. Two differing copies of one
/// client's settings are refused unless `both_copies`, which takes every copy.
pub fn places(
    clients: &Clients,
    platform: &Platform,
    both_copies: bool,
) -> Result<Places, RegistrationError> {
    let chosen = match clients {
        Clients::OneFile(client, path) => {
            return Ok(Places {
                files: vec![Place {
                    client: *client,
                    path: path.clone(),
                    installed: true,
                    claude_cli: None,
                }],
                not_installed: Vec::new(),
            });
        }
        Clients::One(client) => vec![*client],
        Clients::Installed => Client::ALL.to_vec(),
    };
    let mut places = Places::default();
    for client in chosen {
        let discovery = discover(client, platform);
        if *clients == Clients::Installed && !discovery.installed {
            places.not_installed.push(client);
            continue;
        }
        let conflicting = discovery.conflicting_copies();
        let mut locations = discovery.targets.clone();
        if !conflicting.is_empty() {
            if !both_copies {
                return Err(RegistrationError::ConflictingCopies {
                    owner: client.display_name().to_owned(),
                    paths: conflicting,
                });
            }
            locations.extend(discovery.alternatives.iter().filter(|a| a.exists).cloned());
        }
        places
            .files
            .extend(locations.into_iter().map(|location| Place {
                client,
                path: location.path,
                installed: discovery.installed,
                claude_cli: discovery.claude_cli.clone(),
            }));
    }
    Ok(places)
}

/// How to register.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    /// Replace entries that run the Node.js package (under our name or another).
    pub replace_node: bool,
    /// When a client has two differing copies of its settings, write both.
    pub both_copies: bool,
    /// Work out what would change and change nothing.
    pub dry_run: bool,
}

/// What happened in one file (or to one client).
#[derive(Debug)]
pub struct Step<T> {
    /// The client.
    pub client: Client,
    /// The file (empty for a client skipped as not installed).
    pub path: PathBuf,
    /// Whether the client seems installed.
    pub installed: bool,
    /// What was done, or why not.
    pub outcome: Result<T, RegistrationError>,
}

/// What registering did in one place.
#[derive(Debug)]
pub enum Registered {
    /// The client is not installed, so it was skipped ([`Clients::Installed`]).
    NotInstalled,
    /// Claude Desktop runs novabackup-mcp as an extension: no entry was added.
    Extension(InstalledExtension),
    /// The entry in the file (already there when nothing changed).
    InFile(FileChange),
    /// Through Claude Code's command line.
    WithClaudeCli(ClaudeCli),
}

/// What unregistering did in one file.
#[derive(Debug)]
pub enum Unregistered {
    /// The client is not installed, so it was skipped ([`Clients::Installed`]).
    NotInstalled,
    /// The entry removed from the file (none was there when nothing changed).
    FromFile(Update),
    /// Through Claude Code's command line.
    WithClaudeCli(ClaudeCli),
}

/// What was done through Claude Code's command line.
#[derive(Debug)]
pub struct ClaudeCli {
    /// The `claude` program.
    pub program: PathBuf,
    /// What it was asked.
    pub run: CliRun,
    /// Claude Code's settings file could not be read (it then decides by itself).
    pub unreadable: Option<String>,
    /// Other entries, under other names, that run the Node.js package.
    pub other_node_entries: Vec<String>,
}

/// What Claude Code's command line was asked.
#[derive(Debug, PartialEq, Eq)]
pub enum CliRun {
    /// Nothing: already as wanted.
    Nothing,
    /// These arguments would be run (a dry run).
    WouldRun(Vec<Vec<String>>),
    /// It ran and succeeded.
    Ran,
}

impl Registered {
    /// Whether a client's settings changed (or would, in a dry run).
    pub fn changed(&self) -> bool {
        match self {
            Self::NotInstalled | Self::Extension(_) => false,
            Self::InFile(change) => change.update.changed(),
            Self::WithClaudeCli(cli) => cli.run != CliRun::Nothing,
        }
    }
}

impl Unregistered {
    /// Whether a client's settings changed (or would, in a dry run).
    pub fn changed(&self) -> bool {
        match self {
            Self::NotInstalled => false,
            Self::FromFile(update) => update.changed(),
            Self::WithClaudeCli(cli) => cli.run != CliRun::Nothing,
        }
    }
}

/// Registers `entry` in `clients` on `platform`. Refuses before anything is written
/// (two differing copies, a program in a place that moves); each file's own refusal
/// (a file it cannot read, the Node.js package under our name) is that file's step.
pub fn register(
    clients: &Clients,
    platform: &Platform,
    entry: &ServerEntry,
    choices: Choices,
    now: DateTime<Utc>,
) -> Result<Vec<Step<Registered>>, RegistrationError> {
    let places = places(clients, platform, choices.both_copies)?;
    // Claude Desktop runs novabackup-mcp itself when it is installed as an extension:
    // an entry would start a second copy. A file given by the user is written anyway.
    let extension = |client: Client| {
        let found = !matches!(clients, Clients::OneFile(..)) && client == Client::ClaudeDesktop;
        found
            .then(|| extension_beside(&discover(client, platform)))
            .flatten()
    };
    let mut steps = skipped(&places.not_installed, || Registered::NotInstalled);
    let mut to_write = Vec::new();
    for place in places.files {
        match extension(place.client) {
            Some(installed) => steps.push(step(&place, Ok(Registered::Extension(installed)))),
            None => to_write.push(place),
        }
    }
    if !to_write.is_empty() {
        check_stable(entry.command(), platform)?;
    }
    for place in to_write {
        let registration = Registration {
            client: place.client,
            name: ENTRY_NAME.to_owned(),
            entry: entry.clone(),
            replace_node: choices.replace_node,
        };
        let outcome = match &place.claude_cli {
            Some(claude) => register_with_cli(&place, claude, &registration, choices.dry_run)
                .map(Registered::WithClaudeCli),
            None => register_in_file(&place.path, &registration, now, choices.dry_run)
                .map(Registered::InFile),
        };
        steps.push(step(&place, outcome));
    }
    Ok(steps)
}

/// Removes our entry (only ours) from `clients` on `platform`, from every copy of
/// their settings.
pub fn unregister(
    clients: &Clients,
    platform: &Platform,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Vec<Step<Unregistered>>, RegistrationError> {
    let places = places(clients, platform, true)?;
    let mut steps = skipped(&places.not_installed, || Unregistered::NotInstalled);
    steps.extend(places.files.iter().map(|place| {
        let outcome = match &place.claude_cli {
            Some(claude) => {
                unregister_with_cli(place, claude, dry_run).map(Unregistered::WithClaudeCli)
            }
            None => unregister_from_file(&place.path, place.client, ENTRY_NAME, now, dry_run)
                .map(Unregistered::FromFile),
        };
        step(place, outcome)
    }));
    Ok(steps)
}

fn step<T>(place: &Place, outcome: Result<T, RegistrationError>) -> Step<T> {
    Step {
        client: place.client,
        path: place.path.clone(),
        installed: place.installed,
        outcome,
    }
}

/// A step for each client skipped as not installed.
fn skipped<T>(clients: &[Client], not_installed: impl Fn() -> T) -> Vec<Step<T>> {
    clients
        .iter()
        .map(|&client| Step {
            client,
            path: PathBuf::new(),
            installed: false,
            outcome: Ok(not_installed()),
        })
        .collect()
}

/// Registers through `claude mcp`, after the same checks as for a file: nothing to do
/// when the entry is there as wanted, the Node.js package under our name replaced
/// only when asked.
fn register_with_cli(
    place: &Place,
    claude: &Path,
    registration: &Registration,
    dry_run: bool,
) -> Result<ClaudeCli, RegistrationError> {
    let entry = &registration.entry;
    let (state, node) = inspect_file(&place.path, place.client, ENTRY_NAME, entry.command());
    let mut cli = ClaudeCli {
        program: claude.to_path_buf(),
        run: CliRun::Nothing,
        unreadable: None,
        other_node_entries: node.into_iter().filter(|n| n != ENTRY_NAME).collect(),
    };
    match state {
        EntryState::ConfigInvalid { message } => cli.unreadable = Some(message),
        EntryState::Registered if as_wanted(&place.path, registration) => return Ok(cli),
        EntryState::NodePackage if !registration.replace_node => {
            return Err(RegistrationError::NodeEntryInTheWay {
                name: ENTRY_NAME.to_owned(),
                path: place.path.clone(),
            });
        }
        _ => {}
    }
    if dry_run {
        cli.run = CliRun::WouldRun(add_commands(ENTRY_NAME, entry));
        return Ok(cli);
    }
    add_with_cli(claude, ENTRY_NAME, entry)?;
    cli.run = CliRun::Ran;
    Ok(cli)
}

/// Whether the file already holds our entry exactly as `registration` would write it
/// (program and settings alike: a change of settings is registered again).
fn as_wanted(path: &Path, registration: &Registration) -> bool {
    let current = read_optional(path).ok().flatten();
    let only_ours = Registration {
        replace_node: false,
        ..registration.clone()
    };
    matches!(
        register_in_bytes(current.as_deref(), path, &only_ours),
        Ok(None)
    )
}

fn unregister_with_cli(
    place: &Place,
    claude: &Path,
    dry_run: bool,
) -> Result<ClaudeCli, RegistrationError> {
    let (state, _) = inspect_file(&place.path, place.client, ENTRY_NAME, Path::new(""));
    let mut cli = ClaudeCli {
        program: claude.to_path_buf(),
        run: CliRun::Nothing,
        unreadable: None,
        other_node_entries: Vec::new(),
    };
    if state == EntryState::Missing {
        return Ok(cli);
    }
    if dry_run {
        cli.run = CliRun::WouldRun(vec![remove_command(ENTRY_NAME)]);
        return Ok(cli);
    }
    remove_with_cli(claude, ENTRY_NAME)?;
    cli.run = CliRun::Ran;
    Ok(cli)
}
