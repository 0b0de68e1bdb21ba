//! The health loop: a round of checks at start and every N minutes (or when asked),
//! then the tray, the window and notifications follow; client entries are looked at
//! after each round and repaired when the user asked for that.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;
use tokio::sync::Notify;

use crate::clients;
use crate::events::HealthChanged;
use crate::servers;
use crate::state::Companion;
use crate::tray;
use crate::views::{HealthLevel, Overview};

/// Wakes the loop for a round now (the tray's "Check now").
#[derive(Default, Clone)]
pub struct Wake(pub Arc<Notify>);

/// Sends the overview to the tray and the window.
pub fn publish(app: &AppHandle, overview: &Overview) {
    tray::show(app, overview);
    if let Err(error) = (HealthChanged {
        overview: overview.clone(),
    })
    .emit(app)
    {
        tracing::warn!(%error, "could not tell the window about new health");
    }
}

/// Runs the loop until the app quits.
pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let wake = app.state::<Wake>().inner().clone();
        let mut settings = app.state::<Companion>().watch_settings();
        let mut last: HashMap<String, HealthLevel> = HashMap::new();
        let mut warned_clients = false;
        loop {
            let companion = app.state::<Companion>();
            match servers::check(&companion, None).await {
                Ok(overview) => notify_changes(&app, &companion, &mut last, &overview),
                Err(error) => tracing::warn!(%error, "health round failed"),
            }
            warned_clients = look_at_clients(&app, &companion, warned_clients);
            let minutes = u64::from(companion.settings().check_interval_minutes.max(1));
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(minutes * 60)) => {}
                () = wake.0.notified() => {}
                changed = settings.changed() => {
                    if changed.is_err() { return; }
                }
            }
        }
    });
}

/// A desktop notification when a server goes down or comes back.
fn notify_changes(
    app: &AppHandle,
    companion: &Companion,
    last: &mut HashMap<String, HealthLevel>,
    overview: &Overview,
) {
    let enabled = companion.settings().notifications;
    for server in &overview.servers {
        let now = server.health.state;
        let before = last.insert(server.server_id.clone(), now);
        let Some(before) = before else { continue };
        let (was_ok, is_ok) = (before == HealthLevel::Healthy, now == HealthLevel::Healthy);
        if was_ok == is_ok || now == HealthLevel::Checking {
            continue;
        }
        let (title, body) = if is_ok {
            (
                format!("{} is back", server.label),
                "The server answers again.".to_owned(),
            )
        } else {
            (
                format!("{} stopped answering", server.label),
                server
                    .health
                    .message
                    .clone()
                    .unwrap_or_else(|| "Open NovaBACKUP MCP Companion for details.".into()),
            )
        };
        tracing::info!(server = %server.server_id, ok = is_ok, "server health changed");
        if enabled && let Err(error) = app.notification().builder().title(title).body(body).show() {
            tracing::warn!(%error, "could not show a notification");
        }
    }
}

/// Repairs broken client entries when asked to, else warns once; returns whether a
/// warning is outstanding.
fn look_at_clients(app: &AppHandle, companion: &Companion, warned: bool) -> bool {
    if companion.settings().auto_repair {
        let repaired = clients::repair_all(companion);
        if !repaired.is_empty() {
            tracing::info!(?repaired, "repaired client entries");
        }
        return false;
    }
    let broken: Vec<String> = clients::all(companion)
        .into_iter()
        .filter(clients::ClientView::needs_repair)
        .map(|c| c.name)
        .collect();
    if broken.is_empty() {
        return false;
    }
    if !warned && companion.settings().notifications {
        let body = format!(
            "{} lost its connection to NovaBACKUP. Open the app and choose Repair.",
            broken.join(", ")
        );
        if let Err(error) = app
            .notification()
            .builder()
            .title("Claude is no longer connected")
            .body(body)
            .show()
        {
            tracing::warn!(%error, "could not show a notification");
        }
    }
    true
}
