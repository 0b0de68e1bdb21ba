//! The health loop: a round of checks at start and every N minutes (or when asked),
//! then the tray, the window and notifications follow; client entries are looked at
//! after each round and repaired when the user asked for that. A server just saved is
//! checked at once, without waiting for the next round.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use novabackup_core::ServerId;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;
use tokio::sync::Notify;

use crate::backups::{self, BackupNotice};
use crate::clients;
use crate::error::ErrorCode;
use crate::events::{BackupsChanged, ClientsChecked, GlanceChanged, HealthChanged};
use crate::i18n::{self, Language};
use crate::servers;
use crate::settings::Settings;
use crate::state::Companion;
use crate::tray;
use crate::views::{HealthLevel, Overview, ServerView};

/// Wakes the loop for a round now (the tray's "Check now").
#[derive(Default, Clone)]
pub struct Wake(pub Arc<Notify>);

/// Shows the glance in the tray and tells the window (its header shows the same).
fn publish_glance(app: &AppHandle, overview: &Overview) {
    let glance = tray::show(app, overview).view();
    if let Err(error) = (GlanceChanged { glance }).emit(app) {
        tracing::warn!(%error, "could not tell the window about the tray's state");
    }
}

/// Sends the overview to the tray and the window.
pub fn publish(app: &AppHandle, overview: &Overview) {
    publish_glance(app, overview);
    if let Err(error) = (HealthChanged {
        overview: overview.clone(),
    })
    .emit(app)
    {
        tracing::warn!(%error, "could not tell the window about new health");
    }
}

/// Sends the Backups view to the window, and the tray the glance over the servers and
/// the backups.
pub fn publish_backups(app: &AppHandle, companion: &Companion, overview: &Overview) {
    publish_glance(app, overview);
    let backups = companion.backups.view(companion);
    if let Err(error) = (BackupsChanged { backups }).emit(app) {
        tracing::warn!(%error, "could not tell the window about the backups");
    }
}

/// Shows a desktop notification for each customer whose backups newly went wrong,
/// when the user wants them.
fn notify_backups(app: &AppHandle, companion: &Companion, news: Vec<BackupNotice>) {
    let enabled = companion.settings().backup_notifications;
    for notice in news {
        tracing::info!(customer = %notice.customer, title = %notice.title, "backups newly went wrong");
        if enabled {
            show_notification(app, notice.title, notice.body);
        }
    }
}

/// Shows one desktop notification (a failure to show it is logged, not fatal).
fn show_notification(app: &AppHandle, title: String, body: String) {
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(%error, "could not show a notification");
    }
}

/// Checks a server just saved (new or edited) at once, beside the rounds: the answer
/// shows it being checked, and the window and tray hear of the outcome as soon as the
/// check ends; then the backups are looked at again.
pub fn check_at_once<R: Runtime>(app: &AppHandle<R>, mut saved: ServerView) -> ServerView {
    let Ok(server_id) = ServerId::new(&saved.server_id) else {
        return saved;
    };
    let ticket = app.state::<Companion>().begin_check(&server_id);
    saved.health.state = HealthLevel::Checking;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let companion = app.state::<Companion>();
        servers::run_check(&companion, ticket).await;
        // Its customers' backups too, without waiting for the next round.
        companion.backups.want_round();
    });
    saved
}

/// Runs a backup digest each time one is asked for (after every health round, the
/// loop's and "Check now"'s), one at a time, until the app quits.
fn spawn_backups(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            let companion = app.state::<Companion>();
            companion.backups.wanted().await;
            let overview = match companion.overview() {
                Ok((overview, _)) => overview,
                Err(error) => {
                    tracing::warn!(%error, "could not read the saved servers");
                    continue;
                }
            };
            let news = backups::round(&companion, &overview).await;
            publish_backups(&app, &companion, &overview);
            notify_backups(&app, &companion, news);
        }
    });
}

/// Runs the loop until the app quits.
pub fn spawn(app: AppHandle) {
    spawn_backups(app.clone());
    tauri::async_runtime::spawn(async move {
        let wake = app.state::<Wake>().inner().clone();
        let mut settings = app.state::<Companion>().watch_settings();
        let mut last: HashMap<String, HealthLevel> = HashMap::new();
        let mut warned_clients = false;
        loop {
            let companion = app.state::<Companion>();
            match servers::check(&companion, None).await {
                Ok(overview) => {
                    notify_changes(&app, &companion, &mut last, &overview);
                    companion.backups.want_round();
                }
                Err(error) => tracing::warn!(%error, "health round failed"),
            }
            let clients;
            (warned_clients, clients) = look_at_clients(&app, &companion, warned_clients);
            if let Err(error) = (ClientsChecked { clients }).emit(&app) {
                tracing::warn!(%error, "could not tell the window about the clients");
            }
            let before = companion.settings();
            let minutes = u64::from(before.check_interval_minutes.max(1));
            let due = tokio::time::sleep(Duration::from_secs(minutes * 60));
            tokio::pin!(due);
            loop {
                tokio::select! {
                    () = &mut due => break,
                    () = wake.0.notified() => break,
                    changed = settings.changed() => {
                        if changed.is_err() { return; }
                        let now = settings.borrow_and_update().clone();
                        if shapes_the_rounds(&before, &now) { break; }
                    }
                }
            }
        }
    });
}

