//! `register`, `unregister`, `status`: novabackup-mcp in MCP clients' configurations.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Which client: claude-desktop (default), claude-code, cursor, vscode, windsurf or all.
    #[arg(long, default_value = "claude-desktop")]
    pub client: String,
    /// Use this configuration file instead of the one found automatically.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print what would change, as a diff, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `unregister`.
#[derive(Debug, Args)]
pub struct UnregisterArgs {
    /// Which client: claude-desktop (default), claude-code, cursor, vscode, windsurf or all.
    #[arg(long, default_value = "claude-desktop")]
    pub client: String,
    /// Use this configuration file instead of the one found automatically.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn register(_args: RegisterArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("register is being built")
}

pub fn unregister(_args: UnregisterArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("unregister is being built")
}

pub fn status() -> anyhow::Result<ExitCode> {
    anyhow::bail!("status is being built")
}
