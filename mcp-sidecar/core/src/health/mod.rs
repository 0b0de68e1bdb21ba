//! Server health: one check of one Management Server (a fresh login and a cheap read,
//! timed), what its outcome means to a person, and the one-line summary of all
//! servers that the tray shows ("3 of 4 servers healthy — Acme MS unreachable").
//!
//! Everything here is pure except [`check`], which runs a probe it is given and reads
//! the clock it is given: tests pass a fixed clock and a probe of their own or one
//! backed by the simulator.

mod probe;
mod summary;

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::server_state::{ServerState, classify};

pub use probe::probe;
pub use summary::{Overall, Summary, summarize};

/// What a server showed a successful check: how much of the estate the user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Visible {
    /// Computers being backed up (agents) the user can see.
    pub agents: u64,
    /// Customers (tenants) the user can see.
    pub tenants: u64,
}

/// The outcome of one check of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthReport {
    /// The state the check found.
    pub state: ServerState,
    /// When the check started.
    pub checked_at: DateTime<Utc>,
    /// How long the check took (login and read together).
    pub latency: Duration,
    /// What the user can see, when the check succeeded.
    pub visible: Option<Visible>,
    /// The failure, when there was one: its message is safe to show (no secrets).
    pub error: Option<ApiError>,
}

impl HealthReport {
    /// A report of a successful check.
    pub fn healthy(checked_at: DateTime<Utc>, latency: Duration, visible: Visible) -> Self {
        Self {
            state: ServerState::Healthy,
            checked_at,
            latency,
            visible: Some(visible),
            error: None,
        }
    }

    /// A report of a failed check, classified.
    pub fn failed(checked_at: DateTime<Utc>, latency: Duration, error: ApiError) -> Self {
        Self {
            // The server may have answered (a refused read is no fault of the
            // server), but the check did not get what it asked for.
            state: match classify(&error) {
                ServerState::Healthy => ServerState::Other,
                state => state,
            },
            checked_at,
            latency,
            visible: None,
            error: Some(error),
        }
    }

    /// The latency in whole milliseconds, for display.
    pub fn latency_ms(&self) -> u64 {
        u64::try_from(self.latency.as_millis()).unwrap_or(u64::MAX)
    }
}

/// The clocks a check reads: wall time for "checked 2 min ago", a monotonic
/// instant for latency. Passed in so tests can fix them.
pub trait Clock: Send + Sync {
    /// The current wall-clock time.
    fn now(&self) -> DateTime<Utc>;
    /// A monotonic instant, for measuring durations.
    fn instant(&self) -> Instant;
}

/// The machine's clocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn instant(&self) -> Instant {
        Instant::now()
    }
}

/// Checks one server: runs `probe` (which must log in afresh and read something
/// cheap), times it, and classifies the outcome.
///
/// The probe is given rather than built here so that the caller chooses the client's
/// settings (timeout, CA certificate) and tests can use any server.
pub async fn check<P, F>(clock: &dyn Clock, probe: P) -> HealthReport
where
    P: FnOnce() -> F,
    F: Future<Output = Result<Visible, ApiError>>,
{
    let checked_at = clock.now();
    let started = clock.instant();
    let outcome = probe().await;
    let latency = clock.instant().saturating_duration_since(started);
    match outcome {
        Ok(visible) => HealthReport::healthy(checked_at, latency, visible),
        Err(error) => HealthReport::failed(checked_at, latency, error),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    const SERVER: &str = "https://ms.example.com/managementserver";

    /// A clock that moves forward by a fixed step each time the instant is read.
    struct SteppingClock {
        now: DateTime<Utc>,
        base: Instant,
        reads: Mutex<u32>,
        step: Duration,
    }

    impl Clock for SteppingClock {
        fn now(&self) -> DateTime<Utc> {
            self.now
        }
        fn instant(&self) -> Instant {
            let mut reads = self.reads.lock().expect("clock lock");
            let at = self.base + self.step * *reads;
            *reads += 1;
            at
        }
    }

    fn clock(step_ms: u64) -> SteppingClock {
        SteppingClock {
            now: DateTime::parse_from_rfc3339("2026-11-27T06:00:00Z")
                .expect("a valid date")
                .with_timezone(&Utc),
            base: Instant::now(),
            reads: Mutex::new(0),
            step: Duration::from_millis(step_ms),
        }
    }

    #[tokio::test]
    async fn a_successful_probe_is_healthy_with_its_latency_and_counts() {
        let clock = clock(120);
        let report = check(&clock, || async {
            Ok(Visible {
                agents: 12,
                tenants: 3,
            })
        })
        .await;
        assert_eq!(report.state, ServerState::Healthy);
        assert_eq!(
            report.latency_ms(),
            120,
            "latency is the time the probe took"
        );
        assert_eq!(report.checked_at, clock.now);
        assert_eq!(
            report.visible,
            Some(Visible {
                agents: 12,
                tenants: 3
            })
        );
        assert!(report.error.is_none());
    }

    #[tokio::test]
    async fn a_failed_probe_keeps_its_error_and_is_classified() {
        let report = check(&clock(40), || async {
            Err(ApiError::InvalidCredentials {
                server: SERVER.into(),
                detail: None,
            })
        })
        .await;
        assert_eq!(report.state, ServerState::WrongPassword);
        assert_eq!(report.latency_ms(), 40);
        assert!(report.visible.is_none());
        assert_eq!(
            report.error.as_ref().map(ApiError::kind),
            Some("invalid_credentials")
        );
    }

    #[tokio::test]
    async fn a_check_whose_read_was_refused_is_not_healthy() {
        let report = check(&clock(10), || async {
            Err(ApiError::NotFound {
                server: SERVER.into(),
                path: "Agents/$count".into(),
                detail: None,
            })
        })
        .await;
        assert_eq!(report.state, ServerState::Other);
    }
}
