//! The digest's shape: what the MCP tool, the tray app and scripts read. Field names
//! are part of the contract (design.md, "Backup health"); fields may be added.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::fanout::FanOutMeta;
use crate::server_id::ServerId;

/// What a customer's backups come to, worst first (`Failing < Warning < Ok`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A run failed in the window, or an agent has not succeeded for `stale_hours`.
    Failing,
    /// Runs ended with warnings or were cancelled, nothing worse.
    Warning,
    /// Every run in the window succeeded and every agent succeeded recently.
    Ok,
}

impl Verdict {
    /// The verdict as the tools spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Failing => "failing",
            Verdict::Warning => "warning",
            Verdict::Ok => "ok",
        }
    }
}

/// How bad a problem line is, worst first: from an `Error` or a `Warning` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The line came from an `Error` message.
    Error,
    /// The line came from a `Warning` message (the log had no error).
    Warning,
}

/// What became of a failing run's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogState {
    /// Read: `first_error` is its first error line (else its first warning), or null
    /// when it has neither.
    Read,
    /// Asked for, but the server could not give it (404, 502, 503 or another failure).
    Unavailable,
    /// Not asked for: the cap on logs read (`max_logs`) or the time ran out first.
    NotRead,
}

/// The period the digest covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestWindow {
    /// Runs that started at or after this moment are counted.
    pub since: DateTime<Utc>,
    /// The moment the digest was taken.
    pub until: DateTime<Utc>,
    /// The window's name (`24h`, `7d`, `30d`), or null when `since` was given.
    pub name: Option<String>,
}

/// How many customers have each verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    /// Customers failing.
    pub failing: usize,
    /// Customers with warnings only.
    pub warning: usize,
    /// Customers all well.
    pub ok: usize,
}

/// What became of the failing runs' logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LogCounts {
    /// Logs read.
    pub read: usize,
    /// Logs the server could not give.
    pub unavailable: usize,
    /// Logs not asked for (capped or out of time).
    pub not_read: usize,
}

impl LogCounts {
    /// Adds another server's counts.
    pub fn add(&mut self, other: LogCounts) {
        self.read += other.read;
        self.unavailable += other.unavailable;
        self.not_read += other.not_read;
    }
}

/// The sums over every customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Customers in the digest.
    pub customers: usize,
    /// Their agents.
    pub agents: usize,
    /// Agents connected to their server now.
    pub agents_connected: usize,
    /// Runs in the window.
    pub runs: u64,
    /// Runs in the window by status label (`success`, `failed`, ...): exact.
    pub runs_by_status: BTreeMap<String, u64>,
    /// Failing runs (warning, cancelled, failed) in the window: exact.
    pub failing_runs: usize,
    /// Agents with no successful run for `stale_hours` (or never).
    pub stale_agents: usize,
    /// Customers per verdict.
    pub customers_by_verdict: VerdictCounts,
    /// What became of the failing runs' logs.
    pub logs: LogCounts,
}

/// One failing run (warning, cancelled or failed) with the first problem line of its log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailingRun {
    /// The server it ran on.
    pub server_id: ServerId,
    /// The agent that ran it.
    pub agent_id: Option<i64>,
    /// The agent's name (friendly name, else machine name).
    pub agent_name: Option<String>,
    /// The job's name.
    pub job_name: Option<String>,
    /// The status code (2 warning, 3 cancelled, 4 failed).
    pub status: i64,
    /// The status label.
    pub status_label: String,
    /// The triage characterization (`failed_immediate`, `warning_partial`, ...).
    pub characterization: Option<String>,
    /// When it started.
    pub start_date_time: Option<DateTime<Utc>>,
    /// How long it ran, in seconds.
    pub duration_seconds: Option<f64>,
    /// Bytes read.
    pub bytes_processed: Option<i64>,
    /// Bytes written.
    pub bytes_finished: Option<i64>,
    /// The run's log key (`get_job_run_log`'s `job_id`).
    pub job_log_id: Option<i64>,
    /// The first `Error` message of its log, else the first `Warning` (null when the
    /// log was not read, could not be read, or has neither).
    pub first_error: Option<String>,
    /// Whether `first_error` came from an error or a warning.
    pub first_error_severity: Option<Severity>,
    /// The cause `first_error` reports (see [`super::normalise`]).
    pub cause: Option<String>,
    /// What became of its log.
    pub log: LogState,
}

