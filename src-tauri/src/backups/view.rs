//! The Backups tab's view of the core's digest: customers worst first with their
//! failing runs and stale computers, the grouped causes, the servers that did not
//! answer, and when it was checked. Nothing is computed again here: every count and
//! verdict is the digest's; this only names servers by their labels and shapes the
//! fields for the UI.

use std::collections::HashMap;

use novabackup_core::ServerId;
use novabackup_core::digest::{Customer, Digest, FailingRun, StaleAgent, Verdict};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::views::narrow;

/// The period the Backups tab and the tray look at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum BackupWindow {
    /// The last 24 hours.
    #[default]
    Day,
    /// The last 7 days.
    Week,
}

impl BackupWindow {
    /// The core's window.
    pub fn core(self) -> novabackup_core::insight::window::Window {
        use novabackup_core::insight::window::Window;
        match self {
            Self::Day => Window::Day,
            Self::Week => Window::Week,
        }
    }
}

/// Where the Backups tab stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum BackupsState {
    /// No server is saved.
    NotSetUp,
    /// Servers are saved but no digest has finished yet.
    Checking,
    /// The last digest.
    Ready,
}

/// A customer's verdict, as the digest gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum VerdictView {
    /// A failed run or a computer not backed up for too long.
    Failing,
    /// Warnings or cancelled runs only.
    Warning,
    /// Every run succeeded.
    Ok,
}

impl From<Verdict> for VerdictView {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Failing => Self::Failing,
            Verdict::Warning => Self::Warning,
            Verdict::Ok => Self::Ok,
        }
    }
}

/// What became of a run that did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RunOutcome {
    /// It failed.
    Failed,
    /// It finished with warnings.
    Warning,
    /// It was cancelled.
    Cancelled,
}

/// A run that failed, warned or was cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunView {
    /// The computer's name (or its number).
    pub computer: String,
    /// The job's name.
    pub job: Option<String>,
    /// What became of it.
    pub outcome: RunOutcome,
    /// When it started (RFC 3339).
    pub started_at: Option<String>,
    /// The first error (or warning) line of its log, when it was read.
    pub first_error: Option<String>,
}

/// A computer with no successful backup for too long.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StaleView {
    /// The computer's name (or its number).
    pub computer: String,
    /// Its last successful backup (RFC 3339); `null` when none is known.
    pub last_success: Option<String>,
    /// Whether the last success was looked up (else `lastSuccess` is unknown, not "never").
    pub last_success_checked: bool,
    /// Hours since its last success.
    pub hours_since_success: Option<u32>,
}

/// Runs counted by what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunCounts {
    /// Succeeded.
    pub succeeded: u32,
    /// Failed.
    pub failed: u32,
    /// Finished with warnings.
    pub warnings: u32,
    /// Cancelled.
    pub cancelled: u32,
    /// Every run, other states included (running, missed).
    pub total: u32,
}

/// One customer on one Management Server.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    /// Unique in the view: the server's id and the customer's tenant (`acme-ms/tenant`).
    pub key: String,
    /// The Management Server's id.
    pub server_id: String,
    /// The Management Server's label.
    pub server_label: String,
    /// The customer's tenant id, when it has one.
    pub tenant_id: Option<String>,
    /// The customer's name.
    pub name: String,
    /// The digest's verdict.
    pub verdict: VerdictView,
    /// Its computers.
    pub computers: u32,
    /// How many of them are connected.
    pub computers_connected: u32,
    /// Its runs in the period.
    pub runs: RunCounts,
    /// How many runs failed, warned or were cancelled (`failingRuns` lists the newest).
    pub failing_runs_total: u32,
    /// The newest runs that failed, warned or were cancelled.
    pub failing_runs: Vec<RunView>,
    /// The computers not backed up for too long.
    pub stale_computers: Vec<StaleView>,
}

/// First error lines grouped across customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CauseView {
    /// The line with what varies (numbers, paths, hosts) taken out.
    pub cause: String,
    /// One real line of it.
    pub example: String,
    /// Runs with it.
    pub runs: u32,
    /// Computers with it.
    pub computers: u32,
    /// Customers with it.
    pub customers: u32,
}

/// Why the view is not complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GapView {
    /// What is missing, as the digest names it (`server_failed`, `logs_not_read`, …).
    pub kind: String,
    /// The server it concerns, by its label.
    pub server_label: Option<String>,
    /// Whether that server was not asked at all (it did not answer, has no password,
    /// refused it, …): its customers are missing, not only some figures.
    pub server_left_out: bool,
    /// The digest's own explanation (in English, for the log and for support).
    pub detail: String,
}

/// The Backups tab: the last digest, worded for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupsView {
    /// Where it stands.
    pub state: BackupsState,
    /// The period shown.
    pub window: BackupWindow,
    /// When the last digest finished (RFC 3339).
    pub checked_at: Option<String>,
    /// The period's start (RFC 3339).
    pub since: Option<String>,
    /// The period's end (RFC 3339).
    pub until: Option<String>,
    /// Hours without a success after which a computer counts as not backed up.
    pub stale_hours: u32,
    /// Customers, worst first.
    pub customers: Vec<CustomerView>,
    /// The first error lines grouped across customers, most runs first.
    pub causes: Vec<CauseView>,
    /// Servers that did not answer, by label: their customers are not included.
    pub unanswered: Vec<String>,
    /// Whether everything was read.
    pub complete: bool,
    /// Why not, when it is not.
    pub gaps: Vec<GapView>,
}

