//! The live state of one configured server, as a plain state machine: connecting,
//! up, down (retried with backoff) or waiting for new credentials. It reads no clock:
//! every change takes the current instant and wall time from the caller.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::error::ApiError;
use crate::fanout::Unavailable;
use crate::server_state::{ServerState, classify};

/// Where a server stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The first login has not finished yet.
    Connecting,
    /// Logged in; calls go to it.
    Up,
    /// The last attempt failed in a way that may pass; skipped until a background
    /// retry succeeds.
    Down,
    /// The credentials were refused or are missing, or the certificate or address
    /// cannot be used: not retried until the user changes something (new credentials,
    /// a CA certificate, an address). [`Health::state`] says which.
    Parked,
}

/// What went wrong the last time, in terms a caller acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// A stable code (`unreachable`, `timeout`, `invalid_credentials`, `no_credentials`, ...).
    pub kind: String,
    /// A message that says what went wrong and what to do. Never holds a secret.
    pub message: String,
    /// The state it leaves the server in.
    pub state: ServerState,
}

impl Failure {
    /// The failure `error` is.
    pub fn of(error: &ApiError) -> Self {
        Self {
            kind: error.kind().to_owned(),
            message: error.to_string(),
            state: classify(error),
        }
    }
}

/// How long to wait before retrying a server that is down: doubling from `first`
/// up to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure.
    pub first: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(1),
            max: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The wait after `failures` failures in a row (at least one).
    pub fn delay(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(16);
        self.first.saturating_mul(1u32 << doublings).min(self.max)
    }
}

/// One server's live state.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// Where it stands.
    pub phase: Phase,
    /// The last failure, while not up.
    pub failure: Option<Failure>,
    /// When a login or request was last tried (wall time, for reports).
    pub last_tried: Option<DateTime<Utc>>,
    /// When it last answered.
    pub last_ok: Option<DateTime<Utc>>,
    /// Failures in a row.
    pub failures: u32,
    /// When the next background retry is due, while down.
    pub retry_at: Option<Instant>,
}

impl Default for Health {
    fn default() -> Self {
        Self::connecting()
    }
}

impl Health {
    /// A server whose first login is under way.
    pub fn connecting() -> Self {
        Self {
            phase: Phase::Connecting,
            failure: None,
            last_tried: None,
            last_ok: None,
            failures: 0,
            retry_at: None,
        }
    }

    /// The server answered.
    pub fn succeeded(&mut self, wall: DateTime<Utc>) {
        self.phase = Phase::Up;
        self.failure = None;
        self.last_tried = Some(wall);
        self.last_ok = Some(wall);
        self.failures = 0;
        self.retry_at = None;
    }

    /// The server failed in a way that may pass (unreachable, timeout, 5xx): down,
    /// with the next retry after the backoff.
    pub fn failed(
        &mut self,
        failure: Failure,
        now: Instant,
        wall: DateTime<Utc>,
        backoff: &Backoff,
    ) {
        self.failures = self.failures.saturating_add(1);
        self.phase = Phase::Down;
        self.failure = Some(failure);
        self.last_tried = Some(wall);
        self.retry_at = Some(now + backoff.delay(self.failures));
    }

    /// The credentials were refused or cannot be found: no retries until new ones.
    pub fn refused(&mut self, failure: Failure, wall: Option<DateTime<Utc>>) {
        self.failures = self.failures.saturating_add(1);
        self.phase = Phase::Parked;
        self.failure = Some(failure);
        if wall.is_some() {
            self.last_tried = wall;
        }
        self.retry_at = None;
    }

    /// Where the server stands.
    pub fn state(&self) -> ServerState {
        match (self.phase, &self.failure) {
            (Phase::Connecting, _) => ServerState::Connecting,
            (Phase::Up, _) => ServerState::Healthy,
            (Phase::Down | Phase::Parked, Some(failure)) => failure.state,
            (Phase::Down, None) => ServerState::Unreachable,
            (Phase::Parked, None) => ServerState::NoPassword,
        }
    }

