//! `test`: log in to every saved server (or one), through the core's fan-out, and
//! report each; and the saved servers as clients ready to ask, for `health`.

use std::process::ExitCode;

use std::time::Duration;

use novabackup_core::client::{ClientSettings, Credentials, ManagementClient};
use novabackup_core::fanout::{FanOutTarget, Miss, Unavailable, fan_out};
use novabackup_core::keychain::SystemKeychain;
use novabackup_core::limits;
use novabackup_core::profiles::ServerProfile;
use novabackup_core::server_state::ServerState;
use novabackup_core::{Deadline, ServerId};
use secrecy::SecretString;

use super::sources::{PasswordSource, SavedServer, keychain_password, saved_servers};
use super::verify::{self, LoginAttempt, Verified};
use super::{Accounts, runtime};

/// Logs in to each saved server (or only `only`) and prints a line for each; fails
/// when any did.
pub(super) fn run(accounts: &Accounts, only: Option<&ServerId>) -> anyhow::Result<ExitCode> {
    let servers = chosen(accounts, only)?;
    if servers.is_empty() {
        eprintln!("No saved servers to test. Add one with `novabackup-mcp login`.");
        return Ok(ExitCode::FAILURE);
    }
    let keychain = SystemKeychain::new();
    let targets: Vec<FanOutTarget<(ServerProfile, Check)>> = servers
        .into_iter()
        .map(|server| {
            let id = server.profile.server_id.clone();
            match prepare(&keychain, &server) {
                Ok(check) => FanOutTarget::ready(id, (server.profile, check)),
                Err(message) => no_password(id, message),
            }
        })
        .collect();
    let addresses: Vec<String> = targets
        .iter()
        .map(|t| {
            t.handle
                .as_ref()
                .map_or_else(|_| String::new(), |(p, _)| p.base_url.clone())
        })
        .collect();
    // Every server logs in at once (up to the usual fan-out bound), each within its
    // own login budget.
    let checked = runtime()?.block_on(fan_out(
        targets,
        limits::FANOUT_CONCURRENCY.default as usize,
        Deadline::after(verify::LOGIN_BUDGET + Duration::from_secs(5)),
        |_, (profile, check): (ServerProfile, Check)| async move {
            verify::log_in(LoginAttempt {
                base_url: &profile.base_url,
                username: &check.username,
                password: &check.password,
                ca_certificate: profile.ca_certificate.clone(),
            })
            .await
        },
    ));

    let width = checked
        .outcomes
        .iter()
        .map(|outcome| outcome.server_id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut failed = 0;
    for (outcome, base_url) in checked.outcomes.into_iter().zip(addresses) {
        let id = outcome.server_id.as_str();
        match outcome.result {
            Ok(Verified { latency, token }) => println!(
                "ok    {id:<width$}  {base_url}  {} ms  token valid until {}",
                latency.as_millis(),
                token.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            Err(miss) => {
                failed += 1;
                let message = match &miss {
                    Miss::Failed(error) => {
                        verify::explain(error, &login_command(&outcome.server_id))
                    }
                    Miss::Unavailable(unavailable) => unavailable.message.clone(),
                };
                println!("FAIL  {id:<width$}  {base_url}  {message}");
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Every saved server (or only `only`) as a fan-out target: a client with `settings`
/// (and the server's own CA certificate), or why it cannot be asked (no username or
/// password saved, an unusable address). Fails when `only` is not saved.
pub(super) fn saved_clients(
    accounts: &Accounts,
    only: Option<&ServerId>,
    settings: &ClientSettings,
) -> anyhow::Result<Vec<FanOutTarget<ManagementClient>>> {
    let servers = chosen(accounts, only)?;
    let keychain = SystemKeychain::new();
    Ok(servers
        .into_iter()
        .map(|server| {
            let id = server.profile.server_id.clone();
            let check = match prepare(&keychain, &server) {
                Ok(check) => check,
                Err(message) => return no_password(id, message),
            };
            let settings = ClientSettings {
                ca_certificate: server.profile.ca_certificate.clone(),
                ..settings.clone()
            };
            match ManagementClient::new(
                &server.profile.base_url,
                Credentials::new(check.username, check.password),
                &settings,
            ) {
                Ok(client) => FanOutTarget::ready(id, client),
                Err(error) => FanOutTarget::failed(id, error, None),
            }
        })
        .collect())
}

/// The saved servers, or only `only` (which must be saved).
fn chosen(accounts: &Accounts, only: Option<&ServerId>) -> anyhow::Result<Vec<SavedServer>> {
    let mut servers = saved_servers(accounts)?;
    if let Some(id) = only {
        servers.retain(|s| &s.profile.server_id == id);
        if servers.is_empty() {
            anyhow::bail!("there is no saved server \"{id}\". See them with `novabackup-mcp list`");
        }
    }
    Ok(servers)
}

/// A server that cannot be asked because its username or password is not saved.
fn no_password<H>(server_id: ServerId, message: String) -> FanOutTarget<H> {
    FanOutTarget::unavailable(
        server_id,
        Unavailable {
            state: ServerState::NoPassword,
            kind: "no_credentials".to_owned(),
            message,
            last_tried: None,
        },
    )
}

/// The username and password for one check.
struct Check {
    username: String,
    password: SecretString,
}

/// Finds the username and password of `server`, or says why the check cannot run.
fn prepare(keychain: &SystemKeychain, server: &SavedServer) -> Result<Check, String> {
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
        PasswordSource::Keychain => keychain_password(keychain, server_id)?
            .ok_or_else(|| format!("No password for it in the keychain. {login_again}"))?,
    };
    Ok(Check { username, password })
}

fn login_command(server_id: &ServerId) -> String {
    format!("novabackup-mcp login --server-id {server_id}")
}
