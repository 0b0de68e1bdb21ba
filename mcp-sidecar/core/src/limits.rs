//! The tunable limits of asking Management Servers: each one's range, default and
//! environment variable, in one place. The MCP server reads them from its environment,
//! the companion app's Advanced settings offer the same ranges and defaults, and a
//! registered client entry carries them between the two.

use std::ops::RangeInclusive;
use std::time::Duration;

/// One whole-number setting: its variable, unit, range and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The environment variable that sets it.
    pub variable: &'static str,
    /// The lowest accepted value.
    pub min: u32,
    /// The highest accepted value.
    pub max: u32,
    /// The value when none is set.
    pub default: u32,
}

impl Limit {
    /// The accepted values.
    pub fn range(&self) -> RangeInclusive<u32> {
        self.min..=self.max
    }

    /// Whether `value` is accepted.
    pub fn accepts(&self, value: u32) -> bool {
        self.range().contains(&value)
    }

    /// `value` brought into the accepted range.
    pub fn clamp(&self, value: u32) -> u32 {
        value.clamp(self.min, self.max)
    }

    /// Reads a raw value (as found in the environment): `None` or blank gives the
    /// default; anything else must be a whole number in range.
    pub fn parse(&self, raw: Option<&str>) -> Result<u32, OutOfRange> {
        let Some(raw) = raw.map(str::trim).filter(|raw| !raw.is_empty()) else {
            return Ok(self.default);
        };
        match raw.parse::<u32>() {
            Ok(value) if self.accepts(value) => Ok(value),
            _ => Err(OutOfRange {
                limit: *self,
                raw: raw.to_owned(),
            }),
        }
    }
}

/// A value a [`Limit`] does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{variable} is {raw:?}: it must be a whole number from {min} to {max} (default {default}); fix or unset it",
    variable = limit.variable, min = limit.min, max = limit.max, default = limit.default
)]
pub struct OutOfRange {
    /// The limit that refused it.
    pub limit: Limit,
    /// What was given.
    pub raw: String,
}

/// Servers asked at the same time in a fan-out. The default asks up to 50 servers in
/// one round, so an estate that size costs one server's latency, not several.
pub const FANOUT_CONCURRENCY: Limit = Limit {
    variable: "MCP_FANOUT_CONCURRENCY",
    min: 1,
    max: 50,
    default: 50,
};

/// Seconds one HTTP request to a Management Server may take.
pub const REQUEST_TIMEOUT_SECONDS: Limit = Limit {
    variable: "MCP_REQUEST_TIMEOUT_SECONDS",
    min: 1,
    max: 300,
    default: 10,
};

/// Seconds one MCP tool call may take.
pub const OPERATION_TIMEOUT_SECONDS: Limit = Limit {
    variable: "MCP_OPERATION_TIMEOUT_SECONDS",
    min: 1,
    max: 600,
    default: 60,
};

/// How much the MCP server logs (on its standard error).
pub const LOG_LEVEL_VARIABLE: &str = "MCP_LOG_LEVEL";

/// A duration in whole seconds.
pub fn seconds(value: u32) -> Duration {
    Duration::from_secs(u64::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_or_missing_gives_the_default() {
        for raw in [None, Some(""), Some("  ")] {
            assert_eq!(FANOUT_CONCURRENCY.parse(raw), Ok(50), "{raw:?}");
        }
    }

    #[test]
    fn values_in_range_are_taken_and_others_refused_naming_the_variable() {
        assert_eq!(REQUEST_TIMEOUT_SECONDS.parse(Some(" 300 ")), Ok(300));
        assert_eq!(REQUEST_TIMEOUT_SECONDS.parse(Some("1")), Ok(1));
        for raw in ["0", "301", "-1", "ten", "1.5"] {
            let error = REQUEST_TIMEOUT_SECONDS
                .parse(Some(raw))
                .expect_err("out of range must be refused");
            let text = error.to_string();
            assert!(text.contains("MCP_REQUEST_TIMEOUT_SECONDS"), "{text}");
            assert!(text.contains("from 1 to 300 (default 10)"), "{text}");
        }
    }

    #[test]
    fn clamp_keeps_values_inside() {
        assert_eq!(FANOUT_CONCURRENCY.clamp(0), 1);
        assert_eq!(FANOUT_CONCURRENCY.clamp(51), 50);
        assert_eq!(FANOUT_CONCURRENCY.clamp(20), 20);
    }
}
