//! `register`, `unregister`, `status`: novabackup-mcp in MCP clients' configurations.
//! A thin layer over `novabackup_core::registration`: it reads the real machine
//! (environment, program path, clock, process table) and prints the outcome.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use clap::{Args, ValueEnum};
use novabackup_core::registration::{
    self as reg, Client, ENTRY_NAME, EntryState, FileChange, Platform, Registration,
    RegistrationError, RestorePoint, ServerEntry, SystemProcesses,
};

/// The client(s) to act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClientChoice {
    /// Claude Desktop.
    ClaudeDesktop,
    /// Claude Code (through `claude mcp` when it is on PATH, else `~/.claude.json`).
    ClaudeCode,
    /// Cursor.
    Cursor,
    /// VS Code (and VS Code Insiders when present).
    Vscode,
    /// Windsurf.
    Windsurf,
    /// Every installed client.
    All,
}

impl ClientChoice {
    fn clients(self) -> Vec<Client> {
        match self {
            ClientChoice::ClaudeDesktop => vec![Client::ClaudeDesktop],
            ClientChoice::ClaudeCode => vec![Client::ClaudeCode],
            ClientChoice::Cursor => vec![Client::Cursor],
            ClientChoice::Vscode => vec![Client::VsCode],
            ClientChoice::Windsurf => vec![Client::Windsurf],
            ClientChoice::All => Client::ALL.to_vec(),
        }
    }
}

/// A kept copy to put back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RestoreChoice {
    /// The file as it was before novabackup-mcp first changed it.
    Original,
    /// The version before the most recent change.
    Latest,
}

/// Arguments of `register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Which client.
    #[arg(long, value_enum, default_value = "claude-desktop")]
    pub client: ClientChoice,
    /// Use this configuration file instead of the one found automatically.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print what would change, as a diff, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace entries that run the Node.js package @novabackup/management-server-mcp.
    #[arg(long)]
    pub replace_node: bool,
    /// When Claude Desktop has two differing settings files (Windows), write both.
    #[arg(long)]
    pub all_configs: bool,
    /// When Claude Desktop is running, wait (up to 30 minutes) until it quits, then
    /// check the entry is still there and write it again if Claude removed it.
    #[arg(long)]
    pub wait: bool,
}

/// Arguments of `unregister`.
#[derive(Debug, Args)]
pub struct UnregisterArgs {
    /// Which client.
    #[arg(long, value_enum, default_value = "claude-desktop")]
    pub client: ClientChoice,
    /// Use this configuration file instead of the one found automatically.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print what would change, as a diff, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Instead of removing the entry, put back a kept copy of the whole file.
    #[arg(long, value_enum)]
    pub restore: Option<RestoreChoice>,
}

/// One file to act on.
struct Target {
    client: Client,
    path: PathBuf,
    installed: bool,
    claude_cli: Option<PathBuf>,
}

/// The files to act on for `choice`, or a refusal (two differing copies, a
/// `--config` for several clients).
fn targets(
    choice: ClientChoice,
    config: Option<&Path>,
    platform: &Platform,
    all_configs: bool,
) -> anyhow::Result<Vec<Target>> {
    let clients = choice.clients();
    if let Some(path) = config {
        let [client] = clients[..] else {
            bail!("--config names one file: choose one client with --client, not `all`");
        };
        return Ok(vec![Target {
            client,
            path: path.to_path_buf(),
            installed: true,
            claude_cli: None,
        }]);
    }
    let mut found = Vec::new();
    for client in clients {
        let discovery = reg::discover(client, platform);
        if choice == ClientChoice::All && !discovery.installed {
            println!("{client}: not installed, skipped");
            continue;
        }
        let conflicting = discovery.conflicting_copies();
        let mut locations = discovery.targets.clone();
        if !conflicting.is_empty() {
            if !all_configs {
                return Err(RegistrationError::ConflictingCopies {
                    owner: client.display_name().to_owned(),
                    paths: conflicting,
                }
                .into());
            }
            locations.extend(discovery.alternatives.iter().filter(|a| a.exists).cloned());
        }
        for location in locations {
            found.push(Target {
                client,
                path: location.path,
                installed: discovery.installed,
                claude_cli: discovery.claude_cli.clone(),
            });
        }
    }
    Ok(found)
}

