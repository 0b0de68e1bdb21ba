//! What the app holds while it runs: where its files are, the keychain, the last
//! check of each server, the settings, and the clocks.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures::future::{AbortHandle, AbortRegistration};

use novabackup_core::health::{Clock, Summary, summarize};
use novabackup_core::profiles::Profiles;
use novabackup_core::registration::{Platform, ProcessLister};
use novabackup_core::server_state::ServerState;
use novabackup_core::{ManagementClient, ServerId};

use crate::error::CommandError;
use crate::i18n::Language;
use crate::passwords::Passwords;
use crate::settings::{Settings, SettingsFile};
use crate::summary::{self, Seen};
use crate::views::{HealthLevel, HealthView, Overview, ServerView};

/// The files the app reads and writes.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The saved servers (`servers.json`, shared with `novabackup-mcp`).
    pub servers_file: PathBuf,
    /// The app's own settings.
    pub settings_file: PathBuf,
    /// Where the rotating log files go.
    pub log_folder: PathBuf,
    /// The user's data folder for the app (a stable copy of the sidecar lives here).
    pub data_folder: PathBuf,
}

/// The last check of one server.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The state, for the summary.
    pub state: ServerState,
    /// The state as the UI shows it.
    pub view: HealthView,
    /// The client the check logged in with, when it passed: the backup digest that
    /// follows the round asks the server with it rather than logging in again.
    pub session: Option<ManagementClient>,
}

/// A check of one server that has begun: while it is the latest begun for that server
/// (and the server was not edited or removed since), the server shows as being checked
/// and [`Companion::record`] keeps its outcome. Every ticket must end in
/// [`Companion::record`] or [`Companion::abandon`].
#[derive(Debug)]
pub struct CheckTicket {
    server_id: ServerId,
    number: u64,
}

impl CheckTicket {
    /// The server being checked.
    pub fn server_id(&self) -> &ServerId {
        &self.server_id
    }
}

/// Whether Claude Desktop has been restarted since it was connected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RestartWatch {
    /// Nothing to wait for.
    #[default]
    Idle,
    /// Connected while Claude ran: waiting for it to quit.
    WaitingForQuit,
    /// Claude quit: waiting for it to start again.
    WaitingForStart,
}

/// The app's state, shared by every command.
pub struct Companion {
    /// Where the files are.
    pub paths: Paths,
    /// Where passwords are kept.
    pub passwords: Passwords,
    /// The machine as the registration code sees it (home, config folders, PATH).
    pub platform: Platform,
    /// The `novabackup-mcp` program to register in clients (a stable path).
    pub sidecar: PathBuf,
    /// The running processes (to notice Claude Desktop restarting).
    pub processes: Arc<dyn ProcessLister + Send + Sync>,
    /// The clocks health checks read.
    pub clock: Arc<dyn Clock>,
    /// The system's language (the app speaks it unless the user chose another).
    pub system_language: Language,
    /// The last backup digest and what is kept between rounds.
    pub backups: crate::backups::Backups,
    checks: Mutex<HashMap<ServerId, Checked>>,
    running: Mutex<HashMap<ServerId, u64>>,
    tickets: AtomicU64,
    file: Mutex<SettingsFile>,
    restart: Mutex<RestartWatch>,
    connection_test: Mutex<Option<AbortHandle>>,
    round: tokio::sync::Mutex<()>,
    changes: tokio::sync::watch::Sender<Settings>,
    touched: tokio::sync::watch::Sender<u64>,
}

