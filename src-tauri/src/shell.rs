//! Puts the app together: plugins (single instance first), state, logging, the tray,
//! the health loop, close-to-tray and start at login.
//!
//! The window exists only while it is open: closing it (with a tray to come back
//! through) destroys it and its WebKit processes, so the app waits in the tray with a
//! fraction of the memory; Open builds it again.

use std::sync::Arc;
use std::time::Instant;

use novabackup_core::health::SystemClock;
use novabackup_core::profiles::HostEnvironment;
use novabackup_core::registration::{Platform, SystemProcesses};
use tauri::{AppHandle, Manager, RunEvent};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt as _};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use tauri_specta::Event as _;

use crate::demo::Demo;
use crate::desktop::{Desktop, PickedFile};
use crate::events::ShowBackups;
use crate::i18n::{self, Language};
use crate::logging::{self, LevelHandle};
use crate::monitor::{self, Wake};
use crate::passwords::Passwords;
use crate::state::{Companion, Paths};
use crate::tray::{self, Tray, TrayAction};
use crate::{bindings, clients, sidecar};

/// The argument start at login passes, to start in the tray without a window.
pub const HIDDEN_ARG: &str = "--hidden";

/// Starts the app and blocks until it quits.
pub fn run() {
    let started = Instant::now();
    let specta = bindings::builder::<tauri::Wry>();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            show_window(app);
        }))
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            Some(vec![HIDDEN_ARG]),
        ))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            specta.mount_events(app);
            setup(app.handle(), started).map_err(|e| e.into())
        })
        .build(tauri::generate_context!())
        .expect("the app could not start");
    app.run(|app, event| match event {
        // The last window closed (no exit code): with a tray the app stays there.
        RunEvent::ExitRequested {
            code: None, api, ..
        } if app.state::<Tray>().status().present => {
            tracing::info!("window closed; staying in the tray");
            api.prevent_exit();
        }
        RunEvent::Exit => {
            let demo = app.state::<Demo>();
            tauri::async_runtime::block_on(demo.stop());
        }
        _ => {}
    });
}

fn setup(app: &AppHandle, started: Instant) -> Result<(), String> {
    let paths = paths(app)?;
    let companion = companion(paths)?;
    let (guard, level) =
        logging::start(&companion.paths.log_folder, companion.settings().log_level)?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), sidecar = %companion.sidecar.display(), "starting");
    app.manage(LogGuard(guard));
    app.manage(level);
    app.manage(companion);
    app.manage(Demo::default());
    app.manage(Tray::default());
    app.manage(Wake::default());
    app.manage(desktop(app));

    let overview = app
        .state::<Companion>()
        .overview()
        .map_err(|e| e.message)?
        .0;
    if let Err(error) = tray::build(app, &overview, on_tray_action) {
        tracing::warn!(%error, "no tray icon on this desktop; the window stays the way in");
    }
    if !std::env::args().any(|arg| arg == HIDDEN_ARG) {
        show_window(app);
        tracing::info!(ms = started.elapsed().as_millis() as u64, "window shown");
    }
    apply_settings(app);
    follow_settings(app.clone());
    follow_servers(app.clone());
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let companion = handle.state::<Companion>();
        if let Err(error) = handle.state::<Demo>().resume(&companion).await {
            tracing::warn!(%error, "the demo server could not start");
        }
        monitor::spawn(handle.clone());
    });
    Ok(())
}