/// The real machine, as registration sees it; refused without a home folder, which
/// every client's settings live under.
fn platform() -> anyhow::Result<Platform> {
    let platform = Platform::from_process();
    if platform.home().is_none() {
        bail!(
            "no home folder is known (HOME, or USERPROFILE on Windows, is not set), so the MCP \
             clients' settings cannot be found; set it and try again"
        );
    }
    Ok(platform)
}

/// This program's own path, symbolic links resolved.
fn own_path() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("could not find this program's own path")?;
    Ok(exe.canonicalize().unwrap_or(exe))
}

/// The entry for this program, with the absolute path of the profiles file.
fn entry(platform: &Platform) -> anyhow::Result<ServerEntry> {
    let program = own_path()?;
    reg::check_stable(&program, platform)?;
    let servers_file = platform.host.servers_file().context(
        "no home folder is known (HOME is not set), so the profiles file cannot be located; \
         set HOME or MCP_SERVERS_FILE",
    )?;
    let servers_file = std::path::absolute(&servers_file).unwrap_or(servers_file);
    Ok(ServerEntry::new(program, servers_file))
}

/// `register`: adds or updates the entry in each chosen client.
pub fn register(args: RegisterArgs) -> anyhow::Result<ExitCode> {
    let platform = platform()?;
    let entry = entry(&platform)?;
    let targets = targets(
        args.client,
        args.config.as_deref(),
        &platform,
        args.all_configs,
    )?;
    // Claude Desktop runs novabackup-mcp itself when it is installed as an extension:
    // a settings entry would start a second copy, so none is added.
    let extension = args
        .config
        .is_none()
        .then(|| reg::claude_desktop_extension(&platform))
        .flatten();
    let mut tally = Tally::default();
    let mut desktop_files = Vec::new();
    for target in targets {
        let name = target.client.display_name();
        if let (Client::ClaudeDesktop, Some(extension)) = (target.client, &extension) {
            report_extension(extension);
            continue;
        }
        if !target.installed {
            println!("{name} does not seem to be installed; the entry will be there when it is.");
        }
        let registration = Registration {
            client: target.client,
            name: ENTRY_NAME.to_owned(),
            entry: entry.clone(),
            replace_node: args.replace_node,
        };
        let outcome = match &target.claude_cli {
            Some(claude) => register_with_cli(&target, claude, &entry, &args),
            None => reg::register_in_file(&target.path, &registration, Utc::now(), args.dry_run)
                .map(|change| {
                    report_register(name, &change, &args);
                    change.update.changed() && !args.dry_run
                }),
        };
        if outcome.is_ok() && target.client == Client::ClaudeDesktop && !args.dry_run {
            desktop_files.push((target.path, registration));
        }
        tally.record(target.client, outcome);
    }
    if args.wait {
        wait_then_check(&desktop_files, &mut tally);
    }
    Ok(tally.finish())
}

/// How long `register --wait` waits for Claude Desktop to quit.
const WAIT_LIMIT: Duration = Duration::from_secs(30 * 60);

