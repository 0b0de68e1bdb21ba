//! History windows (`24h`, `7d`, `30d`) and the instant each one starts at.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How far back a history summary looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum Window {
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

impl Window {
    /// The window's name as the tools spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Window::Day => "24h",
            Window::Week => "7d",
            Window::Month => "30d",
        }
    }

    /// The window's length.
    pub fn length(self) -> Duration {
        match self {
            Window::Day => Duration::hours(24),
            Window::Week => Duration::days(7),
            Window::Month => Duration::days(30),
        }
    }

    /// The instant the window starts at, given the current time.
    pub fn since(self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.length()
    }

    /// The start instant as an OData date-time literal (unquoted ISO 8601, UTC).
    pub fn since_literal(self, now: DateTime<Utc>) -> String {
        self.since(now).to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

impl std::str::FromStr for Window {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "24h" => Ok(Window::Day),
            "7d" => Ok(Window::Week),
            "30d" => Ok(Window::Month),
            other => Err(format!("unknown window {other:?}: use 24h, 7d or 30d")),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn windows_start_where_their_names_say() {
        let now = Utc.with_ymd_and_hms(2026, 4, 23, 12, 0, 0).unwrap();
        assert_eq!(Window::Day.since_literal(now), "2026-04-22T12:00:00Z");
        assert_eq!(Window::Week.since_literal(now), "2026-04-16T12:00:00Z");
        assert_eq!(Window::Month.since_literal(now), "2026-03-24T12:00:00Z");
        assert_eq!("7d".parse::<Window>(), Ok(Window::Week));
        assert!("1y".parse::<Window>().is_err());
        assert_eq!(serde_json::to_string(&Window::Month).unwrap(), "\"30d\"");
    }
}
