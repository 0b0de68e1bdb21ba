//! Health checks against the simulator: a fresh login and a cheap read, timed and
//! classified (healthy with what the user sees, wrong password, unreachable,
//! certificate problem, other).

use std::time::Duration;

use ms_sim::{Sim, SimConfig};
use novabackup_core::health::{self, SystemClock, Visible};
use novabackup_core::server_state::ServerState;
use novabackup_core::{ClientSettings, Credentials, Deadline, ManagementClient};
use secrecy::SecretString;

async fn check(
    url: &str,
    user: &str,
    password: &str,
    settings: ClientSettings,
) -> health::HealthReport {
    let credentials = Credentials::new(user, SecretString::from(password.to_owned()));
    health::check(&SystemClock, || async move {
        let client = ManagementClient::new(url, credentials, &settings)?;
        health::probe(&client, Deadline::after(Duration::from_secs(10))).await
    })
    .await
}

#[tokio::test]
async fn a_healthy_server_reports_what_each_user_sees() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    for user in sim.users() {
        let report = check(
            &sim.base_url(),
            &user.user_name,
            &user.password,
            ClientSettings::default(),
        )
        .await;
        assert_eq!(report.state, ServerState::Healthy, "{:?}", report.error);
        let expected = Visible {
            agents: sim.estate().agents_visible_to(user).len() as u64,
            tenants: sim.estate().visible_tenants(user).len() as u64,
        };
        assert_eq!(
            report.visible,
            Some(expected),
            "what {} sees",
            user.user_name
        );
    }
}

#[tokio::test]
async fn each_failure_is_classified() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let wrong = check(&sim.base_url(), "admin", "wrong", ClientSettings::default()).await;
    assert_eq!(wrong.state, ServerState::WrongPassword);

    sim.faults().fail_next(5, 500);
    let failing = check(
        &sim.base_url(),
        "admin",
        "demo-admin",
        ClientSettings::default(),
    )
    .await;
    assert_eq!(
        failing.state,
        ServerState::ServerError,
        "{:?}",
        failing.error
    );
    sim.faults().clear();

    let slow = ClientSettings {
        request_timeout: Duration::from_millis(300),
        max_retries: 0,
        ..ClientSettings::default()
    };
    sim.faults().set_hang(true);
    let hung = check(&sim.base_url(), "admin", "demo-admin", slow).await;
    assert_eq!(
        hung.state,
        ServerState::Unreachable,
        "a server that never answers: {:?}",
        hung.error
    );
    assert!(
        hung.latency < Duration::from_secs(5),
        "bounded by the timeout: {:?}",
        hung.latency
    );
    sim.faults().set_hang(false);

    let url = sim.base_url();
    sim.shutdown().await;
    let down = check(&url, "admin", "demo-admin", ClientSettings::default()).await;
    assert_eq!(down.state, ServerState::Unreachable);
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_certificate_problem() {
    let sim = Sim::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let report = check(
        &sim.base_url(),
        "admin",
        "demo-admin",
        ClientSettings::default(),
    )
    .await;
    assert_eq!(report.state, ServerState::Certificate, "{:?}", report.error);

    let dir = tempfile::tempdir().expect("temp dir");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_certificate_pem().expect("CA")).expect("write CA");
    let trusted = ClientSettings {
        ca_certificate: Some(ca),
        ..ClientSettings::default()
    };
    let report = check(&sim.base_url(), "admin", "demo-admin", trusted).await;
    assert_eq!(report.state, ServerState::Healthy, "{:?}", report.error);
}
