//! The app's log: a file in the app's log folder, rotated daily, the last 7 kept.
//! Nothing secret is ever logged (passwords live in `SecretString`, whose Debug is
//! redacted, and no command logs its input).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::reload;
use tracing_subscriber::{Registry, fmt, prelude::*};

use crate::settings::LogLevel;

/// Changes the log level while the app runs.
pub type LevelHandle = reload::Handle<EnvFilter, Registry>;

/// Starts logging to `folder`; keep the guard alive for as long as the app runs.
pub fn start(folder: &Path, level: LogLevel) -> Result<(WorkerGuard, LevelHandle), String> {
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("novabackup-companion")
        .filename_suffix("log")
        .max_log_files(7)
        .build(folder)
        .map_err(|e| e.to_string())?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let (filter, handle) = reload::Layer::new(filter(level));
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(writer).with_ansi(false))
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok((guard, handle))
}

/// Applies a new level.
pub fn set_level(handle: &LevelHandle, level: LogLevel) {
    if let Err(error) = handle.reload(filter(level)) {
        tracing::warn!(%error, "could not change the log level");
    }
}

fn filter(level: LogLevel) -> EnvFilter {
    EnvFilter::new(format!(
        "warn,novabackup_companion={0},novabackup_core={0}",
        level.directive()
    ))
}
