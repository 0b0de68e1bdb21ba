//! The NovaBACKUP MCP Companion tray app: a thin shell over `novabackup-core`.
//!
//! Commands (in [`commands`]) call the core and the app's small modules; the tray,
//! the periodic health checks, start at login and single instance are wired up in
//! [`run`] (see `shell.rs`).

pub mod backups;
pub mod bindings;
pub mod clients;
pub mod commands;
pub mod demo;
pub mod desktop;
pub mod error;
pub mod events;
pub mod i18n;
pub mod logging;
pub mod monitor;
pub mod passwords;
pub mod servers;
pub mod settings;
pub mod shell;
pub mod sidecar;
pub mod state;
pub mod summary;
pub mod tray;
pub mod views;

pub use shell::run;
