//! The one-line summary of all servers for the tray icon and its tooltip.

use serde::{Deserialize, Serialize};

use crate::server_state::ServerState;

/// How many failing servers the summary names before "and N more".
const NAMED_FAILURES: usize = 2;

/// The overall health, one per tray icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// No server saved yet.
    NotSetUp,
    /// Some servers have not been checked yet and none is known to fail.
    Checking,
    /// Every server is healthy.
    AllHealthy,
    /// Some servers fail, at least one is healthy.
    SomeFailing,
    /// No server is healthy.
    AllFailing,
}

/// The overall health and the sentence that sums it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The overall state (picks the tray icon).
    pub overall: Overall,
    /// Healthy servers.
    pub healthy: usize,
    /// Saved servers.
    pub total: usize,
    /// The sentence, e.g. "3 of 4 servers healthy — Acme MS unreachable".
    pub text: String,
}

impl Summary {
    /// The tray tooltip: the sentence with the product name in front.
    pub fn tooltip(&self) -> String {
        format!("NovaBACKUP: {}", self.text)
    }
}

/// Sums up the servers, each given as its display name and its last state (`None`
/// when it has not been checked yet), in the order they should be named.
pub fn summarize<'a>(servers: impl IntoIterator<Item = (&'a str, Option<ServerState>)>) -> Summary {
    let servers: Vec<(&str, Option<ServerState>)> = servers.into_iter().collect();
    let total = servers.len();
    let healthy = servers
        .iter()
        .filter(|(_, state)| state.is_some_and(ServerState::is_healthy))
        .count();
    let failing: Vec<(&str, ServerState)> = servers
        .iter()
        .filter_map(|&(name, state)| state.filter(|s| !s.is_healthy()).map(|s| (name, s)))
        .collect();
    let unchecked = servers.iter().filter(|(_, state)| state.is_none()).count();

    let (overall, text) = if total == 0 {
        (Overall::NotSetUp, "not set up".to_owned())
    } else if failing.is_empty() && unchecked > 0 {
        (Overall::Checking, "checking servers…".to_owned())
    } else if failing.is_empty() {
        (Overall::AllHealthy, count(healthy, total))
    } else if healthy == 0 && unchecked == 0 {
        let text = if total == 1 {
            format!("{} {}", failing[0].0, words(failing[0].1))
        } else {
            "no server reachable".to_owned()
        };
        (Overall::AllFailing, text)
    } else {
        (
            Overall::SomeFailing,
            format!("{} — {}", count(healthy, total), name_failures(&failing)),
        )
    };
    Summary {
        overall,
        healthy,
        total,
        text,
    }
}

fn count(healthy: usize, total: usize) -> String {
    let noun = if total == 1 { "server" } else { "servers" };
    format!("{healthy} of {total} {noun} healthy")
}

/// The few words the summary puts after a server's name.
fn words(state: ServerState) -> &'static str {
    match state {
        ServerState::Healthy => "healthy",
        ServerState::Connecting => "connecting",
        ServerState::WrongPassword => "wrong password",
        ServerState::NoPassword => "no password saved",
        ServerState::Unreachable => "unreachable",
        ServerState::ServerError => "answering with errors",
        ServerState::Certificate => "certificate problem",
        ServerState::BadAddress => "address not usable",
        ServerState::Other => "not working",
    }
}

fn name_failures(failing: &[(&str, ServerState)]) -> String {
    let mut parts: Vec<String> = failing
        .iter()
        .take(NAMED_FAILURES)
        .map(|(name, state)| format!("{name} {}", words(*state)))
        .collect();
    if failing.len() > NAMED_FAILURES {
        parts.push(format!("and {} more", failing.len() - NAMED_FAILURES));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ServerState::*;

    #[test]
    fn no_servers_is_not_set_up() {
        let summary = summarize([]);
        assert_eq!(summary.overall, Overall::NotSetUp);
        assert_eq!(summary.tooltip(), "NovaBACKUP: not set up");
    }

    #[test]
    fn all_healthy_counts_them() {
        let summary = summarize([
            ("A", Some(Healthy)),
            ("B", Some(Healthy)),
            ("C", Some(Healthy)),
        ]);
        assert_eq!(summary.overall, Overall::AllHealthy);
        assert_eq!(summary.tooltip(), "NovaBACKUP: 3 of 3 servers healthy");
        assert_eq!((summary.healthy, summary.total), (3, 3));
    }

    #[test]
    fn some_failing_names_the_failing_server_and_why() {
        let summary = summarize([
            ("Main", Some(Healthy)),
            ("Acme MS", Some(Unreachable)),
            ("West", Some(Healthy)),
            ("East", Some(Healthy)),
        ]);
        assert_eq!(summary.overall, Overall::SomeFailing);
        assert_eq!(summary.text, "3 of 4 servers healthy — Acme MS unreachable");
    }

    #[test]
    fn many_failures_are_cut_short() {
        let summary = summarize([
            ("Main", Some(Healthy)),
            ("A", Some(WrongPassword)),
            ("B", Some(Certificate)),
            ("C", Some(Other)),
            ("D", Some(Unreachable)),
        ]);
        assert_eq!(
            summary.text,
            "1 of 5 servers healthy — A wrong password, B certificate problem, and 2 more"
        );
    }

    #[test]
    fn all_failing_says_no_server_is_reachable() {
        let summary = summarize([("A", Some(Unreachable)), ("B", Some(WrongPassword))]);
        assert_eq!(summary.overall, Overall::AllFailing);
        assert_eq!(summary.tooltip(), "NovaBACKUP: no server reachable");
        let single = summarize([("Acme MS", Some(Unreachable))]);
        assert_eq!(single.overall, Overall::AllFailing);
        assert_eq!(single.text, "Acme MS unreachable");
    }

    #[test]
    fn unchecked_servers_show_checking_until_something_fails() {
        let summary = summarize([("A", Some(Healthy)), ("B", None)]);
        assert_eq!(summary.overall, Overall::Checking);
        assert_eq!(summary.text, "checking servers…");
        let summary = summarize([("A", None), ("B", Some(Unreachable))]);
        assert_eq!(
            summary.overall,
            Overall::SomeFailing,
            "a known failure shows at once"
        );
        assert_eq!(summary.text, "0 of 2 servers healthy — B unreachable");
    }

    #[test]
    fn one_server_is_singular() {
        let summary = summarize([("A", Some(Healthy))]);
        assert_eq!(summary.text, "1 of 1 server healthy");
    }
}
