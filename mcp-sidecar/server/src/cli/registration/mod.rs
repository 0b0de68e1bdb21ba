//! `register`, `unregister`, `status`: novabackup-mcp in MCP clients' configurations.
//! A thin layer over the core's one registration (`novabackup_core::registration`),
//! a file per subcommand: it reads the real machine (environment, program path,
//! clock, process table) and prints the outcome.

mod register;
mod status;
mod unregister;
mod wait;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use novabackup_core::registration::{
    self as reg, Client, Clients, Platform, RegistrationError, ServerEntry, SystemProcesses,
};

pub use register::register;
pub use status::status;
pub use unregister::unregister;

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
    /// The clients chosen, in the file given with `--config` when there is one.
    fn clients(self, config: Option<PathBuf>) -> anyhow::Result<Clients> {
        let client = match self {
            ClientChoice::ClaudeDesktop => Client::ClaudeDesktop,
            ClientChoice::ClaudeCode => Client::ClaudeCode,
            ClientChoice::Cursor => Client::Cursor,
            ClientChoice::Vscode => Client::VsCode,
            ClientChoice::Windsurf => Client::Windsurf,
            ClientChoice::All if config.is_some() => {
                bail!("--config names one file: choose one client with --client, not `all`")
            }
            ClientChoice::All => return Ok(Clients::Installed),
        };
        Ok(match config {
            Some(path) => Clients::OneFile(client, path),
            None => Clients::One(client),
        })
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

/// Which client's settings `register` and `unregister` act on, and whether to change them.
#[derive(Debug, Args)]
pub struct SettingsChoice {
    /// Which client.
    #[arg(long, value_enum, default_value = "claude-desktop")]
    pub client: ClientChoice,
    /// Use this configuration file instead of the one found automatically.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print what would change, as a diff, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl SettingsChoice {
    /// The clients chosen, in the file given with `--config` when there is one.
    fn clients(&self) -> anyhow::Result<Clients> {
        self.client.clients(self.config.clone())
    }
}

/// Arguments of `register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Which client's settings, and whether to change them.
    #[command(flatten)]
    pub settings: SettingsChoice,
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
    /// Which client's settings, and whether to change them.
    #[command(flatten)]
    pub settings: SettingsChoice,
    /// Instead of removing the entry, put back a kept copy of the whole file.
    #[arg(long, value_enum)]
    pub restore: Option<RestoreChoice>,
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
    let servers_file = platform.host.servers_file().context(
        "no home folder is known (HOME is not set), so the profiles file cannot be located; \
         set HOME or MCP_SERVERS_FILE",
    )?;
    let servers_file = std::path::absolute(&servers_file).unwrap_or(servers_file);
    Ok(ServerEntry::new(program, servers_file))
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
    fn record(&mut self, client: Client, outcome: Result<bool, &RegistrationError>) {
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