impl Companion {
    /// The state over these files and parts; reads the settings file.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        paths: Paths,
        passwords: Passwords,
        platform: Platform,
        sidecar: PathBuf,
        processes: Arc<dyn ProcessLister + Send + Sync>,
        clock: Arc<dyn Clock>,
        system_language: Language,
    ) -> Result<Self, CommandError> {
        let file = SettingsFile::load(&paths.settings_file)?;
        let (changes, _) = tokio::sync::watch::channel(file.settings.clone());
        Ok(Self {
            paths,
            passwords,
            platform,
            sidecar,
            processes,
            clock,
            system_language,
            backups: crate::backups::Backups::default(),
            checks: Mutex::new(HashMap::new()),
            running: Mutex::new(HashMap::new()),
            tickets: AtomicU64::new(0),
            file: Mutex::new(file),
            restart: Mutex::new(RestartWatch::Idle),
            connection_test: Mutex::new(None),
            round: tokio::sync::Mutex::new(()),
            changes,
            touched: tokio::sync::watch::channel(0).0,
        })
    }

    /// The saved servers, read afresh (the command line may have changed them).
    pub fn profiles(&self) -> Result<Profiles, CommandError> {
        Ok(Profiles::load(&self.paths.servers_file)?)
    }

    /// The current settings.
    pub fn settings(&self) -> Settings {
        lock(&self.file).settings.clone()
    }

    /// The language the app speaks now: the one chosen in Settings, or the system's.
    pub fn language(&self) -> Language {
        self.settings().language.resolve(self.system_language)
    }

    /// A copy of the settings file's content.
    pub fn settings_file(&self) -> SettingsFile {
        lock(&self.file).clone()
    }

    /// Changes the settings file and saves it.
    pub fn update_settings_file(
        &self,
        change: impl FnOnce(&mut SettingsFile),
    ) -> Result<SettingsFile, CommandError> {
        let mut file = lock(&self.file);
        let mut next = file.clone();
        change(&mut next);
        next.save(&self.paths.settings_file)?;
        *file = next.clone();
        Ok(next)
    }

    /// Tells whoever watches (the health loop, start at login) that settings changed.
    pub fn settings_changed(&self) {
        self.changes.send_replace(self.settings());
    }

    /// Settings as they change.
    pub fn watch_settings(&self) -> tokio::sync::watch::Receiver<Settings> {
        self.changes.subscribe()
    }

    /// Whether a server is one of the app's demo servers.
    pub fn is_demo(&self, server_id: &ServerId) -> bool {
        lock(&self.file)
            .demo_servers
            .iter()
            .any(|id| id == server_id.as_str())
    }

    /// Begins a check of a server: from now until its outcome is recorded the server
    /// shows as being checked. A check begun earlier for the same server no longer
    /// counts.
    pub fn begin_check(&self, server_id: &ServerId) -> CheckTicket {
        let number = self.tickets.fetch_add(1, Ordering::Relaxed);
        lock(&self.running).insert(server_id.clone(), number);
        self.touch();
        CheckTicket {
            server_id: server_id.clone(),
            number,
        }
    }

    /// Records the outcome of a check; returns false (and keeps nothing) when a later
    /// check of the same server began, or the server was edited or removed, meanwhile.
    pub fn record(&self, ticket: CheckTicket, checked: Checked) -> bool {
        let mut running = lock(&self.running);
        if running.get(&ticket.server_id) != Some(&ticket.number) {
            return false;
        }
        running.remove(&ticket.server_id);
        lock(&self.checks).insert(ticket.server_id, checked);
        drop(running);
        self.touch();
        true
    }

    /// Ends a check without an outcome (its server is no longer saved).
    pub fn abandon(&self, ticket: CheckTicket) {
        let mut running = lock(&self.running);
        if running.get(&ticket.server_id) == Some(&ticket.number) {
            running.remove(&ticket.server_id);
            drop(running);
            self.touch();
        }
    }

    /// Tells whoever shows the servers (tray, window) that something changed.
    pub fn touch(&self) {
        self.touched.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Changes to the servers or their health, as they happen.
    pub fn watch_servers(&self) -> tokio::sync::watch::Receiver<u64> {
        self.touched.subscribe()
    }

    /// Starts a connection test, stopping the one before (the form shows only the
    /// latest): the test runs under the registration, which a cancel aborts.
    pub fn begin_connection_test(&self) -> AbortRegistration {
        let (handle, registration) = AbortHandle::new_pair();
        if let Some(previous) = lock(&self.connection_test).replace(handle) {
            previous.abort();
        }
        registration
    }

    /// Stops the running connection test, if any: its requests are dropped at once.
    pub fn cancel_connection_test(&self) {
        if let Some(running) = lock(&self.connection_test).take() {
            running.abort();
        }
    }

    /// Forgets the last check of a server, and any check of it still running (after an
    /// edit or a removal).
    pub fn forget(&self, server_id: &ServerId) {
        let mut running = lock(&self.running);
        running.remove(server_id);
        lock(&self.checks).remove(server_id);
        drop(running);
        self.touch();
    }

    /// The client the last check of `server_id` logged in with, when that check
    /// passed and no check of it runs now (the digest then asks with it).
    pub fn session(&self, server_id: &ServerId) -> Option<ManagementClient> {
        let running = lock(&self.running);
        if running.contains_key(server_id) {
            return None;
        }
        lock(&self.checks)
            .get(server_id)
            .and_then(|checked| checked.session.clone())
    }

    /// Every saved server with its last check (shown as being checked while a check of
    /// it runs), and the summary of the last checks, worded in the app's language.
    pub fn overview(&self) -> Result<(Overview, Summary), CommandError> {
        let profiles = self.profiles()?;
        let running = lock(&self.running);
        let checks = lock(&self.checks);
        let servers: Vec<ServerView> = profiles
            .servers()
            .iter()
            .map(|profile| {
                let mut view = ServerView::of(profile, self.is_demo(&profile.server_id), None);
                if let Some(checked) = checks.get(&profile.server_id) {
                    view.health = checked.view.clone();
                }
                if running.contains_key(&profile.server_id) {
                    view.health.state = HealthLevel::Checking;
                }
                view
            })
            .collect();
        let summary = summarize(profiles.servers().iter().map(|profile| {
            (
                profile.display_name(),
                checks.get(&profile.server_id).map(|c| c.state),
            )
        }));
        let seen: Vec<Seen<'_>> = profiles
            .servers()
            .iter()
            .map(|profile| Seen {
                name: profile.display_name(),
                last: checks.get(&profile.server_id).map(|c| c.state),
                running: running.contains_key(&profile.server_id),
            })
            .collect();
        let text = summary::sentence(self.language(), summary.overall, &seen);
        let overview = Overview {
            servers,
            overall: summary.overall.into(),
            summary: text,
        };
        Ok((overview, summary))
    }

    /// The Claude Desktop restart watch.
    pub fn restart_watch(&self) -> MutexGuard<'_, RestartWatch> {
        lock(&self.restart)
    }

    /// Held during a round of checks, so two rounds never overlap.
    pub async fn round_gate(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.round.lock().await
    }
}

/// Locks a mutex, carrying on with the data if a thread panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
