//! The truth about the estate's backup health, for tests to hold a digest against:
//! the runs a user sees in a window, the failing ones, the first problem line of each
//! log and the kind of trouble it reports, and the agents with no success since a
//! moment, with when they last succeeded.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::estate::SimEstate;
use crate::health::CustomerHealth;
use crate::model::{Agent, JobRun, Tenant};

/// Whether a status is a failing one: warning (2), cancelled (3) or failed (4).
fn failing(status: i64) -> bool {
    (2..=4).contains(&status)
}

impl SimEstate {
    /// The runs `user` sees that started at or after `since`, oldest first.
    pub fn runs_visible_since(
        &self,
        user: &crate::model::DemoUser,
        since: DateTime<Utc>,
    ) -> Vec<&JobRun> {
        self.runs_visible_to(user)
            .into_iter()
            .filter(|r| r.start_date_time >= since)
            .collect()
    }

    /// The warning, cancelled and failed runs `user` sees that started at or after
    /// `since`, newest first.
    pub fn failing_runs_visible_since(
        &self,
        user: &crate::model::DemoUser,
        since: DateTime<Utc>,
    ) -> Vec<&JobRun> {
        let mut runs: Vec<&JobRun> = self
            .runs_visible_since(user, since)
            .into_iter()
            .filter(|r| failing(r.status))
            .collect();
        runs.reverse();
        runs
    }

    /// When the agent's newest successful run started; `None` when it never succeeded.
    pub fn last_success(&self, agent_id: i64) -> Option<DateTime<Utc>> {
        self.runs
            .iter()
            .rev()
            .find(|r| r.agent_id == agent_id && r.status == 1)
            .map(|r| r.start_date_time)
    }

    /// The agents `user` sees with no successful run that started at or after `since`,
    /// in id order, each with when it last succeeded (`None`: never).
    pub fn agents_without_success_since(
        &self,
        user: &crate::model::DemoUser,
        since: DateTime<Utc>,
    ) -> Vec<(&Agent, Option<DateTime<Utc>>)> {
        let mut last: HashMap<i64, DateTime<Utc>> = HashMap::new();
        for run in self.runs.iter().filter(|r| r.status == 1) {
            last.insert(run.agent_id, run.start_date_time);
        }
        self.agents_visible_to(user)
            .into_iter()
            .map(|agent| (agent, last.get(&agent.agent_id).copied()))
            .filter(|(_, success)| success.is_none_or(|at| at < since))
            .collect()
    }

    /// The first `Error` line of a run's log, else its first `Warning` line; `None`
    /// when the run has no log or its log has neither.
    pub fn first_problem_line(&self, job_log_id: i64) -> Option<String> {
        let log = self.log(job_log_id)?;
        ["Error", "Warning"].iter().find_map(|kind| {
            log.messages
                .iter()
                .find(|m| m.kind == *kind)
                .map(|m| m.message.clone())
        })
    }

    /// The kind of trouble a run's first problem line reports, by a stable name
    /// (`s3_access_denied`, `file_locked`, `cancelled_by_user`, ...); `None` for a run
    /// with no log or no trouble.
    pub fn trouble(&self, job_log_id: i64) -> Option<&'static str> {
        let run = self.run(job_log_id)?;
        crate::job_runs::log_of(self, run).and_then(|(_, trouble)| trouble)
    }

    /// Whether the server cannot fetch this run's log (its `Log` answers 503).
    pub fn log_unavailable(&self, job_log_id: i64) -> bool {
        self.unavailable_logs.contains(&job_log_id)
    }

    /// How a customer's backups are doing by construction.
    pub fn health_of(&self, tenant: &Tenant) -> CustomerHealth {
        self.customer_health
            .get(tenant.index)
            .copied()
            .unwrap_or(CustomerHealth::Mixed)
    }
}
