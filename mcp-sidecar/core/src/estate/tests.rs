//! The estate against the simulator on loopback: background login, waiting only for
//! servers still connecting (and only so long), a dead server skipped at once and
//! rejoining, refused or missing credentials parked without retries.

use std::time::{Duration, Instant};

use ms_sim::{Sim, SimConfig};
use secrecy::SecretString;

use super::*;
use crate::fanout::ServerOutcome;
use crate::server_state::ServerState;

/// Asks the servers in `scope` for their agent count, within `within`.
async fn count_agents(
    estate: &Estate,
    scope: Scope<'_>,
    within: Duration,
) -> Result<FanOut<u64>, NoServer> {
    let asking = Asking {
        concurrency: 16,
        deadline: Deadline::after(within),
        login_wait: within,
        admission: Admission::Healthy,
    };
    estate
        .ask(scope, asking, &(), |_, client, deadline| async move {
            client.count("Agents", None, deadline).await
        })
        .await
}

/// The unavailability of an outcome that must be one.
fn unavailable<T: std::fmt::Debug>(outcome: &ServerOutcome<T>) -> &crate::fanout::Unavailable {
    match &outcome.result {
        Err(Miss::Unavailable(unavailable)) => unavailable,
        other => panic!("{} must be unavailable: {other:?}", outcome.server_id),
    }
}

fn settings() -> EstateSettings {
    EstateSettings {
        client: ClientSettings {
            request_timeout: Duration::from_millis(300),
            connect_timeout: Duration::from_millis(300),
            max_retries: 0,
            ..ClientSettings::default()
        },
        backoff: Backoff {
            first: Duration::from_millis(100),
            max: Duration::from_millis(400),
        },
    }
}

fn enrolment(id: &str, sim: &Sim, password: Password) -> Enrolment {
    Enrolment {
        server_id: ServerId::new(id).unwrap(),
        label: id.to_owned(),
        base_url: sim.base_url(),
        username: Some(sim.admin().user_name.clone()),
        ca_certificate: None,
        password,
        source: "test".to_owned(),
    }
}

fn given(sim: &Sim) -> Password {
    Password::Given(SecretString::from(sim.admin().password.clone()))
}

