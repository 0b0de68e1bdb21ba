//! `login`, `list`, `test`, `logout`, `import`: the saved servers and their passwords.
//!
//! Settings go to the profiles file, passwords to the OS keychain, and every
//! password is checked against its server before it is kept. No password ever
//! reaches an argument, the output, an error or a log.

mod check;
mod import;
mod list;
mod login;
mod logout;
mod prompt;
mod sources;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use novabackup_core::ServerId;
use novabackup_core::keychain::Keychain;
use novabackup_core::profiles::{HostEnvironment, Profiles};

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
    /// Where to keep the password: the OS keychain, or (on a machine without one) a
    /// plain file readable only by you.
    #[arg(long, value_enum, default_value_t = PasswordStore::Keychain)]
    pub store: PasswordStore,
    /// With `--store credentials-file`: the file (default: MCP_CREDENTIALS_FILE, else
    /// ~/.novabackup-mcp/credentials.json).
    #[arg(long)]
    pub credentials_file: Option<PathBuf>,
}

/// Where `login` keeps a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PasswordStore {
    /// The OS keychain (the default, and the safe place).
    Keychain,
    /// A plain JSON file in the Node.js server's format, readable only by you: for a
    /// machine with no keychain. Anyone who can read your files can read the password.
    CredentialsFile,
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

/// Checks the credentials against the server, then saves the profile and keeps the
/// password in the keychain.
pub fn login(args: LoginArgs) -> anyhow::Result<ExitCode> {
    login::run(&Accounts::from_process()?, args)
}

/// Prints one line per saved server; never a secret.
pub fn list() -> anyhow::Result<ExitCode> {
    list::run(&Accounts::from_process()?)
}

/// Logs in to every saved server (or one) and reports each outcome.
pub fn test(server_id: Option<String>) -> anyhow::Result<ExitCode> {
    let server_id = server_id.map(|id| parse_server_id(&id)).transpose()?;
    check::run(&Accounts::from_process()?, server_id.as_ref())
}

/// Every saved server (or only `only`) as a fan-out target with a client made with
/// `settings`, or the reason it cannot be asked; for commands that read from the
/// servers (`health`).
pub fn saved_clients(
    only: Option<&ServerId>,
    settings: &novabackup_core::ClientSettings,
) -> anyhow::Result<Vec<novabackup_core::fanout::FanOutTarget<novabackup_core::ManagementClient>>> {
    check::saved_clients(&Accounts::from_process()?, only, settings)
}

/// Answers one keychain request from the companion app (see
/// `novabackup_core::keychain::owner`): the reply, failures included, goes to stdout.
pub fn answer_keychain_request() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    novabackup_core::keychain::owner::answer(Keychain::system(), stdin, stdout)
        .context("could not answer the keychain request")?;
    Ok(ExitCode::SUCCESS)
}

/// Forgets a saved server and deletes its password from the keychain.
pub fn logout(server_id: String) -> anyhow::Result<ExitCode> {
    logout::run(&Accounts::from_process()?, &parse_server_id(&server_id)?)
}

/// Moves the Node.js server's plaintext credentials into profiles and the keychain.
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    import::run(&Accounts::from_process()?, args)
}

/// Where this machine keeps saved servers, found once from the environment.
struct Accounts {
    host: HostEnvironment,
    servers_file: PathBuf,
}

impl Accounts {
    fn from_process() -> anyhow::Result<Self> {
        let host = HostEnvironment::from_process();
        let servers_file = host.servers_file().context(
            "cannot tell where to keep saved servers: no home folder is known. \
             Set HOME (or MCP_SERVERS_FILE to the file to use) and try again",
        )?;
        Ok(Self { host, servers_file })
    }

    fn load_profiles(&self) -> anyhow::Result<Profiles> {
        Ok(Profiles::load(&self.servers_file)?)
    }

    /// The OS keychain, with an error that says what to do when there is none.
    fn keychain(&self) -> anyhow::Result<Keychain> {
        Ok(Keychain::system()?)
    }
}

pub(crate) fn parse_server_id(text: &str) -> anyhow::Result<ServerId> {
    Ok(ServerId::new(text.trim())?)
}

/// A small current-thread runtime for the network calls of one command.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the network runtime")
}
