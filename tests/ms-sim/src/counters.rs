//! Request counters a test reads to check how a client behaved.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts of what one simulated server has received.
#[derive(Debug, Default)]
pub struct Counters {
    logins: AtomicU64,
    total: AtomicU64,
    paths: Mutex<HashMap<String, u64>>,
}

/// The path below the virtual directory: `/managementserver/api/Agents` → `/api/Agents`.
pub(crate) fn local_path(path: &str) -> &str {
    let prefix = crate::server::VIRTUAL_DIRECTORY;
    match path.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &path[prefix.len()..],
        _ => path,
    }
}

impl Counters {
    pub(crate) fn record(&self, path: &str) {
        self.total.fetch_add(1, Ordering::SeqCst);
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        *paths.entry(local_path(path).to_string()).or_default() += 1;
    }

    pub(crate) fn record_login(&self) {
        self.logins.fetch_add(1, Ordering::SeqCst);
    }

    /// Successful logins (`Account/Authenticate` answered with a token).
    pub fn logins(&self) -> u64 {
        self.logins.load(Ordering::SeqCst)
    }

    /// Requests whose path starts with `path_prefix`, e.g. `/api/JobHistories`
    /// (with or without the `/managementserver` virtual directory), whatever their answer.
    pub fn requests(&self, path_prefix: &str) -> u64 {
        let prefix = local_path(path_prefix);
        let paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// Every request received, including hung and failed ones.
    pub fn total_requests(&self) -> u64 {
        self.total.load(Ordering::SeqCst)
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        self.logins.store(0, Ordering::SeqCst);
        self.total.store(0, Ordering::SeqCst);
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