/// Whether a change of settings calls for a round now: the interval, the backups'
/// period or how servers are asked changed (a new language or a switched notification
/// does not).
pub fn shapes_the_rounds(before: &Settings, now: &Settings) -> bool {
    (
        before.check_interval_minutes,
        before.backup_window,
        before.concurrency,
        before.timeout_seconds,
    ) != (
        now.check_interval_minutes,
        now.backup_window,
        now.concurrency,
        now.timeout_seconds,
    )
}

/// A notice for the desktop: a server went down or came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The server.
    pub server_id: String,
    /// Whether it is healthy now.
    pub healthy: bool,
    /// The notification's title.
    pub title: String,
    /// The notification's text.
    pub body: String,
}

/// The servers whose health flipped since the last round (`last` is updated), worded
/// in `language`. A server seen for the first time, being checked or not checked yet
/// gives no notice.
pub fn changes(
    last: &mut HashMap<String, HealthLevel>,
    overview: &Overview,
    language: Language,
) -> Vec<Notice> {
    let mut notices = Vec::new();
    for server in &overview.servers {
        let now = server.health.state;
        if matches!(now, HealthLevel::Checking | HealthLevel::NotChecked) {
            continue;
        }
        let Some(before) = last.insert(server.server_id.clone(), now) else {
            continue;
        };
        let (was_ok, is_ok) = (before == HealthLevel::Healthy, now == HealthLevel::Healthy);
        if was_ok == is_ok {
            continue;
        }
        let label = [("label", server.label.as_str())];
        let (title, body) = if is_ok {
            (
                i18n::text(language, "notifications.backTitle", &label),
                i18n::text(language, "notifications.backBody", &[]),
            )
        } else {
            (
                i18n::text(language, "notifications.downTitle", &label),
                i18n::text(language, down_body(server.health.code), &[]),
            )
        };
        notices.push(Notice {
            server_id: server.server_id.clone(),
            healthy: is_ok,
            title,
            body,
        });
    }
    notices
}

/// What to tell of a server that stopped answering: what went wrong and what to do,
/// when the code says; else where to look.
fn down_body(code: Option<ErrorCode>) -> &'static str {
    match code {
        Some(ErrorCode::WrongPassword) => "errors.wrong_password",
        Some(ErrorCode::NoPassword) => "errors.no_password",
        Some(ErrorCode::Unreachable) => "errors.unreachable",
        Some(ErrorCode::Certificate) => "errors.certificate",
        Some(ErrorCode::CertificateRejected) => "errors.certificate_rejected",
        _ => "notifications.downBody",
    }
}

/// Shows a desktop notification for each server that went down or came back.
fn notify_changes(
    app: &AppHandle,
    companion: &Companion,
    last: &mut HashMap<String, HealthLevel>,
    overview: &Overview,
) {
    let enabled = companion.settings().notifications;
    for notice in changes(last, overview, companion.language()) {
        tracing::info!(server = %notice.server_id, healthy = notice.healthy, "server health changed");
        if enabled {
            show_notification(app, notice.title, notice.body);
        }
    }
}

/// Repairs broken client entries when asked to, else warns once; returns whether a
/// warning is outstanding, and every client's status after that.
fn look_at_clients(
    app: &AppHandle,
    companion: &Companion,
    warned: bool,
) -> (bool, Vec<clients::ClientView>) {
    if companion.settings().auto_repair {
        let repaired = clients::repair_all(companion);
        if !repaired.is_empty() {
            tracing::info!(?repaired, "repaired client entries");
        }
        return (false, clients::all(companion));
    }
    let all = clients::all(companion);
    let broken: Vec<String> = all
        .iter()
        .filter(|c| c.needs_repair())
        .map(|c| c.name.clone())
        .collect();
    if broken.is_empty() {
        return (false, all);
    }
    if !warned && companion.settings().notifications {
        let (title, body) = clients_lost(companion.language(), &broken);
        show_notification(app, title, body);
    }
    (true, all)
}

