//! The commands the UI calls. Each is a few lines over the core or the app's modules
//! and returns `{code, message}` errors.

pub mod app;
pub mod backups;
pub mod clients;
pub mod servers;
