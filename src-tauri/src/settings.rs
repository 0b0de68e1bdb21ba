//! The app's own settings (`settings.json` in the app's config folder): start at login,
//! check interval, notifications, advanced limits, and which clients the user connected
//! (to notice when an entry goes missing). No secrets.
//!
//! The advanced limits and the log level apply to the app's health checks and to the
//! `novabackup-mcp` that clients start: they travel in its registered entry.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use novabackup_core::limits::{FANOUT_CONCURRENCY, REQUEST_TIMEOUT_SECONDS};
use novabackup_core::registration::{LogDetail, Tuning};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::backups::BackupWindow;
use crate::error::CommandError;
use crate::i18n::{self, Language, LanguageChoice};
use crate::views::{Range, SettingLimits};

/// How much the log file records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Failures only.
    Error,
    /// Failures and warnings.
    Warn,
    /// What the app does (the default).
    Info,
    /// Everything, for support.
    Debug,
}

impl LogLevel {
    /// The `tracing` filter directive for this level.
    pub fn directive(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
        }
    }

    fn detail(self) -> LogDetail {
        match self {
            Self::Error => LogDetail::Error,
            Self::Warn => LogDetail::Warn,
            Self::Info => LogDetail::Info,
            Self::Debug => LogDetail::Debug,
        }
    }
}

/// The minutes allowed between two health rounds.
const CHECK_INTERVAL_MINUTES: std::ops::RangeInclusive<u32> = 1..=1440;

/// The ranges of the numeric settings, for the Settings screen: the app's own check
/// interval, and the core's limits that novabackup-mcp applies too.
pub fn limits() -> SettingLimits {
    let of = |limit: novabackup_core::limits::Limit| Range {
        min: limit.min,
        max: limit.max,
    };
    SettingLimits {
        check_interval_minutes: Range {
            min: *CHECK_INTERVAL_MINUTES.start(),
            max: *CHECK_INTERVAL_MINUTES.end(),
        },
        concurrency: of(FANOUT_CONCURRENCY),
        timeout_seconds: of(REQUEST_TIMEOUT_SECONDS),
    }
}

/// The settings the Settings screen edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Start (hidden, in the tray) when the user signs in.
    pub start_at_login: bool,
    /// Minutes between two health rounds.
    pub check_interval_minutes: u32,
    /// A desktop notification when a server goes down or comes back.
    pub notifications: bool,
    /// A desktop notification when a backup newly fails or a computer is newly not
    /// backed up for too long.
    pub backup_notifications: bool,
    /// The period the Backups tab and the tray look at.
    pub backup_window: BackupWindow,
    /// Repair a client's entry by itself when it goes missing or breaks.
    pub auto_repair: bool,
    /// Servers asked at the same time (health checks, and fan-outs of Claude's questions).
    pub concurrency: u32,
    /// Seconds before a server that does not answer is given up (checks and questions).
    pub timeout_seconds: u32,
    /// How much the log records.
    pub log_level: LogLevel,
    /// The language of the window, the tray and the notifications.
    pub language: LanguageChoice,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            start_at_login: false,
            check_interval_minutes: 5,
            notifications: true,
            backup_notifications: true,
            backup_window: BackupWindow::Day,
            auto_repair: false,
            // The defaults of novabackup-mcp itself.
            concurrency: FANOUT_CONCURRENCY.default,
            timeout_seconds: REQUEST_TIMEOUT_SECONDS.default,
            log_level: LogLevel::Info,
            language: LanguageChoice::System,
        }
    }
}

impl Settings {
    /// Refuses values outside sensible bounds, saying which and why in `language`.
    pub fn validate(&self, language: Language) -> Result<(), CommandError> {
        let check = |ok: bool, key: &str, min: u32, max: u32| {
            if ok {
                Ok(())
            } else {
                let (min, max) = (min.to_string(), max.to_string());
                let words = i18n::text(language, key, &[("min", &min), ("max", &max)]);
                Err(CommandError::invalid_input(words))
            }
        };
        check(
            CHECK_INTERVAL_MINUTES.contains(&self.check_interval_minutes),
            "errors.input.interval",
            *CHECK_INTERVAL_MINUTES.start(),
            *CHECK_INTERVAL_MINUTES.end(),
        )?;
        check(
            FANOUT_CONCURRENCY.accepts(self.concurrency),
            "errors.input.concurrency",
            FANOUT_CONCURRENCY.min,
            FANOUT_CONCURRENCY.max,
        )?;
        check(
            REQUEST_TIMEOUT_SECONDS.accepts(self.timeout_seconds),
            "errors.input.timeout",
            REQUEST_TIMEOUT_SECONDS.min,
            REQUEST_TIMEOUT_SECONDS.max,
        )
    }

    /// What the registered `novabackup-mcp` gets of these settings (valid ones only).
    pub fn tuning(&self) -> Tuning {
        Tuning {
            fanout_concurrency: u16::try_from(self.concurrency).ok(),
            request_timeout_seconds: u16::try_from(self.timeout_seconds).ok(),
            log_level: Some(self.log_level.detail()),
        }
    }
}

/// The settings file: the settings plus what the app remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsFile {
    /// The user's settings.
    #[serde(flatten)]
    pub settings: Settings,
    /// Clients the user connected (their ids), so a vanished entry is noticed.
    #[serde(default)]
    pub connected_clients: Vec<String>,
    /// Server ids of demo servers the app added.
    #[serde(default)]
    pub demo_servers: Vec<String>,
}

impl SettingsFile {
    /// Reads the file; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self, CommandError> {
        match fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                CommandError::new(
                    crate::error::ErrorCode::Other,
                    format!(
                        "The settings file {} could not be read: {e}.",
                        path.display()
                    ),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(CommandError::other(format!(
                "The settings file {} could not be read: {e}.",
                path.display()
            ))),
        }
    }

    /// Writes the file (through a temporary file, so a crash never leaves half of it).
    pub fn save(&self, path: &Path) -> Result<(), CommandError> {
        let fail = |e: &dyn std::fmt::Display| {
            CommandError::other(format!(
                "The settings file {} could not be written: {e}.",
                path.display()
            ))
        };
        let folder = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        fs::create_dir_all(&folder).map_err(|e| fail(&e))?;
        let text = serde_json::to_string_pretty(self).map_err(|e| fail(&e))?;
        let temporary = folder.join(".settings.json.tmp");
        fs::write(&temporary, text).map_err(|e| fail(&e))?;
        fs::rename(&temporary, path).map_err(|e| fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_gives_defaults_and_a_saved_one_reads_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sub").join("settings.json");
        let loaded = SettingsFile::load(&path).expect("missing file is fine");
        assert_eq!(
            loaded.settings.check_interval_minutes, 5,
            "default is 5 minutes"
        );
        let mut file = loaded;
        file.settings.notifications = false;
        file.connected_clients.push("claude_desktop".into());
        file.save(&path).expect("saves");
        assert_eq!(SettingsFile::load(&path).expect("reads"), file);
    }

    #[test]
    fn out_of_range_values_are_refused_with_a_reason() {
        let settings = Settings {
            check_interval_minutes: 0,
            ..Settings::default()
        };
        let error = settings
            .validate(Language::English)
            .expect_err("0 minutes is refused");
        assert_eq!(error.message, "Check the servers every 1 to 1440 minutes.");
        let error = settings
            .validate(Language::German)
            .expect_err("0 minutes is refused");
        assert_eq!(
            error.message,
            "Wählen Sie ein Prüfintervall von 1 bis 1440 Minuten."
        );
        assert!(Settings::default().validate(Language::English).is_ok());
    }
}
