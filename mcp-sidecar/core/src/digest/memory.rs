//! The first problem lines already read, kept between digests so that a face asking
//! again and again (the tray's rounds, a model's follow-up questions) reads each
//! finished run's log once. A failing run is finished, so its log no longer changes.
//! What is kept is bounded by the runs in the window: after each server's share is
//! gathered, that server's runs outside it are forgotten.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::insight::runlog::Problem;
use crate::server_id::ServerId;

/// First problem lines read, by server and log key (`None`: the log has none).
#[derive(Debug, Default)]
pub struct LogMemory {
    read: Mutex<HashMap<(ServerId, i64), Option<Problem>>>,
}

impl LogMemory {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// What was read of the log `key` on `server_id`, if it was read.
    pub fn recall(&self, server_id: &ServerId, key: i64) -> Option<Option<Problem>> {
        self.lock().get(&(server_id.clone(), key)).cloned()
    }

    /// Keeps what was read of the log `key` on `server_id`.
    pub fn remember(&self, server_id: &ServerId, key: i64, problem: Option<Problem>) {
        self.lock().insert((server_id.clone(), key), problem);
    }

    /// Forgets the logs of `server_id` whose keys are not in `current` (runs that left
    /// the window).
    pub fn keep_only(&self, server_id: &ServerId, current: &HashSet<i64>) {
        self.lock()
            .retain(|(server, key), _| server != server_id || current.contains(key));
    }

    /// How many logs are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(ServerId, i64), Option<Problem>>> {
        self.read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ServerId {
        ServerId::new(text).expect("a valid id")
    }

    #[test]
    fn remembers_by_server_and_key_and_forgets_runs_that_left_the_window() {
        let memory = LogMemory::new();
        let problem = Problem {
            is_error: true,
            text: "disk full".to_owned(),
        };
        memory.remember(&id("eu-1"), 7, Some(problem.clone()));
        memory.remember(&id("eu-1"), 8, None);
        memory.remember(&id("us-1"), 7, None);
        assert_eq!(memory.recall(&id("eu-1"), 7), Some(Some(problem)));
        assert_eq!(
            memory.recall(&id("eu-1"), 8),
            Some(None),
            "read, with no problem line"
        );
        assert_eq!(memory.recall(&id("eu-1"), 9), None, "never read");
        memory.keep_only(&id("eu-1"), &HashSet::from([8]));
        assert_eq!(memory.recall(&id("eu-1"), 7), None);
        assert_eq!(
            memory.recall(&id("us-1"), 7),
            Some(None),
            "another server's are kept"
        );
        assert_eq!(memory.len(), 2);
    }
}
