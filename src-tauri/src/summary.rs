//! The sentence that sums up the servers' health ("3 of 4 servers healthy — Acme MS
//! unreachable"), in the user's language: the window's header, the tray's tooltip and
//! its menu's first line. The overall state comes from the core's summary; this module
//! only words it, from the catalogue.

use novabackup_core::health::Overall;
use novabackup_core::server_state::ServerState;

use crate::i18n::{self, Language};

/// Failing servers named in the sentence before "and N more" (as the core's summary).
const NAMED_FAILURES: usize = 2;

/// One saved server as the summary sees it.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// Its name.
    pub name: &'a str,
    /// The state of its last finished check, if any.
    pub last: Option<ServerState>,
    /// Whether a check of it runs now.
    pub running: bool,
}

/// The sentence for servers whose overall state is `overall`.
pub fn sentence(language: Language, overall: Overall, servers: &[Seen<'_>]) -> String {
    let total = servers.len();
    let healthy = servers
        .iter()
        .filter(|s| s.last.is_some_and(ServerState::is_healthy))
        .count();
    let failing: Vec<(&str, ServerState)> = servers
        .iter()
        .filter_map(|s| s.last.filter(|l| !l.is_healthy()).map(|l| (s.name, l)))
        .collect();
    let healthy_count = || {
        i18n::counted(
            language,
            "summary.healthy",
            total,
            &[("healthy", &healthy.to_string())],
        )
    };
    match overall {
        Overall::NotSetUp => i18n::text(language, "summary.notSetUp", &[]),
        Overall::Checking => {
            let waiting: Vec<&Seen<'_>> = servers.iter().filter(|s| s.last.is_none()).collect();
            if waiting.iter().any(|s| s.running) {
                i18n::text(language, "summary.checking", &[])
            } else {
                i18n::counted(language, "summary.notChecked", waiting.len(), &[])
            }
        }
        Overall::AllHealthy => healthy_count(),
        Overall::AllFailing => match failing.as_slice() {
            [(name, state)] if total == 1 => failure(language, name, *state),
            _ => i18n::text(language, "summary.noneReachable", &[]),
        },
        Overall::SomeFailing => {
            let mut named: Vec<String> = failing
                .iter()
                .take(NAMED_FAILURES)
                .map(|(name, state)| failure(language, name, *state))
                .collect();
            if failing.len() > NAMED_FAILURES {
                let more = failing.len() - NAMED_FAILURES;
                named.push(i18n::counted(language, "summary.more", more, &[]));
            }
            i18n::text(
                language,
                "summary.withFailures",
                &[
                    ("healthy", &healthy_count()),
                    ("failures", &i18n::list(language, &named)),
                ],
            )
        }
    }
}

/// "Acme MS unreachable"
fn failure(language: Language, name: &str, state: ServerState) -> String {
    let key = match state {
        ServerState::WrongPassword | ServerState::NoPassword => "summary.failure.wrong_password",
        ServerState::Unreachable | ServerState::BadAddress => "summary.failure.unreachable",
        ServerState::Certificate => "summary.failure.certificate",
        ServerState::Healthy
        | ServerState::Connecting
        | ServerState::ServerError
        | ServerState::Other => "summary.failure.other",
    };
    i18n::text(language, key, &[("name", name)])
}

#[cfg(test)]
mod tests {
    use novabackup_core::health::summarize;

    use super::*;
    use ServerState::*;

    fn say(language: Language, servers: &[(&str, Option<ServerState>, bool)]) -> String {
        let seen: Vec<Seen<'_>> = servers
            .iter()
            .map(|&(name, last, running)| Seen {
                name,
                last,
                running,
            })
            .collect();
        let overall = summarize(servers.iter().map(|&(name, last, _)| (name, last))).overall;
        sentence(language, overall, &seen)
    }

    #[test]
    fn english_says_what_the_core_says() {
        let cases: [&[(&str, Option<ServerState>)]; 4] = [
            &[],
            &[("Acme MS", Some(Healthy))],
            &[("Acme MS", Some(Unreachable))],
            &[("A", Some(Healthy)), ("B", Some(WrongPassword))],
        ];
        for servers in cases {
            let with_running: Vec<_> = servers.iter().map(|&(n, s)| (n, s, false)).collect();
            assert_eq!(
                say(Language::English, &with_running),
                summarize(servers.iter().copied()).text,
                "{servers:?}"
            );
        }
        // Past two failures the rest is counted, joined as a list is in the language.
        assert_eq!(
            say(
                Language::English,
                &[
                    ("A", Some(Healthy), false),
                    ("B", Some(Unreachable), false),
                    ("C", Some(Certificate), false),
                    ("D", Some(Other), false),
                    ("E", Some(Other), false),
                ]
            ),
            "1 of 5 servers healthy — B unreachable, C certificate problem and 2 more"
        );
    }

    #[test]
    fn german_words_every_shape() {
        let de = Language::German;
        assert_eq!(say(de, &[]), "nicht eingerichtet");
        assert_eq!(
            say(de, &[("Acme MS", Some(Healthy), false)]),
            "1 von 1 Server in Ordnung"
        );
        assert_eq!(
            say(de, &[("Acme MS", Some(Unreachable), false)]),
            "Acme MS nicht erreichbar"
        );
        assert_eq!(
            say(
                de,
                &[
                    ("A", Some(Healthy), false),
                    ("B", Some(Unreachable), false),
                    ("C", Some(WrongPassword), false),
                    ("D", Some(Other), false),
                ]
            ),
            "1 von 4 Servern in Ordnung — B nicht erreichbar, C: Passwort falsch und 1 weiterer"
        );
        assert_eq!(
            say(
                de,
                &[("A", Some(Unreachable), false), ("B", Some(Other), false)]
            ),
            "kein Server erreichbar"
        );
        assert_eq!(say(de, &[("A", None, true)]), "Server werden geprüft…");
        assert_eq!(
            say(de, &[("A", None, false), ("B", None, false)]),
            "2 Server noch nicht geprüft"
        );
    }
}
