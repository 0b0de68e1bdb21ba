//! The tray icon: its picture shows the overall health, its tooltip sums it up, its
//! menu lists each server and offers Open, Check now, Connect Claude Desktop, Quit.
//!
//! Without a tray host (a bare X server) building the icon may fail: the app logs it
//! and runs on with its window.

use std::sync::Mutex;

use serde::Serialize;
use specta::Type;
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime, Wry};

use crate::i18n::{self, Language};
use crate::state::Companion;
use crate::views::{HealthLevel, OverallLevel, Overview};

/// The tray icon's id.
pub const TRAY_ID: &str = "main";

/// What a tray menu entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayAction {
    /// Show and focus the window.
    Open,
    /// Check every server now.
    CheckNow,
    /// Register in Claude Desktop.
    ConnectClaude,
    /// Quit the app.
    Quit,
    /// A server's line: opens the window.
    Server(String),
}

impl TrayAction {
    /// The menu item id of this action.
    pub fn id(&self) -> String {
        match self {
            Self::Open => "open".into(),
            Self::CheckNow => "check-now".into(),
            Self::ConnectClaude => "connect-claude".into(),
            Self::Quit => "quit".into(),
            Self::Server(id) => format!("server:{id}"),
        }
    }

    /// The action of a menu item id.
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "open" => Some(Self::Open),
            "check-now" => Some(Self::CheckNow),
            "connect-claude" => Some(Self::ConnectClaude),
            "quit" => Some(Self::Quit),
            other => other
                .strip_prefix("server:")
                .map(|id| Self::Server(id.to_owned())),
        }
    }
}

/// One entry of the tray's menu, as built and as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MenuEntry {
    /// The item's id (`summary`, `open`, `server:acme-ms`…); `null` for a separator.
    pub id: Option<String>,
    /// Its text, in the app's language (empty for a separator).
    pub text: String,
    /// Whether it can be chosen.
    pub enabled: bool,
}

impl MenuEntry {
    fn item(id: impl Into<String>, text: String, enabled: bool) -> Self {
        Self {
            id: Some(id.into()),
            text,
            enabled,
        }
    }

    fn separator() -> Self {
        Self {
            id: None,
            text: String::new(),
            enabled: false,
        }
    }
}

/// What the tray shows now (also readable by the UI and tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrayStatus {
    /// Whether a tray icon could be made on this desktop.
    pub present: bool,
    /// The overall state the icon shows.
    pub overall: OverallLevel,
    /// The language of its texts.
    pub language: Language,
    /// The tooltip.
    pub tooltip: String,
    /// One line per server, as in the menu.
    pub lines: Vec<String>,
    /// The whole menu, top to bottom, exactly as given to the tray.
    pub menu: Vec<MenuEntry>,
}

/// The tray's state, managed by the app.
pub struct Tray {
    status: Mutex<TrayStatus>,
    /// The menu, kept to change its content (on Linux a tray's menu cannot be replaced).
    menu: Mutex<Option<Menu<Wry>>>,
}

impl Default for Tray {
    /// No icon yet, and what it shows when no server is saved (in English until the
    /// first overview comes).
    fn default() -> Self {
        let language = Language::English;
        let overview = Overview {
            servers: Vec::new(),
            overall: OverallLevel::NotSetUp,
            summary: i18n::text(language, "summary.notSetUp", &[]),
        };
        Self {
            status: Mutex::new(TrayStatus {
                present: false,
                overall: overview.overall,
                language,
                tooltip: tooltip(&overview, language),
                lines: Vec::new(),
                menu: menu(&overview, language),
            }),
            menu: Mutex::new(None),
        }
    }
}

impl Tray {
    /// What the tray shows now.
    pub fn status(&self) -> TrayStatus {
        self.status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn set(&self, change: impl FnOnce(&mut TrayStatus)) {
        change(
            &mut self
                .status
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }
}

/// The icon for an overall state (each with its own glyph, not only a colour).
pub fn icon(overall: OverallLevel) -> Image<'static> {
    let bytes: &'static [u8] = match overall {
        OverallLevel::AllHealthy => include_bytes!("../icons/tray-healthy.png"),
        OverallLevel::SomeFailing => include_bytes!("../icons/tray-degraded.png"),
        OverallLevel::AllFailing => include_bytes!("../icons/tray-failing.png"),
        OverallLevel::NotSetUp | OverallLevel::Checking => {
            include_bytes!("../icons/tray-unknown.png")
        }
    };
    Image::from_bytes(bytes).expect("the tray icons are valid PNG files")
}

/// The tooltip for an overview (whose summary is in `language` already).
pub fn tooltip(overview: &Overview, language: Language) -> String {
    i18n::text(language, "tray.tooltip", &[("summary", &overview.summary)])
}

