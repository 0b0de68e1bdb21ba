//! `status`: one line per client (and per file, for VS Code stable and Insiders).

use std::process::ExitCode;

use novabackup_core::registration::{self as reg, Client, SystemProcesses};

use super::{own_path, platform};

/// Prints where novabackup-mcp stands in every client.
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
