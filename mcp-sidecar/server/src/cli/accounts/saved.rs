//! `list`, `test`, `logout`: what is saved, whether it works, and forgetting it.

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use novabackup_core::ServerId;
use novabackup_core::keychain::Keychain;
use novabackup_core::profiles::ServerProfile;
use secrecy::SecretString;

use super::verify::{self, Target, Verified};
use super::{Accounts, runtime};

/// Prints one line per saved server (id, label, URL, username, password kept or not).
pub(super) fn list(accounts: &Accounts) -> anyhow::Result<ExitCode> {
    let profiles = accounts.load_profiles()?;
    if profiles.servers().is_empty() {
        println!(
            "No saved servers in {}. Add one with `novabackup-mcp login`.",
            profiles.path().display()
        );
        suggest_import(accounts);
        return Ok(ExitCode::SUCCESS);
    }
    let keychain = accounts.keychain();
    if let Err(error) = &keychain {
        eprintln!("note: {error:#}");
    }
    let mut rows = vec![[
        "SERVER ID".to_owned(),
        "LABEL".to_owned(),
        "URL".to_owned(),
        "USERNAME".to_owned(),
        "PASSWORD".to_owned(),
    ]];
    for server in profiles.servers() {
        let password = match &keychain {
            Ok(keychain) => match keychain.get(&server.server_id) {
                Ok(Some(_)) => "in keyring".to_owned(),
                Ok(None) => "missing".to_owned(),
                Err(error) => format!("unknown ({error})"),
            },
            Err(_) => "unknown".to_owned(),
        };
        rows.push([
            server.server_id.to_string(),
            server.label.clone(),
            server.base_url.clone(),
            server.username.clone().unwrap_or_else(|| "-".to_owned()),
            password,
        ]);
    }
    print_table(&rows);
    Ok(ExitCode::SUCCESS)
}

/// Logs in to each saved server (or only `only`), concurrently, and prints a line for
/// each; fails when any did.
pub(super) fn test(accounts: &Accounts, only: Option<&ServerId>) -> anyhow::Result<ExitCode> {
    let profiles = accounts.load_profiles()?;
    let servers: Vec<ServerProfile> = match only {
        Some(id) => vec![profiles.get(id).cloned().with_context(|| {
            format!("there is no saved server \"{id}\". See them with `novabackup-mcp list`")
        })?],
        None => profiles.servers().to_vec(),
    };
    if servers.is_empty() {
        eprintln!("No saved servers to test. Add one with `novabackup-mcp login`.");
        return Ok(ExitCode::FAILURE);
    }
    let keychain = accounts.keychain()?;
    let checks: Vec<(ServerProfile, Result<Check, String>)> = servers
        .into_iter()
        .map(|server| {
            let check = prepare(&keychain, &server);
            (server, check)
        })
        .collect();

    let outcomes = runtime()?.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for (index, (server, check)) in checks.into_iter().enumerate() {
            tasks.spawn(async move {
                let outcome = match check {
                    Ok(check) => verify::log_in(Target {
                        base_url: &server.base_url,
                        username: &check.username,
                        password: &check.password,
                        ca_certificate: server.ca_certificate.clone(),
                    })
                    .await
                    .map_err(|e| {
                        let retry =
                            format!("novabackup-mcp login --server-id {}", server.server_id);
                        verify::explain(&e, &retry)
                    }),
                    Err(message) => Err(message),
                };
                (index, server, outcome)
            });
        }
        let mut outcomes = tasks.join_all().await;
        outcomes.sort_by_key(|(index, ..)| *index);
        outcomes
    });

    let width = outcomes
        .iter()
        .map(|(_, server, _)| server.server_id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut failed = 0;
    for (_, server, outcome) in outcomes {
        let id = server.server_id.as_str();
        match outcome {
            Ok(Verified { latency, token }) => println!(
                "ok    {id:<width$}  {}  {} ms  token valid until {}",
                server.base_url,
                latency.as_millis(),
                token.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            Err(message) => {
                failed += 1;
                println!("FAIL  {id:<width$}  {}  {message}", server.base_url);
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The username and password for one check, or why it cannot run.
struct Check {
    username: String,
    password: SecretString,
}

fn prepare(keychain: &Keychain, server: &ServerProfile) -> Result<Check, String> {
    let login_again = format!(
        "Run `novabackup-mcp login --server-id {}`.",
        server.server_id
    );
    let Some(username) = server.username.clone() else {
        return Err(format!("No username is saved for it. {login_again}"));
    };
    match keychain.get(&server.server_id) {
        Ok(Some(password)) => Ok(Check { username, password }),
        Ok(None) => Err(format!("No password for it in the keychain. {login_again}")),
        Err(error) => Err(error.to_string()),
    }
}

/// Removes the server's profile and its keychain password, saying what was there.
pub(super) fn logout(accounts: &Accounts, server_id: &ServerId) -> anyhow::Result<ExitCode> {
    let mut profiles = accounts.load_profiles()?;
    let keychain = accounts
        .keychain()
        .context("could not reach the keychain, so nothing was removed")?;
    let removed = profiles.remove(server_id);
    if removed.is_some() {
        profiles.save()?;
    }
    let deleted = keychain
        .delete(server_id)
        .with_context(|| format!("could not delete the password of {server_id}"))?;
    match (removed, deleted) {
        (Some(profile), true) => println!(
            "Removed {server_id} ({}) and deleted its password from your system keyring.",
            profile.base_url
        ),
        (Some(profile), false) => println!(
            "Removed {server_id} ({}). There was no password for it in your system keyring.",
            profile.base_url
        ),
        (None, true) => println!(
            "{server_id} was not a saved server; deleted the password it had left in your system keyring."
        ),
        (None, false) => bail!(
            "there is no saved server \"{server_id}\" and no password for it in the keychain; \
             nothing to do. See the saved servers with `novabackup-mcp list`"
        ),
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