/// One menu line per server: "✓ Acme MS — healthy".
pub fn server_lines(overview: &Overview, language: Language) -> Vec<(String, String)> {
    overview
        .servers
        .iter()
        .map(|server| {
            let (mark, key) = match server.health.state {
                HealthLevel::Healthy => ("✓", "tray.state.healthy"),
                HealthLevel::WrongPassword => ("✕", "tray.state.wrong_password"),
                HealthLevel::Unreachable => ("✕", "tray.state.unreachable"),
                HealthLevel::Certificate => ("✕", "tray.state.certificate"),
                HealthLevel::Other => ("✕", "tray.state.other"),
                HealthLevel::Checking => ("…", "tray.state.checking"),
                HealthLevel::NotChecked => ("–", "tray.state.not_checked"),
            };
            let state = i18n::text(language, key, &[]);
            let line = i18n::text(
                language,
                "tray.server",
                &[("mark", mark), ("label", &server.label), ("state", &state)],
            );
            (server.server_id.clone(), line)
        })
        .collect()
}

/// The whole menu for an overview: the summary, a line per server, the actions.
pub fn menu(overview: &Overview, language: Language) -> Vec<MenuEntry> {
    let mut entries = vec![MenuEntry::item("summary", overview.summary.clone(), false)];
    for (id, line) in server_lines(overview, language) {
        entries.push(MenuEntry::item(TrayAction::Server(id).id(), line, true));
    }
    entries.push(MenuEntry::separator());
    for (action, key) in [
        (TrayAction::Open, "tray.open"),
        (TrayAction::CheckNow, "tray.checkNow"),
        (TrayAction::ConnectClaude, "tray.connectClaude"),
    ] {
        entries.push(MenuEntry::item(
            action.id(),
            i18n::text(language, key, &[]),
            true,
        ));
    }
    entries.push(MenuEntry::separator());
    entries.push(MenuEntry::item(
        TrayAction::Quit.id(),
        i18n::text(language, "tray.quit", &[]),
        true,
    ));
    entries
}

fn fill<R: Runtime>(
    app: &AppHandle<R>,
    menu: &Menu<R>,
    entries: &[MenuEntry],
) -> tauri::Result<()> {
    while !menu.items()?.is_empty() {
        menu.remove_at(0)?;
    }
    for entry in entries {
        let item: Box<dyn IsMenuItem<R>> = match &entry.id {
            None => Box::new(PredefinedMenuItem::separator(app)?),
            Some(id) => Box::new(MenuItem::with_id(
                app,
                id,
                &entry.text,
                entry.enabled,
                None::<&str>,
            )?),
        };
        menu.append(item.as_ref())?;
    }
    Ok(())
}

/// Makes the tray icon; `on_action` runs for each menu choice (and Open on a click).
pub fn build(
    app: &AppHandle,
    overview: &Overview,
    on_action: impl Fn(&AppHandle, TrayAction) + Send + Sync + Clone + 'static,
) -> tauri::Result<()> {
    let on_menu = on_action.clone();
    let language = app.state::<Companion>().language();
    let menu = Menu::new(app)?;
    fill(app, &menu, &self::menu(overview, language))?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(overview.overall))
        .tooltip(tooltip(overview, language))
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(move |app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                on_menu(app, action);
            }
        })
        .on_tray_icon_event(move |icon, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                on_action(icon.app_handle(), TrayAction::Open);
            }
        })
        .build(app)?;
    let tray = app.state::<Tray>();
    tray.set(|status| status.present = true);
    record(&tray, overview, language);
    *tray
        .menu
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(menu);
    Ok(())
}

/// Keeps what the tray shows for an overview, for [`Tray::status`].
fn record(tray: &Tray, overview: &Overview, language: Language) {
    tray.set(|status| {
        status.overall = overview.overall;
        status.language = language;
        status.tooltip = tooltip(overview, language);
        status.lines = server_lines(overview, language)
            .into_iter()
            .map(|(_, line)| line)
            .collect();
        status.menu = menu(overview, language);
    });
}

