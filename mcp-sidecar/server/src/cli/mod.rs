//! The command line: argument shapes and dispatch. Each family lives in its own file.

mod accounts;
mod health;
mod registration;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// NovaBACKUP MCP server: lets Claude and other MCP clients read your NovaBACKUP
/// Management Servers. Run with no command to serve MCP on standard input/output.
#[derive(Debug, Parser)]
#[command(name = "novabackup-mcp", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save a Management Server: checks the credentials, then keeps the password in the OS keychain.
    Login(accounts::LoginArgs),
    /// List the saved Management Servers.
    List,
    /// Log in to every saved server (or one) and report whether it works.
    Test {
        /// Only this server.
        server_id: Option<String>,
    },
    /// Forget a saved server and delete its password from the keychain.
    Logout {
        /// The server to forget.
        server_id: String,
    },
    /// Move the Node.js server's plaintext credentials file into the profiles file and the keychain.
    Import(accounts::ImportArgs),
    /// Add novabackup-mcp to an MCP client's configuration (Claude Desktop by default).
    Register(registration::RegisterArgs),
    /// Remove novabackup-mcp from an MCP client's configuration.
    Unregister(registration::UnregisterArgs),
    /// Show, for every MCP client, whether novabackup-mcp is registered.
    Status,
    /// Did the backups work? Every customer on every saved server (or one), worst first.
    /// Exit code: 0 every customer ok, 1 warnings only, 2 a customer failing, 3 could
    /// not tell (no server answered, or one did not and nothing else is failing).
    Health(health::HealthArgs),
    /// Answer one keychain request (JSON on standard input) for the companion app, so
    /// that this program alone owns the keychain items.
    #[command(hide = true)]
    Keychain,
}

/// The exit code of a command line `health` could not read: 3, "could not tell",
/// never a code a monitoring script reads as a finding (clap's own is 2, "failing").
pub fn usage_error_code(args: &[std::ffi::OsString]) -> Option<u8> {
    (args.get(1).and_then(|a| a.to_str()) == Some("health")).then_some(3)
}

/// Runs one subcommand and turns its outcome into an exit code, printing the error
/// chain on stderr.
pub fn run(command: Command) -> ExitCode {
    let outcome = match command {
        // Its exit codes are findings: it reports its own failures as 3.
        Command::Health(args) => return health::run(args),
        Command::Login(args) => accounts::login(args),
        Command::List => accounts::list(),
        Command::Test { server_id } => accounts::test(server_id),
        Command::Logout { server_id } => accounts::logout(server_id),
        Command::Import(args) => accounts::import(args),
        Command::Register(args) => registration::register(args),
        Command::Unregister(args) => registration::unregister(args),
        Command::Status => registration::status(),
        Command::Keychain => accounts::answer_keychain_request(),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
