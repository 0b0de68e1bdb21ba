//! `login`, `list`, `test`, `logout`, `import`: the saved servers and their passwords.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Server id (letters, digits, '_' and '-'), for example "acme-eu".
    #[arg(long)]
    pub server_id: Option<String>,
    /// A friendly name shown in lists.
    #[arg(long)]
    pub label: Option<String>,
    /// The Management Server address, including "/managementserver" when it has one.
    #[arg(long)]
    pub url: Option<String>,
    /// Your Management Server (CMon) username.
    #[arg(long)]
    pub username: Option<String>,
    /// Read the password from standard input and ask nothing.
    #[arg(long)]
    pub password_stdin: bool,
    /// A PEM file with the certificate authority that signed the server's certificate.
    #[arg(long)]
    pub ca_certificate: Option<PathBuf>,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Node.js server's credentials file (default: ~/.novabackup-mcp/credentials.json).
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// Delete the plaintext file once every entry is safely stored.
    #[arg(long)]
    pub delete_plaintext: bool,
}

pub fn login(_args: LoginArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("login is being built")
}

pub fn list() -> anyhow::Result<ExitCode> {
    anyhow::bail!("list is being built")
}

pub fn test(_server_id: Option<String>) -> anyhow::Result<ExitCode> {
    anyhow::bail!("test is being built")
}

pub fn logout(_server_id: String) -> anyhow::Result<ExitCode> {
    anyhow::bail!("logout is being built")
}

pub fn import(_args: ImportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("import is being built")
}