/// Shows a new overview (worded in the app's language): icon, tooltip and menu.
pub fn show(app: &AppHandle, overview: &Overview) {
    let tray = app.state::<Tray>();
    let language = app.state::<Companion>().language();
    record(&tray, overview, language);
    let Some(icon_handle) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let result = (|| -> tauri::Result<()> {
        icon_handle.set_icon(Some(icon(overview.overall)))?;
        icon_handle.set_tooltip(Some(tooltip(overview, language)))?;
        let menu = tray
            .menu
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if let Some(menu) = menu {
            fill(app, &menu, &tray.status().menu)?;
        }
        Ok(())
    })();
    if let Err(error) = result {
        tracing::warn!(%error, "could not update the tray icon");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_round_trip() {
        for action in [
            TrayAction::Open,
            TrayAction::CheckNow,
            TrayAction::ConnectClaude,
            TrayAction::Quit,
            TrayAction::Server("acme-ms".into()),
        ] {
            assert_eq!(TrayAction::from_id(&action.id()), Some(action));
        }
        assert_eq!(
            TrayAction::from_id("summary"),
            None,
            "the summary line does nothing"
        );
    }

    fn overview_of(states: &[HealthLevel], summary: &str) -> Overview {
        let servers = states
            .iter()
            .enumerate()
            .map(|(n, &state)| {
                let mut health = crate::views::HealthView::not_checked();
                health.state = state;
                crate::views::ServerView {
                    server_id: format!("s{n}"),
                    label: format!("Server {n}"),
                    base_url: "https://ms.example.com/managementserver".into(),
                    username: None,
                    ca_certificate: None,
                    demo: false,
                    health,
                }
            })
            .collect();
        Overview {
            servers,
            overall: OverallLevel::SomeFailing,
            summary: summary.into(),
        }
    }

    const EVERY_LEVEL: [HealthLevel; 7] = [
        HealthLevel::Healthy,
        HealthLevel::WrongPassword,
        HealthLevel::Unreachable,
        HealthLevel::Certificate,
        HealthLevel::Other,
        HealthLevel::Checking,
        HealthLevel::NotChecked,
    ];

    fn texts(entries: &[MenuEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.text.as_str()).collect()
    }

    #[test]
    fn the_menu_speaks_the_language_asked_for() {
        let overview = overview_of(&[HealthLevel::Healthy, HealthLevel::Unreachable], "summary");
        assert_eq!(
            texts(&menu(&overview, Language::English)),
            [
                "summary",
                "✓ Server 0 — healthy",
                "✕ Server 1 — unreachable",
                "",
                "Open NovaBACKUP MCP Companion",
                "Check now",
                "Connect Claude Desktop",
                "",
                "Quit"
            ]
        );
        assert_eq!(
            texts(&menu(&overview, Language::German)),
            [
                "summary",
                "✓ Server 0 — in Ordnung",
                "✕ Server 1 — nicht erreichbar",
                "",
                "NovaBACKUP MCP Companion öffnen",
                "Jetzt prüfen",
                "Claude Desktop verbinden",
                "",
                "Beenden"
            ]
        );
        assert_eq!(
            tooltip(&overview, Language::German),
            "NovaBACKUP: summary",
            "the summary comes worded already"
        );
    }

    #[test]
    fn every_server_state_has_its_words_in_both_languages() {
        let overview = overview_of(&EVERY_LEVEL, "");
        for language in Language::ALL {
            let lines = server_lines(&overview, language);
            for ((_, line), level) in lines.iter().zip(EVERY_LEVEL) {
                assert!(
                    !line.contains("tray.") && !line.contains("{{"),
                    "{level:?} in {language:?}: {line}"
                );
            }
            let distinct: std::collections::HashSet<&str> =
                lines.iter().map(|(_, l)| l.as_str()).collect();
            assert_eq!(
                distinct.len(),
                EVERY_LEVEL.len(),
                "each state its own words"
            );
        }
    }

    /// The texts reach a real menu (Tauri's, in its mock runtime: no tray host here).
    #[test]
    fn the_real_menu_gets_the_entries_texts() {
        let app = tauri::test::mock_app();
        let overview = overview_of(&[HealthLevel::Certificate], "1 Problem");
        let entries = menu(&overview, Language::German);
        let real = Menu::new(app.handle()).expect("a menu");
        fill(app.handle(), &real, &entries).expect("filled");
        fill(app.handle(), &real, &entries).expect("filled again, replacing");
        let items = real.items().expect("items");
        assert_eq!(
            items.len(),
            entries.len(),
            "one item per entry, none left over"
        );
        for (item, entry) in items.iter().zip(&entries) {
            match item.as_menuitem() {
                Some(shown) => {
                    assert_eq!(shown.text().expect("text"), entry.text);
                    assert_eq!(shown.is_enabled().expect("enabled"), entry.enabled);
                    assert_eq!(Some(shown.id().as_ref()), entry.id.as_deref());
                }
                None => assert_eq!(entry.id, None, "only separators are not text items"),
            }
        }
    }

    #[test]
    fn every_state_has_an_icon() {
        for overall in [
            OverallLevel::NotSetUp,
            OverallLevel::Checking,
            OverallLevel::AllHealthy,
            OverallLevel::SomeFailing,
            OverallLevel::AllFailing,
        ] {
            assert_eq!(icon(overall).width(), 64, "{overall:?}");
        }
    }
}