/// The notification's title and text when clients lost their connection.
pub fn clients_lost(language: Language, names: &[String]) -> (String, String) {
    let names_text = i18n::list(language, names);
    (
        i18n::text(language, "notifications.clientsLostTitle", &[]),
        i18n::counted(
            language,
            "notifications.clientsLostBody",
            names.len(),
            &[("names", &names_text)],
        ),
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_what_shapes_a_round_starts_one() {
        use crate::backups::BackupWindow;
        use crate::i18n::LanguageChoice;
        let before = Settings::default();
        let language = Settings {
            language: LanguageChoice::German,
            notifications: false,
            ..before.clone()
        };
        assert!(
            !shapes_the_rounds(&before, &language),
            "a language or a notification switch"
        );
        let week = Settings {
            backup_window: BackupWindow::Week,
            ..before.clone()
        };
        assert!(
            shapes_the_rounds(&before, &week),
            "another period for the backups"
        );
        let interval = Settings {
            check_interval_minutes: 15,
            ..before.clone()
        };
        assert!(shapes_the_rounds(&before, &interval));
    }

    use super::*;
    use crate::views::{HealthView, OverallLevel, ServerView};

    fn overview(state: HealthLevel) -> Overview {
        let mut health = HealthView::not_checked();
        health.state = state;
        health.message = Some("Could not reach https://acme.example.com: refused".into());
        health.code = (state == HealthLevel::Unreachable).then_some(ErrorCode::Unreachable);
        Overview {
            servers: vec![ServerView {
                server_id: "acme".into(),
                label: "Acme MS".into(),
                base_url: "https://acme.example.com/managementserver".into(),
                username: Some("tech".into()),
                ca_certificate: None,
                demo: false,
                health,
            }],
            overall: OverallLevel::Checking,
            summary: String::new(),
        }
    }

    #[test]
    fn only_a_flip_between_healthy_and_failing_gives_a_notice() {
        let en = Language::English;
        let mut last = HashMap::new();
        assert!(
            changes(&mut last, &overview(HealthLevel::Healthy), en).is_empty(),
            "first sight"
        );
        assert!(
            changes(&mut last, &overview(HealthLevel::Healthy), en).is_empty(),
            "no change"
        );
        assert!(
            changes(&mut last, &overview(HealthLevel::Checking), en).is_empty(),
            "checking"
        );
        assert!(
            changes(&mut last, &overview(HealthLevel::NotChecked), en).is_empty(),
            "not checked"
        );
        let down = changes(&mut last, &overview(HealthLevel::Unreachable), en);
        assert_eq!(down.len(), 1);
        assert_eq!(down[0].title, "Acme MS stopped answering");
        assert_eq!(
            down[0].body,
            "Could not reach the server. Check the address, including \"/managementserver\" at the end."
        );
        assert!(
            changes(&mut last, &overview(HealthLevel::WrongPassword), en).is_empty(),
            "still failing, for another reason"
        );
        let back = changes(&mut last, &overview(HealthLevel::Healthy), en);
        assert_eq!(back.len(), 1);
        assert!(back[0].healthy);
        assert_eq!(back[0].title, "Acme MS is back");
    }

    #[test]
    fn notices_speak_german_when_the_app_does() {
        let de = Language::German;
        let mut last = HashMap::new();
        changes(&mut last, &overview(HealthLevel::Healthy), de);
        let down = changes(&mut last, &overview(HealthLevel::Unreachable), de);
        assert_eq!(down[0].title, "Acme MS antwortet nicht mehr");
        assert!(
            down[0].body.starts_with("Der Server ist nicht erreichbar."),
            "{}",
            down[0].body
        );
        let down = {
            changes(&mut last, &overview(HealthLevel::Healthy), de);
            changes(&mut last, &overview(HealthLevel::Other), de)
        };
        assert_eq!(
            down[0].body, "Öffnen Sie NovaBACKUP MCP Companion, um Details zu sehen.",
            "no code: where to look"
        );
        let back = changes(&mut last, &overview(HealthLevel::Healthy), de);
        assert_eq!(back[0].title, "Acme MS ist wieder erreichbar");
        assert_eq!(back[0].body, "Der Server antwortet wieder.");
    }

    #[test]
    fn lost_clients_are_named_in_a_list() {
        let one = ["Claude Desktop".to_owned()];
        let two = ["Claude Desktop".to_owned(), "Claude Code".to_owned()];
        assert_eq!(
            clients_lost(Language::English, &one).1,
            "Claude Desktop lost its connection to NovaBACKUP. Open the app and choose Repair."
        );
        assert_eq!(
            clients_lost(Language::German, &two),
            (
                "Claude ist nicht mehr verbunden".to_owned(),
                "Claude Desktop und Claude Code haben die Verbindung zu NovaBACKUP verloren. Öffnen Sie die App und wählen Sie „Reparieren“.".to_owned()
            )
        );
    }
}
