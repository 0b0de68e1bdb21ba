//! The backups at a glance: after each health round the app runs the core's
//! backup-health digest (the same as `get_backup_health`) over the saved servers that
//! answered, for the period chosen in Settings, reading each finished run's log once.
//! The Backups tab, the tray and the notifications are faces of that one digest.

mod glance;
mod notices;
mod view;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use novabackup_core::digest::{Digest, DigestRequest, LogMemory, Period, digest_over};
use novabackup_core::fanout::{FanOutTarget, Unavailable};
use novabackup_core::server_state::ServerState;
use novabackup_core::{Credentials, Deadline, ManagementClient, ServerId};

pub use glance::{Attention, Glance, GlanceView, MENU_CUSTOMERS, TrayGlance, glance, problems};
pub use notices::{Announced, BackupNotice};
pub use view::{
    BackupWindow, BackupsState, BackupsView, CauseView, CustomerView, GapView, RunCounts,
    RunOutcome, RunView, StaleView, VerdictView, customer_key,
};

use crate::error::ErrorCode;
use crate::state::Companion;
use crate::views::{HealthLevel, HealthView, Overview};

/// The kind of a server not asked because no password is saved for it.
pub const NO_PASSWORD: &str = "no_credentials";
/// The kind of a server not asked because it refused the saved username or password
/// at its last health check.
pub const PASSWORD_REFUSED: &str = "password_refused";
/// The kind of a server not asked because its certificate was not trusted at its last
/// health check.
pub const CERTIFICATE_NOT_TRUSTED: &str = "certificate_not_trusted";
/// The kind of a server not asked because its password could not be read from the
/// system's password store at its last health check.
pub const PASSWORD_STORE_UNAVAILABLE: &str = "password_store_unavailable";
/// The kind of a server not asked because its last health check did not pass.
pub const NOT_ANSWERING: &str = "server_not_answering";

/// Whether a server left out for `kind` waits for the user (a password, a
/// certificate, an unlocked password store) rather than for the server to answer again: "did not answer" would
/// send the user looking at the network.
pub fn waits_for_the_user(kind: &str) -> bool {
    [
        NO_PASSWORD,
        PASSWORD_REFUSED,
        CERTIFICATE_NOT_TRUSTED,
        PASSWORD_STORE_UNAVAILABLE,
    ]
    .contains(&kind)
}

/// Failing runs the app lists per customer (the counts stay exact either way).
const LISTED_RUNS: usize = 100;

/// The last digest and what the app keeps between rounds.
#[derive(Debug, Default)]
pub struct Backups {
    /// First problem lines already read.
    memory: LogMemory,
    /// The last digest, its period and when it finished.
    latest: Mutex<Option<Latest>>,
    /// What was already announced.
    announced: Mutex<Announced>,
    /// Asks for a digest after a health round (the app's loop, "Check now").
    wanted: tokio::sync::Notify,
}

#[derive(Debug)]
struct Latest {
    digest: Digest,
    window: BackupWindow,
    checked_at: chrono::DateTime<chrono::Utc>,
}

impl Backups {
    /// The Backups view now: the last digest (if it covers `window`), named with the
    /// saved servers' labels.
    pub fn view(&self, companion: &Companion) -> BackupsView {
        let window = companion.settings().backup_window;
        let Ok(profiles) = companion.profiles() else {
            return BackupsView::empty(BackupsState::Checking, window);
        };
        if profiles.servers().is_empty() {
            return BackupsView::empty(BackupsState::NotSetUp, window);
        }
        let labels: HashMap<ServerId, String> = profiles
            .servers()
            .iter()
            .map(|p| (p.server_id.clone(), p.display_name().to_owned()))
            .collect();
        let latest = self
            .latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match latest.as_ref() {
            Some(latest) if latest.window == window => {
                BackupsView::of(&latest.digest, window, latest.checked_at, &labels)
            }
            _ => BackupsView::empty(BackupsState::Checking, window),
        }
    }

    /// Asks for a digest over the servers as the last health round left them.
    pub fn want_round(&self) {
        self.wanted.notify_one();
    }

    /// Waits until a digest is asked for.
    pub async fn wanted(&self) {
        self.wanted.notified().await;
    }

    /// How many logs' first lines are kept.
    pub fn logs_kept(&self) -> usize {
        self.memory.len()
    }
}

/// What the tray and the window's header show now: the glance over the servers'
/// `overview` and the last digest, in the app's language.
pub fn glance_now(companion: &Companion, overview: &Overview) -> TrayGlance {
    glance(
        overview,
        &companion.backups.view(companion),
        companion.language(),
    )
}

