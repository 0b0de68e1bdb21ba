//! What a digest is asked for: the period (a named window or a start), one customer,
//! the staleness threshold and the caps, checked before anything is sent.

use chrono::{DateTime, Duration, SubsecRound as _, Utc};

use crate::insight::window::Window;
use crate::odata::normalise_date_literal;

/// Hours without a successful run after which an agent is stale, by default.
pub const DEFAULT_STALE_HOURS: u32 = 48;
/// Failing runs listed per customer, by default.
pub const DEFAULT_MAX_FAILING_RUNS: usize = 20;
/// Logs read per server, by default.
pub const DEFAULT_MAX_LOGS: usize = 50;
/// Requests for logs and last successes in flight at once on one server.
pub const DEFAULT_LOOKUP_CONCURRENCY: usize = 16;
/// The most stale agents whose last success is looked up on one server.
pub const MAX_LAST_SUCCESS_LOOKUPS: usize = 200;

/// The allowed range of `stale_hours` (an hour to a year).
pub const STALE_HOURS_RANGE: (u32, u32) = (1, 8760);
/// The allowed range of `max_failing_runs`.
pub const MAX_FAILING_RUNS_RANGE: (usize, usize) = (0, 1000);
/// The allowed range of `max_logs`.
pub const MAX_LOGS_RANGE: (usize, usize) = (0, 1000);

/// The period a digest covers: a named window back from now, or from a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `24h`, `7d` or `30d` back from now.
    Window(Window),
    /// From this moment to now.
    Since(DateTime<Utc>),
}

impl Default for Period {
    fn default() -> Self {
        Period::Window(Window::Day)
    }
}

impl Period {
    /// Reads the period from a window name and a start as people type them: neither
    /// gives `24h`; both is a mistake. `since` takes an ISO 8601 date or date-time
    /// (`2026-04-22`, `2026-04-22T06:00`, `...Z`, `...+02:00`); without a zone it is UTC.
    pub fn parse(window: Option<&str>, since: Option<&str>) -> Result<Self, RequestError> {
        let window = window.map(str::trim).filter(|w| !w.is_empty());
        let since = since.map(str::trim).filter(|s| !s.is_empty());
        match (window, since) {
            (Some(_), Some(_)) => Err(RequestError::BothPeriods),
            (Some(window), None) => window
                .parse::<Window>()
                .map(Period::Window)
                .map_err(|_| RequestError::Window(window.to_owned())),
            (None, Some(since)) => parse_moment(since)
                .map(Period::Since)
                .ok_or_else(|| RequestError::Since(since.to_owned())),
            (None, None) => Ok(Period::default()),
        }
    }

    /// The moment the period starts, given the current time.
    pub fn since(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Period::Window(window) => window.since(now),
            Period::Since(since) => since,
        }
    }

    /// The window's name, when it is a named one.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Period::Window(window) => Some(window.as_str()),
            Period::Since(_) => None,
        }
    }
}

/// A date-time as the server or a person writes it, in UTC.
pub(crate) fn parse_moment(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|moment| moment.with_timezone(&Utc))
        .or_else(|| {
            let normal = normalise_date_literal(text.trim())?;
            DateTime::parse_from_rfc3339(&normal)
                .ok()
                .map(|moment| moment.with_timezone(&Utc))
        })
}

/// Why a digest request cannot be answered as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Both a window and a start were given.
    #[error("give either a window (24h, 7d, 30d) or a start (since), not both")]
    BothPeriods,
    /// The window is not one of the named ones.
    #[error("unknown window \"{0}\": use 24h, 7d or 30d, or give a start with since")]
    Window(String),
    /// The start is not a date or date-time.
    #[error(
        "\"{0}\" is not a date or date-time: use ISO 8601, for example 2026-04-22 or 2026-04-22T06:00:00Z"
    )]
    Since(String),
    /// The start is not before now.
    #[error("the start {since} is not before now ({until}): give an earlier moment")]
    SinceNotBefore {
        /// The start given.
        since: DateTime<Utc>,
        /// Now.
        until: DateTime<Utc>,
    },
    /// A number is out of its range.
    #[error("{name} must be between {min} and {max}, not {value}")]
    OutOfRange {
        /// The argument's name.
        name: &'static str,
        /// The value given.
        value: u64,
        /// The smallest allowed.
        min: u64,
        /// The largest allowed.
        max: u64,
    },
}

/// A digest request: the period, an optional customer, the staleness threshold and
/// the caps, and the current time (the core never reads the clock). Which servers are
/// asked is the caller's choice: it runs [`super::gather`] on those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRequest {
    /// The period covered.
    pub period: Period,
    /// The current time: the end of the period and the clock staleness is measured by.
    pub now: DateTime<Utc>,
    /// Only this customer (tenant id), when set.
    pub tenant_id: Option<String>,
    /// Hours without a successful run after which an agent is stale.
    pub stale_hours: u32,
    /// Failing runs listed per customer (the counts stay exact).
    pub max_failing_runs: usize,
    /// Logs read per server, newest failures first, one per agent before a second.
    pub max_logs: usize,
    /// Lookups (logs, last successes) in flight at once on one server.
    pub lookup_concurrency: usize,
}

