//! Saved servers: test a connection, save, remove (with the keychain entry) and check
//! health. The commands in `commands::servers` are thin wrappers over these.

use std::path::PathBuf;
use std::time::Duration;

use futures::future::{Abortable, Aborted};
use novabackup_core::fanout::{FanOutTarget, fan_out};
use novabackup_core::health::{self, HealthReport};
use novabackup_core::profiles::ServerProfile;
use novabackup_core::saving::{
    self, CaCertificate, NewPassword, RemoveError, SaveAs, SaveError, ServerDetails,
};
use novabackup_core::server_state::ServerState;
use novabackup_core::{
    ApiError, ClientSettings, Credentials, Deadline, ManagementClient, ServerId,
};
use secrecy::SecretString;

use crate::error::{CommandError, ErrorCode};
use crate::i18n;
use crate::settings::Settings;
use crate::state::{CheckTicket, Checked, Companion};
use crate::views::{
    ConnectionSummary, HealthLevel, HealthView, Overview, ServerInput, ServerView, narrow,
};

/// The client settings for a check under the user's settings.
pub(crate) fn client_settings(
    settings: &Settings,
    ca_certificate: Option<PathBuf>,
) -> ClientSettings {
    let timeout = Duration::from_secs(u64::from(settings.timeout_seconds));
    ClientSettings {
        connect_timeout: timeout.min(Duration::from_secs(5)),
        request_timeout: timeout,
        max_retries: 0,
        ca_certificate,
    }
}

/// Runs one timed check (fresh login and a cheap read) against an address; when it
/// passes, also returns the client it logged in with.
async fn check_address(
    companion: &Companion,
    base_url: &str,
    username: &str,
    password: SecretString,
    ca_certificate: Option<PathBuf>,
) -> (HealthReport, Option<ManagementClient>) {
    let settings = companion.settings();
    let budget = Duration::from_secs(u64::from(settings.timeout_seconds));
    let client_settings = client_settings(&settings, ca_certificate);
    let credentials = Credentials::new(username, password);
    let mut logged_in = None;
    let kept = &mut logged_in;
    let report = health::check(companion.clock.as_ref(), move || async move {
        let client = ManagementClient::new(base_url, credentials, &client_settings)?;
        let visible = health::probe(&client, Deadline::after(budget)).await?;
        *kept = Some(client);
        Ok(visible)
    })
    .await;
    (report, logged_in)
}

/// Tests the address and credentials the user typed, without saving anything.
/// [`cancel_connection_test`] (or the next test) stops it: its requests are dropped
/// and it answers [`ErrorCode::Cancelled`].
pub async fn test_connection(
    companion: &Companion,
    input: ServerInput,
) -> Result<ConnectionSummary, CommandError> {
    let registration = companion.begin_connection_test();
    let (username, password) = credentials_for(companion, &input).await?;
    let check = check_address(
        companion,
        input.base_url.trim(),
        &username,
        password,
        input.ca_certificate.as_deref().map(PathBuf::from),
    );
    let (report, _) = Abortable::new(check, registration)
        .await
        .map_err(|Aborted| {
            tracing::info!("connection test cancelled");
            CommandError::new(ErrorCode::Cancelled, "The connection test was stopped.")
        })?;
    let latency_ms = report.latency_ms();
    match (report.visible, report.error) {
        (_, Some(error)) => Err(error.into()),
        (Some(visible), None) => Ok(ConnectionSummary {
            agents: narrow(visible.agents),
            tenants: narrow(visible.tenants),
            latency_ms: narrow(latency_ms),
        }),
        (None, None) => Err(CommandError::other("The check ended without a result.")),
    }
}

/// Stops the running connection test, if any.
pub fn cancel_connection_test(companion: &Companion) {
    companion.cancel_connection_test();
}