/// Runs the digest over the saved servers after a health round whose result is
/// `overview`: servers that did not answer it are not asked again (they are reported
/// as not answering). Returns the notices for what newly went wrong.
pub async fn round(companion: &Companion, overview: &Overview) -> Vec<BackupNotice> {
    let settings = companion.settings();
    let Ok(profiles) = companion.profiles() else {
        return Vec::new();
    };
    if profiles.servers().is_empty() {
        *lock(&companion.backups.latest) = None;
        return Vec::new();
    }
    let health: HashMap<&str, &HealthView> = overview
        .servers
        .iter()
        .map(|s| (s.server_id.as_str(), &s.health))
        .collect();
    let mut targets = Vec::new();
    for profile in profiles.servers() {
        let id = profile.server_id.clone();
        let checked = health.get(profile.server_id.as_str()).copied();
        if let Some(unavailable) = not_asked(checked) {
            targets.push(FanOutTarget::unavailable(id, unavailable));
            continue;
        }
        // The round's check just logged in: ask with its client, not a second login.
        if let Some(session) = companion.session(&profile.server_id) {
            targets.push(FanOutTarget::ready(id, session));
            continue;
        }
        let password = match companion.passwords.get(&profile.server_id).await {
            Ok(Some(password)) => password,
            Ok(None) => {
                targets.push(FanOutTarget::unavailable(id, no_password()));
                continue;
            }
            Err(error) => {
                let unavailable = Unavailable {
                    state: ServerState::NoPassword,
                    kind: PASSWORD_STORE_UNAVAILABLE.to_owned(),
                    message: error.to_string(),
                    last_tried: None,
                };
                targets.push(FanOutTarget::unavailable(id, unavailable));
                continue;
            }
        };
        let credentials = Credentials::new(profile.username.clone().unwrap_or_default(), password);
        let client_settings =
            crate::servers::client_settings(&settings, profile.ca_certificate.clone());
        match ManagementClient::new(&profile.base_url, credentials, &client_settings) {
            Ok(client) => targets.push(FanOutTarget::ready(id, client)),
            Err(error) => targets.push(FanOutTarget::failed(id, error, None)),
        }
    }
    let window = settings.backup_window;
    let now = companion.clock.now();
    let request = DigestRequest {
        max_failing_runs: LISTED_RUNS,
        ..DigestRequest::new(Period::Window(window.core()), now)
    };
    // Every read of a server is bounded by the timeout; a digest is a handful of
    // them in a row (login, four collections, then the logs): it gets that much.
    let budget = Duration::from_secs(u64::from(settings.timeout_seconds) * 8 + 10);
    let digest = digest_over(
        targets,
        settings.concurrency as usize,
        &request,
        Deadline::after(budget),
        &companion.backups.memory,
    )
    .await;
    tracing::info!(
        customers = digest.totals.customers,
        failing_runs = digest.totals.failing_runs,
        stale = digest.totals.stale_agents,
        complete = digest.complete,
        logs_read = digest.totals.logs.read,
        "backup digest"
    );
    let notices = lock(&companion.backups.announced).news(&digest, companion.language());
    *lock(&companion.backups.latest) = Some(Latest {
        digest,
        window,
        checked_at: companion.clock.now(),
    });
    notices
}

/// Why a server is not asked for its backups: its last health check did not pass
/// (`None`: it passed, so it is asked).
fn not_asked(checked: Option<&HealthView>) -> Option<Unavailable> {
    let checked = checked?;
    let (state, kind, otherwise) = match (checked.state, checked.code) {
        (HealthLevel::Healthy, _) => return None,
        (_, Some(ErrorCode::NoPassword)) => return Some(no_password()),
        (HealthLevel::WrongPassword, _) | (_, Some(ErrorCode::WrongPassword)) => (
            ServerState::WrongPassword,
            PASSWORD_REFUSED,
            "The server refused the saved username or password at the last health check.",
        ),
        (_, Some(ErrorCode::Keychain)) => (
            ServerState::NoPassword,
            PASSWORD_STORE_UNAVAILABLE,
            "The password could not be read from the system's password store.",
        ),
        (HealthLevel::Certificate, _)
        | (_, Some(ErrorCode::Certificate | ErrorCode::CertificateRejected)) => (
            ServerState::Certificate,
            CERTIFICATE_NOT_TRUSTED,
            "The server's certificate was not trusted at the last health check.",
        ),
        _ => (
            ServerState::Unreachable,
            NOT_ANSWERING,
            "The server did not answer the last health check.",
        ),
    };
    Some(Unavailable {
        state,
        kind: kind.to_owned(),
        message: checked
            .message
            .clone()
            .unwrap_or_else(|| otherwise.to_owned()),
        last_tried: None,
    })
}

fn no_password() -> Unavailable {
    Unavailable {
        state: ServerState::NoPassword,
        kind: NO_PASSWORD.to_owned(),
        message: "No password is saved for this server.".to_owned(),
        last_tried: None,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(state: HealthLevel, code: Option<ErrorCode>) -> HealthView {
        HealthView {
            state,
            message: None,
            detail: None,
            code,
            checked_at: None,
            latency_ms: None,
        }
    }

    #[test]
    fn a_server_left_out_is_named_by_what_it_waits_for() {
        let cases = [
            (
                HealthLevel::WrongPassword,
                Some(ErrorCode::WrongPassword),
                PASSWORD_REFUSED,
            ),
            (HealthLevel::Other, Some(ErrorCode::NoPassword), NO_PASSWORD),
            (
                HealthLevel::Other,
                Some(ErrorCode::Keychain),
                PASSWORD_STORE_UNAVAILABLE,
            ),
            (
                HealthLevel::Certificate,
                Some(ErrorCode::Certificate),
                CERTIFICATE_NOT_TRUSTED,
            ),
            (
                HealthLevel::Certificate,
                Some(ErrorCode::CertificateRejected),
                CERTIFICATE_NOT_TRUSTED,
            ),
            (
                HealthLevel::Unreachable,
                Some(ErrorCode::Unreachable),
                NOT_ANSWERING,
            ),
            (HealthLevel::Other, Some(ErrorCode::Other), NOT_ANSWERING),
            (HealthLevel::Checking, None, NOT_ANSWERING),
        ];
        for (state, code, kind) in cases {
            let left_out = not_asked(Some(&checked(state, code))).expect("not asked");
            assert_eq!(left_out.kind, kind, "{state:?} {code:?}");
            assert_eq!(
                waits_for_the_user(kind),
                kind != NOT_ANSWERING,
                "only a server that did not answer is waited for, not the user: {kind}"
            );
            assert!(!left_out.message.is_empty());
        }
        assert!(not_asked(Some(&checked(HealthLevel::Healthy, None))).is_none());
        assert!(not_asked(None).is_none(), "not checked yet: asked");
    }
}
