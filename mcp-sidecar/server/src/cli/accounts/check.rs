//! `test`: log in to every saved server (or one), concurrently, and report each.

use std::process::ExitCode;

use novabackup_core::ServerId;
use secrecy::SecretString;

use super::sources::{LazyKeychain, PasswordSource, SavedServer, saved_servers};
use super::verify::{self, Target, Verified};
use super::{Accounts, runtime};

/// Logs in to each saved server (or only `only`) and prints a line for each; fails
/// when any did.
pub(super) fn run(accounts: &Accounts, only: Option<&ServerId>) -> anyhow::Result<ExitCode> {
    let mut servers = saved_servers(accounts)?;
    if let Some(id) = only {
        servers.retain(|s| &s.profile.server_id == id);
        if servers.is_empty() {
            anyhow::bail!("there is no saved server \"{id}\". See them with `novabackup-mcp list`");
        }
    }
    if servers.is_empty() {
        eprintln!("No saved servers to test. Add one with `novabackup-mcp login`.");
        return Ok(ExitCode::FAILURE);
    }
    let keychain = LazyKeychain::new(accounts);
    let checks: Vec<_> = servers
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
                let profile = server.profile;
                let outcome = match check {
                    Ok(check) => verify::log_in(Target {
                        base_url: &profile.base_url,
                        username: &check.username,
                        password: &check.password,
                        ca_certificate: profile.ca_certificate.clone(),
                    })
                    .await
                    .map_err(|e| verify::explain(&e, &login_command(&profile.server_id))),
                    Err(message) => Err(message),
                };
                (index, profile, outcome)
            });
        }
        let mut outcomes = tasks.join_all().await;
        outcomes.sort_by_key(|(index, ..)| *index);
        outcomes
    });

    let width = outcomes
        .iter()
        .map(|(_, profile, _)| profile.server_id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut failed = 0;
    for (_, profile, outcome) in outcomes {
        let id = profile.server_id.as_str();
        match outcome {
            Ok(Verified { latency, token }) => println!(
                "ok    {id:<width$}  {}  {} ms  token valid until {}",
                profile.base_url,
                latency.as_millis(),
                token.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            Err(message) => {
                failed += 1;
                println!("FAIL  {id:<width$}  {}  {message}", profile.base_url);
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The username and password for one check.
struct Check {
    username: String,
    password: SecretString,
}

/// Finds the username and password of `server`, or says why the check cannot run.
fn prepare(keychain: &LazyKeychain<'_>, server: &SavedServer) -> Result<Check, String> {
    let server_id = &server.profile.server_id;
    let login_again = format!("Run `{}`.", login_command(server_id));
    let username = server
        .profile
        .username
        .clone()
        .ok_or_else(|| format!("No username is saved for it. {login_again}"))?;
    let password = match &server.password {
        PasswordSource::Plaintext { password, .. } => password.clone(),
        PasswordSource::Missing { file } => {
            return Err(format!(
                "No password for it in {}. Run `{} --store credentials-file`.",
                file.display(),
                login_command(server_id)
            ));
        }
        PasswordSource::Keychain => keychain
            .password(server_id)?
            .ok_or_else(|| format!("No password for it in the keychain. {login_again}"))?,
    };
    Ok(Check { username, password })
}

fn login_command(server_id: &ServerId) -> String {
    format!("novabackup-mcp login --server-id {server_id}")
}
