//! The NovaBACKUP MCP Companion tray app: a thin shell over `novabackup-core`.
//!
//! Commands (in [`commands`]) call the core and the app's small modules; the tray,
//! the periodic health checks and start at login are wired up in [`run`].

pub mod bindings;
pub mod clients;
pub mod commands;
pub mod demo;
pub mod desktop;
pub mod error;
pub mod events;
pub mod logging;
pub mod passwords;
pub mod servers;
pub mod settings;
pub mod sidecar;
pub mod state;
pub mod views;

/// Starts the app and blocks until it quits.
pub fn run() {
    let builder = bindings::builder::<tauri::Wry>();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the app could not start");
}
