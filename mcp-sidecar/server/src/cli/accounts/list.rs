//! `list`: one line per saved server, with where its password is kept; never a secret.

use std::process::ExitCode;

use super::Accounts;
use novabackup_core::keychain::SystemKeychain;

use super::sources::{PasswordSource, keychain_password, saved_servers};

/// Prints one line per saved server (id, label, URL, username, password kept or not).
pub(super) fn run(accounts: &Accounts) -> anyhow::Result<ExitCode> {
    let servers = saved_servers(accounts)?;
    if servers.is_empty() {
        println!(
            "No saved servers in {}. Add one with `novabackup-mcp login`.",
            accounts.servers_file.display()
        );
        suggest_import(accounts);
        return Ok(ExitCode::SUCCESS);
    }
    let keychain = SystemKeychain::new();
    let mut rows = vec![["SERVER ID", "LABEL", "URL", "USERNAME", "PASSWORD"].map(str::to_owned)];
    for server in &servers {
        let profile = &server.profile;
        let password = match &server.password {
            PasswordSource::Plaintext { file, .. } => format!("in file {}", file.display()),
            PasswordSource::Missing { file } => format!("missing from {}", file.display()),
            PasswordSource::Keychain => match keychain_password(&keychain, &profile.server_id) {
                Ok(Some(_)) => "in keyring".to_owned(),
                Ok(None) => "missing".to_owned(),
                Err(_) => "unknown".to_owned(),
            },
        };
        rows.push([
            profile.server_id.to_string(),
            profile.label.clone(),
            profile.base_url.clone(),
            profile.username.clone().unwrap_or_else(|| "-".to_owned()),
            password,
        ]);
    }
    print_table(&rows);
    if let Err(message) = keychain.open()
        && servers
            .iter()
            .any(|s| matches!(s.password, PasswordSource::Keychain))
    {
        eprintln!("note: {message}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Mentions the Node.js server's plaintext file when it is there, with how to move it.
fn suggest_import(accounts: &Accounts) {
    if let Some(path) = accounts.host.credentials_file()
        && path.is_file()
    {
        println!(
            "The plaintext credentials file {} exists: move its servers into the keychain with `novabackup-mcp import`.",
            path.display()
        );
    }
}

/// Prints rows as left-aligned columns two spaces apart.
fn print_table<const N: usize>(rows: &[[String; N]]) {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        println!("{}", line.trim_end());
    }
}
