//! The app's commands in Tauri's mock runtime, over real files in a temporary folder,
//! an in-memory keychain and the Management Server simulator on loopback.
//! Only the desktop's file picker and folder opener are stand-ins: no desktop runs here.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use novabackup_companion::bindings;
use novabackup_companion::demo::Demo;
use novabackup_companion::desktop::Desktop;
use novabackup_companion::i18n::Language;
use novabackup_companion::passwords::Passwords;
use novabackup_companion::state::{Companion, Paths};
use novabackup_companion::tray::Tray;
use novabackup_core::health::SystemClock;
use novabackup_core::profiles::Os;
use novabackup_core::registration::{Platform, ProcessLister};
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

/// Process names the test says are running (to play Claude Desktop quitting).
#[derive(Clone, Default)]
pub struct Processes(pub Arc<Mutex<Vec<String>>>);

impl ProcessLister for Processes {
    fn process_names(&self) -> Vec<String> {
        self.0.lock().expect("process list").clone()
    }
}

impl Processes {
    /// Replaces the running processes.
    pub fn set(&self, names: &[&str]) {
        *self.0.lock().expect("process list") = names.iter().map(|s| (*s).to_owned()).collect();
    }
}

/// An app in the mock runtime with its window, files and parts.
pub struct TestApp {
    pub dir: TempDir,
    pub home: PathBuf,
    pub sidecar: PathBuf,
    pub servers_file: PathBuf,
    pub processes: Processes,
    pub picked: Arc<Mutex<Option<PathBuf>>>,
    pub opened: Arc<Mutex<Vec<PathBuf>>>,
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
}

impl TestApp {
    /// A fresh app with no saved server.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).expect("home");
        let sidecar = dir.path().join("opt/novabackup/novabackup-mcp");
        std::fs::create_dir_all(sidecar.parent().expect("parent")).expect("mkdir");
        std::fs::write(&sidecar, b"#!/bin/sh\n").expect("sidecar");
        let servers_file = home.join(".config/novabackup-mcp/servers.json");
        let paths = Paths {
            servers_file: servers_file.clone(),
            settings_file: dir.path().join("app-config/settings.json"),
            log_folder: dir.path().join("logs"),
            data_folder: dir.path().join("data"),
        };
        let processes = Processes::default();
        let companion = Companion::new(
            paths,
            Passwords::in_memory(),
            Platform::with_home(Os::Linux, &home),
            sidecar.clone(),
            Arc::new(processes.clone()),
            Arc::new(SystemClock),
            Language::English,
        )
        .expect("state");
        let picked: Arc<Mutex<Option<PathBuf>>> = Arc::default();
        let opened: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let (pick, open) = (picked.clone(), opened.clone());
        let desktop = Desktop {
            pick_certificate: Box::new(move || {
                let file = pick.lock().expect("picked").clone();
                Box::pin(async move { file })
            }),
            open_folder: Box::new(move |folder| {
                open.lock().expect("opened").push(folder.to_path_buf());
                Ok(())
            }),
        };
        let app = mock_builder()
            .manage(companion)
            .manage(Demo::default())
            .manage(Tray::default())
            .manage(desktop)
            .invoke_handler(bindings::builder::<MockRuntime>().invoke_handler())
            .build(tauri::generate_context!(test = true))
            .expect("the mock app builds");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the main window");
        Self {
            dir,
            home,
            sidecar,
            servers_file,
            processes,
            picked,
            opened,
            app,
            window,
        }
    }

    /// Calls a command as the UI does; `Ok` with its JSON answer or `Err` with the
    /// `{code, message}` error.
    pub fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        call_in(&self.window, command, args)
    }

    /// The app's state.
    pub fn companion(&self) -> tauri::State<'_, Companion> {
        self.app.state::<Companion>()
    }
}

/// Calls a command from `window` (a clone can call from another thread).
pub fn call_in(
    window: &WebviewWindow<MockRuntime>,
    command: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request)
        .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
}

/// The error code of a failed call.
pub fn code(error: &Value) -> &str {
    error["code"].as_str().expect("errors carry a code")
}
