//! Desktop notifications for backups that newly went wrong: a new failed run, a
//! computer that newly is not backed up for too long; grouped per customer ("3 new
//! failed backups at Acme"), never twice for the same run or the same computer. The
//! first digest only sets what is known; servers that did not answer keep what was
//! known of them, so their customers are not announced again when they come back.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use novabackup_core::ServerId;
use novabackup_core::digest::Digest;

use super::view::customer_key;
use crate::i18n::{self, Language};

/// What was already announced (or known at the first digest).
#[derive(Debug, Default)]
pub struct Announced {
    /// Whether a first digest has been seen.
    started: bool,
    /// Failed runs by server and log key, with when they started (to forget them
    /// once they leave the period).
    failed: HashMap<(ServerId, i64), Option<DateTime<Utc>>>,
    /// Computers not backed up for too long, by server and agent id.
    stale: HashSet<(ServerId, i64)>,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupNotice {
    /// The customer's key in the Backups view (the notification opens it).
    pub customer: String,
    /// The title.
    pub title: String,
    /// The text.
    pub body: String,
}

impl Announced {
    /// The notices for what is new in `digest` since the last one, in `language`.
    pub fn news(&mut self, digest: &Digest, language: Language) -> Vec<BackupNotice> {
        let answered: HashSet<&ServerId> = digest.customers.iter().map(|c| &c.server_id).collect();
        let silent: HashSet<&ServerId> = digest.meta.errors.iter().map(|e| &e.server_id).collect();
        let mut notices = Vec::new();
        let mut failed = HashMap::new();
        let mut stale = HashSet::new();
        for customer in &digest.customers {
            let new_failed: Vec<_> = customer
                .failing_runs
                .iter()
                .filter(|run| run.status_label == "failed")
                .filter_map(|run| {
                    let key = (customer.server_id.clone(), run.job_log_id?);
                    let new = !self.failed.contains_key(&key);
                    failed.insert(key, run.start_date_time);
                    new.then_some(run)
                })
                .collect();
            let new_stale = customer
                .stale_agents
                .iter()
                .filter_map(|agent| {
                    let key = (customer.server_id.clone(), agent.agent_id?);
                    let new = !self.stale.contains(&key);
                    stale.insert(key);
                    new.then_some(agent)
                })
                .count();
            if !self.started {
                continue;
            }
            let name = [("customer", customer.name.as_str())];
            if let Some(newest) = new_failed.first() {
                notices.push(BackupNotice {
                    customer: customer_key(customer),
                    title: i18n::counted(
                        language,
                        "backups.notice.failedTitle",
                        new_failed.len(),
                        &name,
                    ),
                    body: newest
                        .first_error
                        .clone()
                        .unwrap_or_else(|| i18n::text(language, "backups.notice.failedBody", &[])),
                });
            }
            if new_stale > 0 {
                let days = (digest.stale_hours / 24).max(1) as usize;
                let duration = i18n::counted(language, "backups.days", days, &[]);
                notices.push(BackupNotice {
                    customer: customer_key(customer),
                    title: i18n::counted(language, "backups.notice.staleTitle", new_stale, &name),
                    body: i18n::counted(
                        language,
                        "backups.notice.staleBody",
                        new_stale,
                        &[("duration", &duration)],
                    ),
                });
            }
        }
        // Servers that did not answer keep what was known of them.
        let since = digest.window.since;
        for (key, started) in self.failed.drain() {
            let kept = silent.contains(&key.0) && !answered.contains(&key.0);
            if kept && started.is_none_or(|at| at >= since) {
                failed.entry(key).or_insert(started);
            }
        }
        for key in self.stale.drain() {
            if silent.contains(&key.0) && !answered.contains(&key.0) {
                stale.insert(key);
            }
        }
        self.failed = failed;
        self.stale = stale;
        self.started = true;
        notices
    }
}