/// Keeps the log writer alive while the app runs.
struct LogGuard(#[allow(dead_code)] tracing_appender::non_blocking::WorkerGuard);

fn paths(app: &AppHandle) -> Result<Paths, String> {
    let resolver = app.path();
    let config = resolver.app_config_dir().map_err(|e| e.to_string())?;
    let servers_file = HostEnvironment::from_process().servers_file().ok_or(
        "No home folder is known, so the saved servers file has no place. Set HOME (or MCP_SERVERS_FILE).",
    )?;
    Ok(Paths {
        servers_file,
        settings_file: config.join("settings.json"),
        log_folder: resolver.app_log_dir().map_err(|e| e.to_string())?,
        data_folder: resolver.app_data_dir().map_err(|e| e.to_string())?,
    })
}

fn companion(paths: Paths) -> Result<Companion, String> {
    let platform = Platform::from_process();
    let executable = std::env::current_exe().map_err(|e| e.to_string())?;
    let bundled = sidecar::bundled(&executable);
    let mount = platform.appimage_mount.clone();
    let sidecar = sidecar::stable(&bundled, mount.as_deref(), &paths.data_folder).map_err(|e| {
        format!(
            "novabackup-mcp could not be copied to {}: {e}",
            paths.data_folder.display()
        )
    })?;
    Companion::new(
        paths,
        Passwords::owned_by(&sidecar),
        platform,
        sidecar,
        Arc::new(SystemProcesses),
        Arc::new(SystemClock),
        Language::system(),
    )
    .map_err(|e| e.message)
}

fn desktop(app: &AppHandle) -> Desktop {
    let for_dialog = app.clone();
    let for_words = app.clone();
    let for_opener = app.clone();
    Desktop {
        pick_certificate: Box::new(move || -> PickedFile {
            let (sender, receiver) = tokio::sync::oneshot::channel();
            let language = for_words.state::<Companion>().language();
            for_dialog
                .dialog()
                .file()
                .set_title(i18n::text(language, "dialog.certificateTitle", &[]))
                .add_filter(
                    i18n::text(language, "dialog.certificateFilter", &[]),
                    &["pem", "crt", "cer"],
                )
                .pick_file(move |file| {
                    let _ = sender.send(file.and_then(|f| f.into_path().ok()));
                });
            Box::pin(async move { receiver.await.ok().flatten() })
        }),
        open_folder: Box::new(move |folder| {
            for_opener
                .opener()
                .open_path(folder.display().to_string(), None::<&str>)
                .map_err(|e| e.to_string())
        }),
    }
}

/// Shows, unminimises and focuses the main window, building it when it is not open.
pub fn show_window(app: &AppHandle) {
    let window = match app.get_webview_window(WINDOW) {
        Some(window) => window,
        None => match build_window(app) {
            Ok(window) => window,
            Err(error) => {
                tracing::error!(%error, "the window could not be opened");
                return;
            }
        },
    };
    let _ = window.show();
    let _ = window.unminimize();
    let _ = window.set_focus();
}

/// The label of the app's one window, as in `tauri.conf.json`.
const WINDOW: &str = "main";

fn build_window(app: &AppHandle) -> Result<tauri::WebviewWindow, String> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == WINDOW)
        .ok_or("tauri.conf.json has no main window")?;
    tauri::WebviewWindowBuilder::from_config(app, config)
        .and_then(tauri::WebviewWindowBuilder::build)
        .map_err(|e| e.to_string())
}

fn on_tray_action(app: &AppHandle, action: TrayAction) {
    match action {
        TrayAction::Open | TrayAction::Server(_) => show_window(app),
        TrayAction::Customer(key) => show_backups(app, Some(key)),
        TrayAction::Backups => show_backups(app, None),
        TrayAction::CheckNow => app.state::<Wake>().0.notify_one(),
        TrayAction::ConnectClaude => {
            let companion = app.state::<Companion>();
            match clients::connect(&companion, clients::ClientId::ClaudeDesktop) {
                Ok(_) => tracing::info!("Claude Desktop connected from the tray"),
                Err(error) => {
                    tracing::warn!(%error, "connecting Claude Desktop from the tray failed");
                    show_window(app);
                }
            }
        }
        TrayAction::Quit => app.exit(0),
    }
}

/// Shows the window at the Backups tab (at one customer when `customer` names one).
fn show_backups(app: &AppHandle, customer: Option<String>) {
    show_window(app);
    if let Err(error) = (ShowBackups { customer }).emit(app) {
        tracing::warn!(%error, "could not ask the window to show the backups");
    }
}

/// Applies start at login and the log level from the current settings.
fn apply_settings(app: &AppHandle) {
    let settings = app.state::<Companion>().settings();
    logging::set_level(&app.state::<LevelHandle>(), settings.log_level);
    let autostart = app.autolaunch();
    let result = if settings.start_at_login {
        autostart.enable()
    } else if autostart.is_enabled().unwrap_or(false) {
        autostart.disable()
    } else {
        Ok(())
    };
    if let Err(error) = result {
        tracing::warn!(%error, "could not change start at login");
    }
}

fn follow_settings(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut changes = app.state::<Companion>().watch_settings();
        while changes.changed().await.is_ok() {
            apply_settings(&app);
        }
    });
}

fn follow_servers(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut changes = app.state::<Companion>().watch_servers();
        while changes.changed().await.is_ok() {
            match app.state::<Companion>().overview() {
                Ok((overview, _)) => monitor::publish(&app, &overview),
                Err(error) => tracing::warn!(%error, "could not read the saved servers"),
            }
        }
    });
}