/// Claude Desktop may write its settings back when it quits, dropping an entry added
/// while it ran: wait until it has quit, then make sure the entry is still there.
fn wait_then_check(files: &[(PathBuf, Registration)], tally: &mut Tally) {
    if files.is_empty() || !reg::claude_desktop_running(&SystemProcesses) {
        return;
    }
    println!("Waiting for Claude Desktop to quit (use Quit in its tray icon menu)...");
    let deadline = Instant::now() + WAIT_LIMIT;
    while reg::claude_desktop_running(&SystemProcesses) {
        if Instant::now() > deadline {
            println!(
                "Claude Desktop is still running; run `novabackup-mcp status` after it quits."
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    for (path, registration) in files {
        let outcome = reg::register_in_file(path, registration, Utc::now(), false).map(|change| {
            let path = change.update.path.display();
            if change.update.changed() {
                println!(
                    "Claude Desktop dropped the entry from {path} as it quit; it was written again."
                );
            } else {
                println!("Claude Desktop has quit and the entry is still in {path}.");
            }
            false
        });
        tally.record(Client::ClaudeDesktop, outcome);
    }
}

/// What the commands did over several files: whether one failed, whether Claude
/// Desktop's settings changed (it must be restarted to see it).
#[derive(Default)]
struct Tally {
    failed: bool,
    changed_claude_desktop: bool,
}

impl Tally {
    /// Notes one file's outcome (`Ok(true)`: it was changed), printing a refusal on stderr.
    fn record(&mut self, client: Client, outcome: Result<bool, RegistrationError>) {
        match outcome {
            Ok(changed) => {
                self.changed_claude_desktop |= changed && client == Client::ClaudeDesktop
            }
            Err(e) => {
                eprintln!("error: {e}");
                self.failed = true;
            }
        }
    }

    /// Reminds to restart Claude Desktop when its settings changed; the exit code.
    fn finish(self) -> ExitCode {
        if self.changed_claude_desktop {
            remind_if_running();
        }
        if self.failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Registers in Claude Code through `claude mcp`, after the same checks as for a file:
/// nothing to do when registered, the Node.js package under our name replaced only
/// when asked, other Node.js entries reported.
fn register_with_cli(
    target: &Target,
    claude: &Path,
    entry: &ServerEntry,
    args: &RegisterArgs,
) -> Result<bool, RegistrationError> {
    let name = target.client.display_name();
    let (state, node) = reg::inspect_file(&target.path, target.client, ENTRY_NAME, entry.command());
    if let EntryState::ConfigInvalid { message } = state {
        println!("{name}: note: {message}");
    } else if state == EntryState::Registered {
        println!("{name}: already registered, nothing to do");
        return Ok(false);
    } else if state == EntryState::NodePackage && !args.replace_node {
        return Err(RegistrationError::NodeEntryInTheWay {
            name: ENTRY_NAME.to_owned(),
            path: target.path.clone(),
        });
    }
    let others: Vec<&str> = node
        .iter()
        .map(String::as_str)
        .filter(|n| *n != ENTRY_NAME)
        .collect();
    if !others.is_empty() {
        println!(
            "{name}: the Node.js server is registered too ({}); remove it with `claude mcp remove <name>`, then run `novabackup-mcp import`",
            others.join(", ")
        );
    }
    if args.dry_run {
        for call in reg::add_commands(ENTRY_NAME, entry) {
            println!("would run: {} {}", claude.display(), call.join(" "));
        }
        return Ok(false);
    }
    reg::add_with_cli(claude, ENTRY_NAME, entry)?;
    println!("{name}: registered with `claude mcp add --scope user`");
    Ok(true)
}

fn report_register(name: &str, change: &FileChange, args: &RegisterArgs) {
    let path = change.update.path.display();
    if args.dry_run {
        if change.update.changed() {
            print!("{}", change.update.diff());
        } else {
            println!("{name}: already registered in {path}, nothing would change");
        }
    } else if change.update.changed() {
        println!("{name}: registered in {path}");
        if change.update.before.is_some() {
            println!(
                "  (earlier versions are kept in {}; undo with `novabackup-mcp unregister --restore latest`)",
                reg::backups_dir(&change.update.path).display()
            );
        }
    } else {
        println!("{name}: already registered in {path}, nothing to do");
    }
    if change.node_entries.is_empty() {
        return;
    }
    let names = change.node_entries.join(", ");
    if args.replace_node {
        println!(
            "{name}: {} the Node.js server's entry ({names}); run `novabackup-mcp import` to move its saved credentials into the keychain",
            if args.dry_run {
                "would replace"
            } else {
                "replaced"
            }
        );
    } else {
        println!(
            "{name}: the Node.js server is registered too ({names}); run `novabackup-mcp register --replace-node` to remove it, then `novabackup-mcp import`"
        );
    }
}

/// `unregister`: removes only our entry (or puts back a kept copy with `--restore`).
pub fn unregister(args: UnregisterArgs) -> anyhow::Result<ExitCode> {
    let platform = platform()?;
    let targets = targets(args.client, args.config.as_deref(), &platform, true)?;
    let mut tally = Tally::default();
    for target in targets {
        let name = target.client.display_name();
        let outcome = match (args.restore, &target.claude_cli) {
            (Some(point), _) => restore(&target, point, args.dry_run),
            (None, Some(claude)) => unregister_with_cli(&target, claude, args.dry_run),
            (None, None) => reg::unregister_from_file(
                &target.path,
                target.client,
                ENTRY_NAME,
                Utc::now(),
                args.dry_run,
            )
            .map(|update| {
                let path = update.path.display();
                if args.dry_run && update.changed() {
                    print!("{}", update.diff());
                } else if update.changed() {
                    println!("{name}: unregistered from {path}");
                } else {
                    println!("{name}: not registered in {path}, nothing to do");
                }
                update.changed() && !args.dry_run
            }),
        };
        tally.record(target.client, outcome);
    }
    Ok(tally.finish())
}

fn unregister_with_cli(
    target: &Target,
    claude: &Path,
    dry_run: bool,
) -> Result<bool, RegistrationError> {
    let name = target.client.display_name();
    let (state, _) = reg::inspect_file(&target.path, target.client, ENTRY_NAME, Path::new(""));
    if state == EntryState::Missing {
        println!("{name}: not registered, nothing to do");
        return Ok(false);
    }
    if dry_run {
        println!(
            "would run: {} {}",
            claude.display(),
            reg::remove_command(ENTRY_NAME).join(" ")
        );
        return Ok(false);
    }
    reg::remove_with_cli(claude, ENTRY_NAME)?;
    println!("{name}: unregistered with `claude mcp remove --scope user`");
    Ok(true)
}

fn restore(
    target: &Target,
    point: RestoreChoice,
    dry_run: bool,
) -> Result<bool, RegistrationError> {
    let point = match point {
        RestoreChoice::Original => RestorePoint::Original,
        RestoreChoice::Latest => RestorePoint::Latest,
    };
    let name = target.client.display_name();
    if dry_run {
        println!(
            "{name}: would restore {} from its {point:?} backup",
            target.path.display()
        );
        return Ok(false);
    }
    let (from, update) = reg::restore(&target.path, point, Utc::now())?;
    if update.changed() {
        println!(
            "{name}: restored {} from {}",
            update.path.display(),
            from.display()
        );
    } else {
        println!(
            "{name}: {} already matches {}, nothing to do",
            update.path.display(),
            from.display()
        );
    }
    Ok(update.changed())
}

/// `status`: one line per client (and per file, for VS Code stable and Insiders).
pub fn status() -> anyhow::Result<ExitCode> {
    let platform = platform()?;
    let exe = own_path()?;
    if let Err(e) = reg::check_stable(&exe, &platform) {
        println!("note: {e}");
    }
    for client in Client::ALL {
        for line in reg::client_status(client, &platform, &exe, &SystemProcesses) {
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Says that Claude Desktop has novabackup-mcp as an extension, so no entry is added.
fn report_extension(extension: &reg::InstalledExtension) {
    let version = extension
        .version
        .as_deref()
        .map(|v| format!(" ({v})"))
        .unwrap_or_default();
    println!(
        "Claude Desktop: novabackup-mcp is installed as a Claude Desktop extension{version}, \
         which Claude starts itself; no settings entry is added (it would start a second copy). \
         To use this program instead, remove the extension in Claude Desktop's Settings → \
         Extensions, then register again."
    );
    if extension.enabled == Some(false) {
        println!(
            "Claude Desktop: the extension is switched off; switch it on in Settings → Extensions."
        );
    }
}

/// Claude Desktop reads its settings only at start and may write them back when it
/// quits: say so when it runs now.
fn remind_if_running() {
    if reg::claude_desktop_running(&SystemProcesses) {
        println!(
            "Claude Desktop is running: quit it from its tray icon (closing the window is not enough) and \
             start it again to load the change. It may rewrite its settings when it quits: run \
             `novabackup-mcp status` afterwards to check the entry is still there."
        );
    } else {
        println!("Start (or restart) Claude Desktop to load the change.");
    }
}
