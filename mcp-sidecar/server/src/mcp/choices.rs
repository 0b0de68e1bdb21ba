//! The enumerated tool arguments as the model sees them (with schemas), mapped onto
//! the core's types.

use novabackup_core::insight::runlog::LogMode;
use novabackup_core::insight::storage::GroupBy;
use novabackup_core::insight::window::Window;
use schemars::JsonSchema;
use serde::Deserialize;

/// A history window.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
pub enum WindowChoice {
    /// The last 24 hours.
    #[default]
    #[serde(rename = "24h")]
    Day,
    /// The last 7 days.
    #[serde(rename = "7d")]
    Week,
    /// The last 30 days.
    #[serde(rename = "30d")]
    Month,
}

impl From<WindowChoice> for Window {
    fn from(choice: WindowChoice) -> Self {
        match choice {
            WindowChoice::Day => Window::Day,
            WindowChoice::Week => Window::Week,
            WindowChoice::Month => Window::Month,
        }
    }
}

/// What a storage summary totals by.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupByChoice {
    /// One line per agent.
    #[default]
    Agent,
    /// One line per tenant (customer).
    Tenant,
    /// One line per device type.
    DeviceType,
    /// One line per Management Server.
    Server,
}

impl From<GroupByChoice> for GroupBy {
    fn from(choice: GroupByChoice) -> Self {
        match choice {
            GroupByChoice::Agent => GroupBy::Agent,
            GroupByChoice::Tenant => GroupBy::Tenant,
            GroupByChoice::DeviceType => GroupBy::DeviceType,
            GroupByChoice::Server => GroupBy::Server,
        }
    }
}

/// Which view of a run's log.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LogModeChoice {
    /// All warnings and errors, the last 5 informational messages and a verdict.
    #[default]
    Summary,
    /// Only the warnings.
    Warnings,
    /// Only the errors.
    Errors,
    /// The last `tail_count` messages.
    Tail,
    /// Up to `full_max` messages (the last ones).
    Full,
}

impl From<LogModeChoice> for LogMode {
    fn from(choice: LogModeChoice) -> Self {
        match choice {
            LogModeChoice::Summary => LogMode::Summary,
            LogModeChoice::Warnings => LogMode::Warnings,
            LogModeChoice::Errors => LogMode::Errors,
            LogModeChoice::Tail => LogMode::Tail,
            LogModeChoice::Full => LogMode::Full,
        }
    }
}