/// An agent with no successful run for `stale_hours` (or never).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleAgent {
    /// The agent's id.
    pub agent_id: Option<i64>,
    /// Its name.
    pub agent_name: Option<String>,
    /// Whether it is connected to its server now.
    pub connected: Option<bool>,
    /// When its last successful run started (null: never, or not checked).
    pub last_success: Option<DateTime<Utc>>,
    /// Whole hours since then (null: never, or not checked).
    pub hours_since_success: Option<i64>,
    /// Whether its last success was looked up (false when the lookups were capped or
    /// failed: then `last_success` is unknown, not "never").
    pub last_success_checked: bool,
}

/// One customer (tenant) on one server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Customer {
    /// The server the customer is on.
    pub server_id: ServerId,
    /// The tenant id (null for agents that belong to no visible customer).
    pub tenant_id: Option<String>,
    /// The name of the tenant's root group.
    pub name: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Its agents.
    pub agents: usize,
    /// Of those, connected now.
    pub agents_connected: usize,
    /// Runs in the window.
    pub runs: u64,
    /// Runs in the window by status label: exact.
    pub runs_by_status: BTreeMap<String, u64>,
    /// Failing runs in the window: exact (the list below may be shorter).
    pub failing_runs_total: usize,
    /// The failing runs, newest first, at most `max_failing_runs`.
    pub failing_runs: Vec<FailingRun>,
    /// Whether failing runs were left out of the list.
    pub failing_runs_truncated: bool,
    /// Agents with no successful run for `stale_hours` (or never).
    pub stale_agents: Vec<StaleAgent>,
}

impl Customer {
    /// Runs in the window with this status label.
    pub fn runs_with(&self, label: &str) -> u64 {
        self.runs_by_status.get(label).copied().unwrap_or(0)
    }

    /// The verdict its runs and agents call for.
    pub fn judge(&self) -> Verdict {
        if self.runs_with("failed") > 0 || !self.stale_agents.is_empty() {
            Verdict::Failing
        } else if self.failing_runs_total > 0 {
            Verdict::Warning
        } else {
            Verdict::Ok
        }
    }
}

/// A cause: failing runs whose first problem lines differ only in what varies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The line with what varies replaced by placeholders.
    pub cause: String,
    /// One line as it was logged (the newest).
    pub example: String,
    /// Whether the lines were errors or warnings.
    pub severity: Severity,
    /// Runs it hit (of those whose log was read).
    pub runs: usize,
    /// Agents it hit.
    pub agents: usize,
    /// Customers it hit.
    pub customers: usize,
}

/// Why the digest is not complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncompleteReason {
    /// `server_failed`, `rows_capped`, `logs_not_read` or `last_success_not_checked`.
    pub kind: String,
    /// The server concerned.
    pub server_id: Option<ServerId>,
    /// What is missing and what to do, for people.
    pub message: String,
}

/// One server's share of the digest, ready to be combined with the others'.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerPart {
    /// The server.
    pub server_id: ServerId,
    /// Its customers, each with every failing run (newest first) and verdict.
    pub customers: Vec<Customer>,
    /// What this server's share is missing.
    pub incomplete_reasons: Vec<IncompleteReason>,
    /// What became of its failing runs' logs.
    pub logs: LogCounts,
}

/// The backup-health digest over every server asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    /// The period covered.
    pub window: DigestWindow,
    /// Hours without a successful run after which an agent is stale.
    pub stale_hours: u32,
    /// Sums over every customer.
    pub totals: Totals,
    /// Customers, worst first.
    pub customers: Vec<Customer>,
    /// Causes, worst first.
    pub causes: Vec<Cause>,
    /// Whether everything asked for is here (counts are always exact for the servers
    /// that answered; see `incomplete_reasons`).
    pub complete: bool,
    /// Why not, when `complete` is false.
    pub incomplete_reasons: Vec<IncompleteReason>,
    /// The servers asked, answered and failed, with each failure's error.
    #[serde(rename = "_meta")]
    pub meta: FanOutMeta,
}
