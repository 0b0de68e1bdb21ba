//! `test`: log in to every saved server (or one), concurrently, and report each; and
//! the saved servers as clients ready to ask, for `health`.

use std::process::ExitCode;

use novabackup_core::ServerId;
use novabackup_core::client::{ClientSettings, Credentials, ManagementClient};
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

/// A saved server as a client to ask, or the reason it cannot be asked.
pub struct SavedClient {
    /// The server's id.
    pub server_id: ServerId,
    /// The client, or what keeps the server from being asked (no username or
    /// password saved, an unusable address) and what to do.
    pub client: Result<ManagementClient, String>,
}

/// Every saved server (or only `only`) as a client with `settings`, in profile order.
/// Fails when `only` is not saved; an empty list when nothing is.
pub(super) fn saved_clients(
    accounts: &Accounts,
    only: Option<&ServerId>,
    settings: &ClientSettings,
) -> anyhow::Result<Vec<SavedClient>> {
    let mut servers = saved_servers(accounts)?;
    if let Some(id) = only {
        servers.retain(|s| &s.profile.server_id == id);
        if servers.is_empty() {
            anyhow::bail!("there is no saved server \"{id}\". See them with `novabackup-mcp list`");
        }
    }
    let keychain = LazyKeychain::new(accounts);
    Ok(servers
        .into_iter()
        .map(|server| {
            let client = prepare(&keychain, &server).and_then(|check| {
                let settings = ClientSettings {
                    ca_certificate: server.profile.ca_certificate.clone(),
                    ..settings.clone()
                };
                ManagementClient::new(
                    &server.profile.base_url,
                    Credentials::new(check.username, check.password),
                    &settings,
                )
                .map_err(|e| e.to_string())
            });
            SavedClient {
                server_id: server.profile.server_id,
                client,
            }
        })
        .collect())
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