async fn small_sim() -> Sim {
    Sim::start(SimConfig {
        tenants: 1,
        agents_per_tenant: 1,
        runs: 5,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_dead_server_is_skipped_at_once_and_rejoins_when_it_answers() {
    let good = small_sim().await;
    let dead = small_sim().await;
    dead.faults().set_hang(true);
    let estate = Estate::new(settings());
    estate.enrol(enrolment("good", &good, given(&good)));
    estate.enrol(enrolment("dead", &dead, given(&dead)));

    let first = count_agents(&estate, Scope::All, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(first.outcomes.len(), 2);
    assert_eq!(first.outcomes[1].server_id.as_str(), "good");
    assert!(first.outcomes[1].result.is_ok(), "{:?}", first.outcomes[1]);
    let down = unavailable(&first.outcomes[0]);
    assert_eq!(down.kind, "timeout");
    assert_eq!(down.state, ServerState::Unreachable);
    assert!(down.last_tried.is_some());
    assert_eq!(first.meta.errors[0].state, ServerState::Unreachable);

    let started = Instant::now();
    let again = count_agents(&estate, Scope::All, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "known down: no waiting ({:?})",
        started.elapsed()
    );
    unavailable(&again.outcomes[0]);

    dead.faults().set_hang(false);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let member = estate.member(&ServerId::new("dead").unwrap()).unwrap();
        if member.health().is_up() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not rejoin: {:?}",
            member.health()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn refused_or_missing_credentials_wait_for_new_ones() {
    let sim = small_sim().await;
    let estate = Estate::new(settings());
    estate.enrol(enrolment(
        "wrong",
        &sim,
        Password::Given(SecretString::from("nope".to_owned())),
    ));
    estate.enrol(enrolment(
        "missing",
        &sim,
        Password::Lookup(Box::new(|| Ok(None))),
    ));
    estate.enrol(enrolment(
        "locked",
        &sim,
        Password::Lookup(Box::new(|| {
            Err("Your keychain is locked: unlock it.".to_owned())
        })),
    ));
    let asked = count_agents(&estate, Scope::All, Duration::from_secs(5))
        .await
        .unwrap();
    let entries: Vec<_> = asked.outcomes.iter().map(unavailable).collect();
    assert_eq!(asked.outcomes[0].server_id.as_str(), "locked");
    assert_eq!(entries[0].kind, "keychain_unavailable");
    assert_eq!(entries[0].state, ServerState::NoPassword);
    assert!(entries[0].message.contains("locked"));
    assert_eq!(entries[1].kind, "no_credentials");
    assert_eq!(entries[1].state, ServerState::NoPassword);
    assert!(
        entries[1]
            .message
            .contains("novabackup-mcp login --server-id missing")
    );
    assert_eq!(entries[2].kind, "invalid_credentials");
    assert_eq!(entries[2].state, ServerState::WrongPassword);
    assert_eq!(asked.meta.servers_failed, 3);

    let attempts = sim.counters().requests("/api/Account/Authenticate");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        sim.counters().requests("/api/Account/Authenticate"),
        attempts,
        "a refused password is not retried"
    );

    // New credentials (a re-enrolment) bring it in.
    estate.enrol(enrolment("wrong", &sim, given(&sim)));
    let id = ServerId::new("wrong").unwrap();
    let asked = count_agents(&estate, Scope::One(&id), Duration::from_secs(5))
        .await
        .unwrap();
    assert!(asked.outcomes[0].result.is_ok(), "{:?}", asked.outcomes[0]);
    assert!(estate.remove(&id));
    assert_eq!(
        count_agents(&estate, Scope::One(&id), Duration::from_secs(1))
            .await
            .unwrap_err(),
        NoServer::Unknown(id)
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_reported_not_taken_for_up() {
    let sim = Sim::start(SimConfig {
        tls: true,
        tenants: 1,
        agents_per_tenant: 1,
        runs: 5,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let estate = Estate::new(settings());
    estate.enrol(enrolment("private-ca", &sim, given(&sim)));
    let asked = count_agents(&estate, Scope::All, Duration::from_secs(5))
        .await
        .unwrap();
    let entry = unavailable(&asked.outcomes[0]);
    assert_eq!(entry.kind, "tls", "{entry:?}");
    assert_eq!(entry.state, ServerState::Certificate);
    let member = estate
        .member(&ServerId::new("private-ca").unwrap())
        .unwrap();
    assert_eq!(
        member.health().phase,
        Phase::Parked,
        "not retried in a loop"
    );
}

#[tokio::test]
async fn a_slow_first_login_does_not_hold_up_the_servers_that_answer() {
    let quick = small_sim().await;
    let slow = small_sim().await;
    slow.faults().set_hang(true);
    let estate = Estate::new(EstateSettings {
        client: ClientSettings {
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(30),
            max_retries: 0,
            ..ClientSettings::default()
        },
        ..settings()
    });
    estate.enrol(enrolment("quick", &quick, given(&quick)));
    estate.enrol(enrolment("slow", &slow, given(&slow)));
    let asking = Asking {
        concurrency: 16,
        deadline: Deadline::after(Duration::from_secs(20)),
        login_wait: Duration::from_millis(500),
        admission: Admission::Healthy,
    };
    let started = Instant::now();
    let asked = estate
        .ask(Scope::All, asking, &(), |_, client, deadline| async move {
            client.count("Agents", None, deadline).await
        })
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "the wait for a login is bounded on its own: {took:?}"
    );
    assert!(
        asked.outcomes[0].result.is_ok(),
        "quick answered: {:?}",
        asked.outcomes[0]
    );
    let waiting = unavailable(&asked.outcomes[1]);
    assert_eq!(waiting.state, ServerState::Connecting, "{waiting:?}");
}