/// The username and password to use for `input`: the typed password, or the saved
/// one when editing a server and the password field was left empty.
async fn credentials_for(
    companion: &Companion,
    input: &ServerInput,
) -> Result<(String, SecretString), CommandError> {
    require(companion, &input.base_url, "errors.input.baseUrl")?;
    require(companion, &input.username, "errors.input.username")?;
    if let Some(password) = &input.password {
        return Ok((input.username.trim().to_owned(), password.clone()));
    }
    let saved = match &input.server_id {
        Some(id) => companion.passwords.get(&parse_id(id)?).await?,
        None => None,
    };
    let password = saved.ok_or_else(|| input_error(companion, "errors.input.password"))?;
    Ok((input.username.trim().to_owned(), password))
}

/// A field left empty, in the app's language (`key` names the catalogue's sentence).
fn input_error(companion: &Companion, key: &str) -> CommandError {
    CommandError::invalid_input(i18n::text(companion.language(), key, &[]))
}

fn require(companion: &Companion, text: &str, key: &str) -> Result<(), CommandError> {
    if text.trim().is_empty() {
        Err(input_error(companion, key))
    } else {
        Ok(())
    }
}

fn parse_id(text: &str) -> Result<ServerId, CommandError> {
    ServerId::new(text).map_err(|e| CommandError::invalid_input(e.to_string()))
}

/// Saves a server (new or edited) and its password (in the keychain), through the
/// core's one save under the profiles lock (`novabackup_core::saving`).
pub async fn save(companion: &Companion, input: ServerInput) -> Result<ServerView, CommandError> {
    require(companion, &input.label, "errors.input.label")?;
    require(companion, &input.base_url, "errors.input.baseUrl")?;
    require(companion, &input.username, "errors.input.username")?;
    let save_as = match &input.server_id {
        Some(id) => SaveAs::Edit(parse_id(id)?),
        None if input.password.is_none() => {
            return Err(input_error(companion, "errors.input.password"));
        }
        None => SaveAs::NewFromLabel,
    };
    let details = ServerDetails {
        label: input.label,
        base_url: input.base_url,
        username: input.username,
        ca_certificate: CaCertificate::Set(input.ca_certificate.map(PathBuf::from)),
        password: input
            .password
            .map_or(NewPassword::Unchanged, NewPassword::Keychain),
    };
    let servers_file = companion.paths.servers_file.clone();
    let saved = companion
        .passwords
        .with_store(move |keychain| saving::save(&servers_file, save_as, details, keychain))
        .await
        .map_err(|error| not_saved(companion, error))?;
    let server_id = &saved.profile.server_id;
    companion.forget(server_id);
    tracing::info!(server = %server_id, "saved server");
    Ok(ServerView::of(
        &saved.profile,
        companion.is_demo(server_id),
        None,
    ))
}

/// Why a save failed, as the UI shows it.
fn not_saved(companion: &Companion, error: SaveError) -> CommandError {
    match error {
        SaveError::NotSaved { server_id } => no_longer_saved(&server_id),
        SaveError::PasswordNeeded { .. } => input_error(companion, "errors.input.password"),
        SaveError::Profiles(error) | SaveError::SettingsNotWritten { source: error, .. } => {
            error.into()
        }
        SaveError::Keychain(error) => error.into(),
        other @ SaveError::NotReadBack => CommandError::new(ErrorCode::Keychain, other.to_string()),
        other => CommandError::other(other),
    }
}

fn no_longer_saved(server_id: &ServerId) -> CommandError {
    CommandError::new(
        ErrorCode::NotFound,
        format!("The server {server_id} is no longer saved."),
    )
}

/// Removes a server and deletes its password from the keychain, through the core's
/// one removal under the profiles lock.
pub async fn remove(companion: &Companion, server_id: &str) -> Result<(), CommandError> {
    let server_id = parse_id(server_id)?;
    let servers_file = companion.paths.servers_file.clone();
    let id = server_id.clone();
    let removed = companion
        .passwords
        .with_store(move |keychain| saving::remove(&servers_file, &id, keychain))
        .await
        .map_err(|error| match error {
            RemoveError::Profiles(error) => CommandError::from(error),
            RemoveError::Keychain(error) => error.into(),
            other => CommandError::other(other),
        })?;
    if removed.profile.is_none() {
        return Err(no_longer_saved(&server_id));
    }
    companion.forget(&server_id);
    companion
        .update_settings_file(|file| file.demo_servers.retain(|id| id != server_id.as_str()))?;
    tracing::info!(server = %server_id, "removed server and its keychain entry");
    Ok(())
}

