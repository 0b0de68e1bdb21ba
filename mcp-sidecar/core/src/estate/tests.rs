//! The estate against the simulator on loopback: background login, waiting only for
//! servers still connecting, a dead server skipped at once and rejoining, refused or
//! missing credentials parked without retries.

use std::time::{Duration, Instant};

use ms_sim::{Sim, SimConfig};
use secrecy::SecretString;

use super::*;

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

    let targets = estate
        .targets(None, Deadline::after(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(targets.len(), 2);
    assert!(matches!(&targets[1], Target::Ready(m, _) if m.server_id.as_str() == "good"));
    let Target::Unavailable(_, entry) = &targets[0] else {
        panic!("the hanging server is unavailable");
    };
    assert_eq!(entry["kind"], "timeout");
    assert!(entry["last_tried"].is_string());

    let started = Instant::now();
    let again = estate
        .targets(None, Deadline::after(Duration::from_secs(5)))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "known down: no waiting"
    );
    assert!(matches!(&again[0], Target::Unavailable(..)));

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
    let targets = estate
        .targets(None, Deadline::after(Duration::from_secs(5)))
        .await
        .unwrap();
    let entries: Vec<Value> = targets
        .iter()
        .map(|t| match t {
            Target::Unavailable(_, entry) => entry.clone(),
            Target::Ready(..) => panic!("no server may be ready"),
        })
        .collect();
    assert_eq!(entries[0]["server_id"], "locked");
    assert_eq!(entries[0]["kind"], "keychain_unavailable");
    assert!(entries[0]["message"].as_str().unwrap().contains("locked"));
    assert_eq!(entries[1]["kind"], "no_credentials");
    assert!(
        entries[1]["message"]
            .as_str()
            .unwrap()
            .contains("novabackup-mcp login --server-id missing")
    );
    assert_eq!(entries[2]["kind"], "invalid_credentials");
    assert_eq!(entries[2]["state"], "needs_credentials");

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
    let targets = estate
        .targets(Some(&id), Deadline::after(Duration::from_secs(5)))
        .await
        .unwrap();
    assert!(matches!(&targets[0], Target::Ready(..)));
    assert!(estate.remove(&id));
    assert!(
        estate
            .targets(Some(&id), Deadline::after(Duration::from_secs(1)))
            .await
            .is_none()
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
    let targets = estate
        .targets(None, Deadline::after(Duration::from_secs(5)))
        .await
        .unwrap();
    let Target::Unavailable(member, entry) = &targets[0] else {
        panic!("a server whose certificate is not trusted is not ready");
    };
    assert_eq!(entry["kind"], "tls", "{entry}");
    assert_eq!(
        member.health().phase,
        Phase::Parked,
        "not retried in a loop"
    );
    assert_eq!(entry["state"], "needs_certificate", "{entry}");
}
