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

/// What the tray shows now (also readable by the UI and tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrayStatus {
    /// Whether a tray icon could be made on this desktop.
    pub present: bool,
    /// The overall state the icon shows.
    pub overall: OverallLevel,
    /// The tooltip.
    pub tooltip: String,
    /// One line per server, as in the menu.
    pub lines: Vec<String>,
}

/// The tray's state, managed by the app.
pub struct Tray {
    status: Mutex<TrayStatus>,
    /// The menu, kept to change its content (on Linux a tray's menu cannot be replaced).
    menu: Mutex<Option<Menu<Wry>>>,
}

impl Default for Tray {
    fn default() -> Self {
        Self {
            status: Mutex::new(TrayStatus {
                present: false,
                overall: OverallLevel::NotSetUp,
                tooltip: "NovaBACKUP: not set up".into(),
                lines: Vec::new(),
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

/// The tooltip for an overview.
pub fn tooltip(overview: &Overview) -> String {
    format!("NovaBACKUP: {}", overview.summary)
}

/// One menu line per server: "✓ Acme MS — healthy".
pub fn server_lines(overview: &Overview) -> Vec<(String, String)> {
    overview
        .servers
        .iter()
        .map(|server| {
            let (mark, words) = match server.health.state {
                HealthLevel::Healthy => ("✓", "healthy"),
                HealthLevel::WrongPassword => ("✕", "wrong password"),
                HealthLevel::Unreachable => ("✕", "unreachable"),
                HealthLevel::Certificate => ("✕", "certificate problem"),
                HealthLevel::Other => ("✕", "not working"),
                HealthLevel::Checking => ("…", "checking"),
                HealthLevel::NotChecked => ("–", "not checked yet"),
            };
            (
                server.server_id.clone(),
                format!("{mark} {} — {words}", server.label),
            )
        })
        .collect()
}

fn fill<R: Runtime>(app: &AppHandle<R>, menu: &Menu<R>, overview: &Overview) -> tauri::Result<()> {
    while !menu.items()?.is_empty() {
        menu.remove_at(0)?;
    }
    let mut items: Vec<Box<dyn IsMenuItem<R>>> = Vec::new();
    items.push(Box::new(MenuItem::with_id(
        app,
        "summary",
        &overview.summary,
        false,
        None::<&str>,
    )?));
    for (id, line) in server_lines(overview) {
        let action = TrayAction::Server(id);
        items.push(Box::new(MenuItem::with_id(
            app,
            action.id(),
            line,
            true,
            None::<&str>,
        )?));
    }
    items.push(Box::new(PredefinedMenuItem::separator(app)?));
    for (action, text) in [
        (TrayAction::Open, "Open NovaBACKUP MCP Companion"),
        (TrayAction::CheckNow, "Check now"),
        (TrayAction::ConnectClaude, "Connect Claude Desktop"),
    ] {
        items.push(Box::new(MenuItem::with_id(
            app,
            action.id(),
            text,
            true,
            None::<&str>,
        )?));
    }
    items.push(Box::new(PredefinedMenuItem::separator(app)?));
    items.push(Box::new(MenuItem::with_id(
        app,
        TrayAction::Quit.id(),
        "Quit",
        true,
        None::<&str>,
    )?));
    for item in &items {
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
    let menu = Menu::new(app)?;
    fill(app, &menu, overview)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(overview.overall))
        .tooltip(tooltip(overview))
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
    *tray
        .menu
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(menu);
    Ok(())
}

/// Shows a new overview: icon, tooltip and the menu's server lines.
pub fn show(app: &AppHandle, overview: &Overview) {
    let tray = app.state::<Tray>();
    tray.set(|status| {
        status.overall = overview.overall;
        status.tooltip = tooltip(overview);
        status.lines = server_lines(overview)
            .into_iter()
            .map(|(_, line)| line)
            .collect();
    });
    let Some(icon_handle) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let result = (|| -> tauri::Result<()> {
        icon_handle.set_icon(Some(icon(overview.overall)))?;
        icon_handle.set_tooltip(Some(tooltip(overview)))?;
        let menu = tray
            .menu
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if let Some(menu) = menu {
            fill(app, &menu, overview)?;
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
