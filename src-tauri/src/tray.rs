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

use crate::backups::{self, BackupsState, BackupsView, Glance, TrayGlance};
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
    /// A customer that needs attention: opens the window at that customer.
    Customer(String),
    /// "and N more": opens the window at the Backups tab.
    Backups,
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
            Self::Customer(key) => format!("customer:{key}"),
            Self::Backups => "backups".into(),
        }
    }

    /// The action of a menu item id.
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "open" => Some(Self::Open),
            "check-now" => Some(Self::CheckNow),
            "connect-claude" => Some(Self::ConnectClaude),
            "quit" => Some(Self::Quit),
            "backups" => Some(Self::Backups),
            other => other
                .strip_prefix("server:")
                .map(|id| Self::Server(id.to_owned()))
                .or_else(|| {
                    other
                        .strip_prefix("customer:")
                        .map(|key| Self::Customer(key.to_owned()))
                }),
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
    /// The servers' overall state.
    pub overall: OverallLevel,
    /// What the icon shows: the worst of the servers and the backups.
    pub glance: Glance,
    /// The customers that need attention, as the menu lists them.
    pub attention: Vec<String>,
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
        let glance = backups::glance(
            &overview,
            &BackupsView::empty(BackupsState::NotSetUp, Default::default()),
            language,
        );
        Self {
            status: Mutex::new(TrayStatus {
                present: false,
                overall: overview.overall,
                glance: glance.glance,
                attention: Vec::new(),
                language,
                tooltip: tooltip(&glance, language),
                lines: Vec::new(),
                menu: menu(&overview, &glance, language),
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

/// The icon for a state at a glance (each with its own glyph, not only a colour).
pub fn icon(glance: Glance) -> Image<'static> {
    let bytes: &'static [u8] = match glance {
        Glance::AllWell => include_bytes!("../icons/tray-healthy.png"),
        Glance::Warnings => include_bytes!("../icons/tray-degraded.png"),
        Glance::BackupsFailing => include_bytes!("../icons/tray-backups-failing.png"),
        Glance::ServerDown => include_bytes!("../icons/tray-failing.png"),
        Glance::NotSetUp | Glance::Checking => include_bytes!("../icons/tray-unknown.png"),
    };
    Image::from_bytes(bytes).expect("the tray icons are valid PNG files")
}

/// The tooltip: the glance's sentence (in `language` already).
pub fn tooltip(glance: &TrayGlance, language: Language) -> String {
    i18n::text(language, "tray.tooltip", &[("summary", &glance.sentence)])
}

/// What the tray shows for `overview` and the app's last backup digest.
pub fn glance_of<R: Runtime>(app: &AppHandle<R>, overview: &Overview) -> TrayGlance {
    backups::glance_now(&app.state::<Companion>(), overview)
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

/// The whole menu: the sentence, each customer that needs attention (at most eight,
/// then "and N more"), a line per server, the actions.
pub fn menu(overview: &Overview, glance: &TrayGlance, language: Language) -> Vec<MenuEntry> {
    let mut entries = vec![MenuEntry::item("summary", glance.sentence.clone(), false)];
    for attention in &glance.attention {
        entries.push(MenuEntry::item(
            TrayAction::Customer(attention.key.clone()).id(),
            attention.line.clone(),
            true,
        ));
    }
    if glance.more > 0 {
        entries.push(MenuEntry::item(
            TrayAction::Backups.id(),
            i18n::counted(language, "backups.menuMore", glance.more, &[]),
            true,
        ));
    }
    if !glance.attention.is_empty() {
        entries.push(MenuEntry::separator());
    }
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
    let glance = glance_of(app, overview);
    let menu = Menu::new(app)?;
    fill(app, &menu, &self::menu(overview, &glance, language))?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(glance.glance))
        .tooltip(tooltip(&glance, language))
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
    record(&tray, overview, &glance, language);
    *tray
        .menu
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(menu);
    Ok(())
}

/// Keeps what the tray shows, for [`Tray::status`].
fn record(tray: &Tray, overview: &Overview, glance: &TrayGlance, language: Language) {
    tray.set(|status| {
        status.overall = overview.overall;
        status.glance = glance.glance;
        status.attention = glance.attention.iter().map(|a| a.line.clone()).collect();
        status.language = language;
        status.tooltip = tooltip(glance, language);
        status.lines = server_lines(overview, language)
            .into_iter()
            .map(|(_, line)| line)
            .collect();
        status.menu = menu(overview, glance, language);
    });
}

/// Shows the servers' `overview` with the last backup digest (worded in the app's
/// language): icon, tooltip and menu. Returns the glance shown.
pub fn show(app: &AppHandle, overview: &Overview) -> TrayGlance {
    let tray = app.state::<Tray>();
    let language = app.state::<Companion>().language();
    let glance = glance_of(app, overview);
    record(&tray, overview, &glance, language);
    let Some(icon_handle) = app.tray_by_id(TRAY_ID) else {
        return glance;
    };
    let result = (|| -> tauri::Result<()> {
        icon_handle.set_icon(Some(icon(glance.glance)))?;
        icon_handle.set_tooltip(Some(tooltip(&glance, language)))?;
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
    glance
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
            TrayAction::Customer("acme-ms/4f1c".into()),
            TrayAction::Backups,
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

    /// The glance with no backup digest yet (the servers' state decides).
    fn servers_only(overview: &Overview, language: Language) -> TrayGlance {
        backups::glance(
            overview,
            &BackupsView::empty(BackupsState::Checking, Default::default()),
            language,
        )
    }

    fn menu_of(overview: &Overview, language: Language) -> Vec<MenuEntry> {
        menu(overview, &servers_only(overview, language), language)
    }

    fn texts(entries: &[MenuEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.text.as_str()).collect()
    }

    #[test]
    fn the_menu_speaks_the_language_asked_for() {
        let overview = overview_of(&[HealthLevel::Healthy, HealthLevel::Unreachable], "summary");
        assert_eq!(
            texts(&menu_of(&overview, Language::English)),
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
            texts(&menu_of(&overview, Language::German)),
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
            tooltip(&servers_only(&overview, Language::German), Language::German),
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
        let entries = menu_of(&overview, Language::German);
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
    fn every_state_has_its_own_icon() {
        let states = [
            Glance::ServerDown,
            Glance::BackupsFailing,
            Glance::Warnings,
            Glance::AllWell,
            Glance::Checking,
        ];
        let mut pictures = std::collections::HashSet::new();
        for glance in states {
            let picture = icon(glance);
            assert_eq!(picture.width(), 64, "{glance:?}");
            pictures.insert(picture.rgba().to_vec());
        }
        assert_eq!(pictures.len(), states.len(), "no two states look alike");
        assert_eq!(
            icon(Glance::NotSetUp).rgba(),
            icon(Glance::Checking).rgba(),
            "not set up and checking both mean: nothing known yet"
        );
    }

    #[test]
    fn customers_that_need_attention_are_menu_items_that_open_them() {
        let overview = overview_of(&[HealthLevel::Healthy], "1 of 1 server healthy");
        let glance = TrayGlance {
            glance: Glance::BackupsFailing,
            sentence: "1 customer needs attention: Acme — 3 failed".into(),
            attention: vec![crate::backups::Attention {
                key: "s0/t-1".into(),
                line: "✕ Acme — 3 failed".into(),
            }],
            more: 2,
        };
        let entries = menu(&overview, &glance, Language::English);
        assert_eq!(entries[0].text, glance.sentence);
        assert_eq!(entries[1].id.as_deref(), Some("customer:s0/t-1"));
        assert_eq!(
            TrayAction::from_id("customer:s0/t-1"),
            Some(TrayAction::Customer("s0/t-1".into()))
        );
        assert_eq!(entries[2].text, "and 2 more");
        assert_eq!(
            TrayAction::from_id(entries[2].id.as_deref().unwrap()),
            Some(TrayAction::Backups)
        );
        assert_eq!(entries[3].id, None, "a separator before the servers");
        assert_eq!(entries[4].text, "✓ Server 0 — healthy");
    }
}