impl BackupsView {
    /// The view before anything is known.
    pub fn empty(state: BackupsState, window: BackupWindow) -> Self {
        Self {
            state,
            window,
            checked_at: None,
            since: None,
            until: None,
            stale_hours: novabackup_core::digest::DEFAULT_STALE_HOURS,
            customers: Vec::new(),
            causes: Vec::new(),
            unanswered: Vec::new(),
            complete: true,
            gaps: Vec::new(),
        }
    }

    /// The view of `digest`, with servers named by `labels`; servers no longer saved
    /// (not in `labels`) are left out.
    pub fn of(
        digest: &Digest,
        window: BackupWindow,
        checked_at: chrono::DateTime<chrono::Utc>,
        labels: &HashMap<ServerId, String>,
    ) -> Self {
        let label = |id: &ServerId| {
            labels
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.as_str().to_owned())
        };
        let saved = |id: &ServerId| labels.contains_key(id);
        // A server without a password, or one that refused it or whose certificate is
        // not trusted, was not asked; "did not answer" would send the user looking at
        // the network: each is a gap of its own kind.
        let failure_kind = |id: &ServerId| {
            digest
                .meta
                .errors
                .iter()
                .find(|error| &error.server_id == id)
                .map(|error| error.kind.as_str())
        };
        let unanswered = digest
            .meta
            .errors
            .iter()
            .filter(|error| saved(&error.server_id) && !super::waits_for_the_user(&error.kind))
            .map(|error| label(&error.server_id))
            .collect();
        Self {
            state: BackupsState::Ready,
            window,
            checked_at: Some(checked_at.to_rfc3339()),
            since: Some(digest.window.since.to_rfc3339()),
            until: Some(digest.window.until.to_rfc3339()),
            stale_hours: digest.stale_hours,
            customers: digest
                .customers
                .iter()
                .filter(|c| saved(&c.server_id))
                .map(|c| customer(c, label(&c.server_id)))
                .collect(),
            causes: digest
                .causes
                .iter()
                .map(|c| CauseView {
                    cause: c.cause.clone(),
                    example: c.example.clone(),
                    runs: narrow(c.runs),
                    computers: narrow(c.agents),
                    customers: narrow(c.customers),
                })
                .collect(),
            unanswered,
            complete: digest.complete,
            gaps: digest
                .incomplete_reasons
                .iter()
                .filter(|reason| reason.server_id.as_ref().is_none_or(saved))
                .map(|reason| {
                    // A server that failed was not asked: its only reason is that.
                    let failure = reason.server_id.as_ref().and_then(failure_kind);
                    GapView {
                        kind: match failure {
                            Some(kind) if super::waits_for_the_user(kind) => kind.to_owned(),
                            _ => reason.kind.clone(),
                        },
                        server_label: reason.server_id.as_ref().map(label),
                        server_left_out: failure.is_some(),
                        detail: reason.message.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// The key of a customer in the view and in the tray's menu.
pub fn customer_key(customer: &Customer) -> String {
    format!(
        "{}/{}",
        customer.server_id,
        customer.tenant_id.as_deref().unwrap_or("")
    )
}

fn customer(customer: &Customer, server_label: String) -> CustomerView {
    let runs = RunCounts {
        succeeded: narrow(customer.runs_with("success")),
        failed: narrow(customer.runs_with("failed")),
        warnings: narrow(customer.runs_with("warning")),
        cancelled: narrow(customer.runs_with("cancelled")),
        total: narrow(customer.runs),
    };
    CustomerView {
        key: customer_key(customer),
        server_id: customer.server_id.as_str().to_owned(),
        server_label,
        tenant_id: customer.tenant_id.clone(),
        name: customer.name.clone(),
        verdict: customer.verdict.into(),
        computers: narrow(customer.agents),
        computers_connected: narrow(customer.agents_connected),
        runs,
        failing_runs_total: narrow(customer.failing_runs_total),
        failing_runs: customer.failing_runs.iter().map(run).collect(),
        stale_computers: customer.stale_agents.iter().map(stale).collect(),
    }
}

/// A computer's name, else its number.
pub fn computer_name(name: Option<&str>, agent_id: Option<i64>) -> String {
    match (name, agent_id) {
        (Some(name), _) => name.to_owned(),
        (None, Some(id)) => format!("#{id}"),
        (None, None) => "?".to_owned(),
    }
}

fn run(run: &FailingRun) -> RunView {
    RunView {
        computer: computer_name(run.agent_name.as_deref(), run.agent_id),
        job: run.job_name.clone(),
        outcome: match run.status_label.as_str() {
            "failed" => RunOutcome::Failed,
            "cancelled" => RunOutcome::Cancelled,
            _ => RunOutcome::Warning,
        },
        started_at: run.start_date_time.map(|at| at.to_rfc3339()),
        first_error: run.first_error.clone(),
    }
}

fn stale(agent: &StaleAgent) -> StaleView {
    StaleView {
        computer: computer_name(agent.agent_name.as_deref(), agent.agent_id),
        last_success: agent.last_success.map(|at| at.to_rfc3339()),
        last_success_checked: agent.last_success_checked,
        hours_since_success: agent.hours_since_success.map(narrow),
    }
}