impl DigestRequest {
    /// A request for `period` at `now` with the defaults: every customer, 48 stale
    /// hours, 20 failing runs listed per customer, 50 logs read per server.
    pub fn new(period: Period, now: DateTime<Utc>) -> Self {
        Self {
            period,
            now,
            tenant_id: None,
            stale_hours: DEFAULT_STALE_HOURS,
            max_failing_runs: DEFAULT_MAX_FAILING_RUNS,
            max_logs: DEFAULT_MAX_LOGS,
            lookup_concurrency: DEFAULT_LOOKUP_CONCURRENCY,
        }
    }

    /// Checks the start and the numbers against their ranges.
    pub fn validate(&self) -> Result<(), RequestError> {
        let since = self.since();
        if since >= self.until() {
            return Err(RequestError::SinceNotBefore {
                since,
                until: self.until(),
            });
        }
        let check = |name, value: u64, (min, max): (u64, u64)| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(RequestError::OutOfRange {
                    name,
                    value,
                    min,
                    max,
                })
            }
        };
        let widen = |(a, b): (usize, usize)| (a as u64, b as u64);
        check(
            "stale_hours",
            u64::from(self.stale_hours),
            (
                u64::from(STALE_HOURS_RANGE.0),
                u64::from(STALE_HOURS_RANGE.1),
            ),
        )?;
        check(
            "max_failing_runs",
            self.max_failing_runs as u64,
            widen(MAX_FAILING_RUNS_RANGE),
        )?;
        check("max_logs", self.max_logs as u64, widen(MAX_LOGS_RANGE))
    }

    /// The end of the period: `now` to the whole second, so that the start the
    /// digest shows is exactly the one the servers are asked for.
    pub fn until(&self) -> DateTime<Utc> {
        self.now.trunc_subsecs(0)
    }

    /// Runs that started at or after this moment are in the digest (to the millisecond,
    /// the precision the servers compare at).
    pub fn since(&self) -> DateTime<Utc> {
        self.period.since(self.until()).trunc_subsecs(3)
    }

    /// An agent whose newest success started before this moment is stale.
    pub fn stale_cutoff(&self) -> DateTime<Utc> {
        self.until() - Duration::hours(i64::from(self.stale_hours))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 6, 0, 0).unwrap()
    }

    #[test]
    fn periods_are_read_as_people_write_them() {
        assert_eq!(Period::parse(None, None), Ok(Period::Window(Window::Day)));
        assert_eq!(
            Period::parse(Some("7d"), Some(" ")),
            Ok(Period::Window(Window::Week))
        );
        let since = Period::parse(None, Some("2026-11-19T08:00:00+02:00")).unwrap();
        assert_eq!(
            since.since(now()),
            Utc.with_ymd_and_hms(2026, 11, 19, 6, 0, 0).unwrap()
        );
        let day = Period::parse(None, Some("2026-11-19")).unwrap();
        assert_eq!(
            day.since(now()),
            Utc.with_ymd_and_hms(2026, 11, 19, 0, 0, 0).unwrap()
        );
        assert_eq!(
            Period::parse(Some("24h"), Some("2026-11-19")),
            Err(RequestError::BothPeriods)
        );
        assert!(matches!(
            Period::parse(Some("1y"), None),
            Err(RequestError::Window(_))
        ));
        let bad = Period::parse(None, Some("yesterday")).unwrap_err();
        assert!(bad.to_string().contains("2026-04-22"), "{bad}");
    }

    #[test]
    fn requests_are_checked_before_anything_is_sent() {
        let ok = DigestRequest::new(Period::default(), now());
        assert_eq!(ok.validate(), Ok(()));
        let ragged =
            DigestRequest::new(Period::default(), now() + Duration::nanoseconds(1_234_567));
        assert_eq!(ragged.until(), now(), "to the whole second");
        assert_eq!(ragged.since(), now() - Duration::hours(24));
        assert_eq!(ok.since(), now() - Duration::hours(24));
        assert_eq!(ok.stale_cutoff(), now() - Duration::hours(48));
        let future = DigestRequest::new(Period::Since(now() + Duration::hours(1)), now());
        assert!(matches!(
            future.validate(),
            Err(RequestError::SinceNotBefore { .. })
        ));
        let zero = DigestRequest {
            stale_hours: 0,
            ..ok.clone()
        };
        let error = zero.validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "stale_hours must be between 1 and 8760, not 0"
        );
        let many = DigestRequest {
            max_logs: 5000,
            ..ok
        };
        assert!(
            many.validate()
                .unwrap_err()
                .to_string()
                .contains("max_logs")
        );
    }
}