    /// Whether calls may go to this server now.
    pub fn is_up(&self) -> bool {
        self.phase == Phase::Up
    }

    /// Whether a call should wait for this server (its first login is under way).
    pub fn is_connecting(&self) -> bool {
        self.phase == Phase::Connecting
    }

    /// How long until the next background retry (zero when due; `None` when none is planned).
    pub fn retry_in(&self, now: Instant) -> Option<Duration> {
        self.retry_at.map(|at| at.saturating_duration_since(now))
    }

    /// Why the server cannot be asked now, as a fan-out reports it.
    pub fn unavailable(&self) -> Unavailable {
        let (kind, message) = match &self.failure {
            Some(failure) => (failure.kind.clone(), failure.message.clone()),
            None => (
                "connecting".to_owned(),
                "The first login to this server has not finished yet; try again shortly."
                    .to_owned(),
            ),
        };
        Unavailable {
            state: self.state(),
            kind,
            message,
            last_tried: self.last_tried,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn failure(kind: &str, state: ServerState) -> Failure {
        Failure {
            kind: kind.to_owned(),
            message: format!("{kind} happened"),
            state,
        }
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let backoff = Backoff {
            first: Duration::from_millis(500),
            max: Duration::from_secs(5),
        };
        let delays: Vec<u64> = (1..=6)
            .map(|n| backoff.delay(n).as_millis() as u64)
            .collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 5000, 5000]);
        assert_eq!(
            backoff.delay(u32::MAX),
            Duration::from_secs(5),
            "no overflow"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_down_server_is_retried_after_the_backoff_and_rejoins() {
        let backoff = Backoff::default();
        let wall = Utc.with_ymd_and_hms(2026, 4, 23, 8, 0, 0).unwrap();
        let start = Instant::now();
        let mut health = Health::connecting();
        assert!(health.is_connecting());
        health.failed(
            failure("timeout", ServerState::Unreachable),
            start,
            wall,
            &backoff,
        );
        assert_eq!(health.phase, Phase::Down);
        assert_eq!(health.retry_in(start), Some(Duration::from_secs(1)));
        health.failed(
            failure("timeout", ServerState::Unreachable),
            start,
            wall,
            &backoff,
        );
        assert_eq!(
            health.retry_in(start),
            Some(Duration::from_secs(2)),
            "doubles"
        );
        tokio::time::advance(Duration::from_secs(3)).await;
        assert_eq!(
            health.retry_in(Instant::now()),
            Some(Duration::ZERO),
            "due now"
        );
        let unavailable = health.unavailable();
        assert_eq!(unavailable.kind, "timeout");
        assert_eq!(unavailable.state, ServerState::Unreachable);
        assert_eq!(unavailable.last_tried, Some(wall));
        health.succeeded(wall);
        assert!(health.is_up());
        assert_eq!(health.failures, 0);
        assert_eq!(health.retry_in(Instant::now()), None);
    }

    #[test]
    fn refused_credentials_are_not_retried() {
        let mut health = Health::connecting();
        health.refused(
            failure("invalid_credentials", ServerState::WrongPassword),
            None,
        );
        assert_eq!(health.phase, Phase::Parked);
        assert_eq!(health.retry_at, None);
        assert_eq!(health.state(), ServerState::WrongPassword);
    }

    #[test]
    fn a_server_says_where_it_stands_in_every_phase() {
        let mut health = Health::connecting();
        assert_eq!(health.state(), ServerState::Connecting);
        assert_eq!(health.unavailable().kind, "connecting");
        health.refused(failure("tls", ServerState::Certificate), None);
        assert_eq!(health.state(), ServerState::Certificate);
        health.succeeded(Utc::now());
        assert_eq!(health.state(), ServerState::Healthy);
    }
}