/// Checks one saved server (or every one, `None`), records the outcomes and returns
/// the new overview. A round of every server waits for the one before and checks at
/// most the configured number at once; each server shows as being checked only from
/// when its own check starts.
pub async fn check(companion: &Companion, only: Option<&str>) -> Result<Overview, CommandError> {
    if let Some(id) = only {
        let server_id = parse_id(id)?;
        run_check(companion, companion.begin_check(&server_id)).await;
        return Ok(companion.overview()?.0);
    }
    let _round = companion.round_gate().await;
    let ids: Vec<ServerId> = companion
        .profiles()?
        .servers()
        .iter()
        .map(|p| p.server_id.clone())
        .collect();
    let settings = companion.settings();
    // A check is a keychain read, a login and two reads, each bounded by the timeout;
    // the round gives each server that much and a little more.
    let per_check = Duration::from_secs(u64::from(settings.timeout_seconds) * 4 + 10);
    let targets = ids
        .into_iter()
        .map(|id| FanOutTarget::ready(id, ()))
        .collect();
    let round = fan_out(
        targets,
        settings.concurrency as usize,
        Deadline::after(per_check),
        |id, ()| async move {
            run_check(companion, companion.begin_check(&id)).await;
            Ok::<(), ApiError>(())
        },
    )
    .await;
    for outcome in round.outcomes {
        if let Err(miss) = outcome.result {
            // Cut off by the round's deadline: say so rather than "checking" forever.
            let ticket = companion.begin_check(&outcome.server_id);
            let checked = could_not_check(
                companion,
                miss.state(),
                crate::error::code_of_state(miss.state()),
                &miss.message(),
            );
            companion.record(ticket, checked);
        }
    }
    Ok(companion.overview()?.0)
}

/// Runs a check that has begun, against the server as saved now, and records its
/// outcome (kept only while it is the latest check of that server).
pub async fn run_check(companion: &Companion, ticket: CheckTicket) {
    let profile = match companion.profiles() {
        Ok(profiles) => profiles.get(ticket.server_id()).cloned(),
        Err(error) => {
            let checked =
                could_not_check(companion, ServerState::Other, error.code, &error.message);
            companion.record(ticket, checked);
            return;
        }
    };
    let Some(profile) = profile else {
        companion.abandon(ticket);
        return;
    };
    let checked = check_profile(companion, &profile).await;
    let state = checked.state;
    if companion.record(ticket, checked) {
        tracing::info!(server = %profile.server_id, ?state, "checked server");
    } else {
        tracing::debug!(server = %profile.server_id, "a later check of this server counts instead");
    }
}

async fn check_profile(companion: &Companion, profile: &ServerProfile) -> Checked {
    let password = match companion.passwords.get(&profile.server_id).await {
        Ok(Some(password)) => password,
        Ok(None) => {
            return could_not_check(
                companion,
                ServerState::NoPassword,
                ErrorCode::NoPassword,
                "No password is saved for this server. Edit it and enter the password.",
            );
        }
        Err(error) => {
            let message = error.to_string();
            return could_not_check(companion, ServerState::Other, ErrorCode::Keychain, &message);
        }
    };
    let username = profile.username.clone().unwrap_or_default();
    let (report, session) = check_address(
        companion,
        &profile.base_url,
        &username,
        password,
        profile.ca_certificate.clone(),
    )
    .await;
    Checked {
        state: report.state,
        view: HealthView::of(&report),
        session,
    }
}

fn could_not_check(
    companion: &Companion,
    state: ServerState,
    code: ErrorCode,
    message: &str,
) -> Checked {
    Checked {
        state,
        view: HealthView {
            state: HealthLevel::from(state),
            message: Some(message.to_owned()),
            detail: None,
            code: Some(code),
            checked_at: Some(companion.clock.now().to_rfc3339()),
            latency_ms: None,
        },
        session: None,
    }
}
