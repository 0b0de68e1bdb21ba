//! Server commands in the mock runtime against the simulator: every connection-test
//! outcome, save (password to the keychain, never to the file; the server checked at
//! once), check now, remove, and "checking" only while a check runs.

mod common;

use std::time::{Duration, Instant};

use common::{TestApp, call_in, code};
use ms_sim::{CertificateFault, Sim, SimConfig};
use novabackup_core::ServerId;
use serde_json::{Value, json};

/// Tests a connection as the form's "Test connection" does.
fn test_connection(app: &TestApp, input: Value) -> Result<Value, Value> {
    app.call("test_connection", json!({ "input": input }))
}

/// A simulator that answers each request after `latency_ms`.
async fn slow_simulator(latency_ms: u64) -> Sim {
    Sim::start(SimConfig {
        latency: Duration::from_millis(latency_ms),
        ..SimConfig::default()
    })
    .await
    .expect("simulator")
}

/// Saves a server as the form's Save does; the saved server as the app answers.
fn save_server(app: &TestApp, input: Value) -> Value {
    app.call("save_server", json!({ "input": input }))
        .expect("saved")
}

/// Waits until `done` holds (polled, at most 15 s), failing with `what`.
async fn until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The overview once `done` holds for it (polled; a check runs in the background).
async fn overview_when(app: &TestApp, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let overview = app.call("overview", json!({})).expect("overview");
        if done(&overview) {
            return overview;
        }
        assert!(Instant::now() < deadline, "{what}: {overview}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn state_of(overview: &Value) -> &str {
    overview["servers"][0]["health"]["state"]
        .as_str()
        .unwrap_or_default()
}

fn input(sim_url: &str, username: &str, password: &str) -> Value {
    json!({
        "serverId": null,
        "label": "Acme MS",
        "baseUrl": sim_url,
        "username": username,
        "password": password,
        "caCertificate": null,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_good_login_reports_the_agents_and_tenants_the_user_sees() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = TestApp::new();
    let admin = sim.admin().clone();
    let answer = test_connection(
        &app,
        input(&sim.base_url(), &admin.user_name, &admin.password),
    )
    .expect("connected");
    assert_eq!(
        answer["agents"],
        sim.estate().agents_visible_to(&admin).len()
    );
    assert_eq!(
        answer["tenants"],
        sim.estate().visible_tenants(&admin).len()
    );
    assert!(answer["latencyMs"].is_u64(), "{answer}");

    // A user who sees fewer customers gets their own numbers.
    let scoped = sim
        .users()
        .iter()
        .find(|u| !u.is_admin)
        .expect("a scoped user")
        .clone();
    let answer = test_connection(
        &app,
        input(&sim.base_url(), &scoped.user_name, &scoped.password),
    )
    .expect("connected");
    assert_eq!(
        answer["tenants"],
        sim.estate().visible_tenants(&scoped).len()
    );
    assert!(answer["tenants"].as_u64() < Some(sim.estate().tenants.len() as u64));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_reported_as_such() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = TestApp::new();
    let error = test_connection(&app, input(&sim.base_url(), "admin", "not-the-password"))
        .expect_err("refused");
    assert_eq!(code(&error), "wrong_password", "{error}");
    assert!(
        !error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not-the-password"),
        "no secret in errors"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_is_down_is_unreachable() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let url = sim.base_url();
    sim.shutdown().await;
    let app = TestApp::new();
    let error =
        test_connection(&app, input(&url, "admin", "demo-admin")).expect_err("nobody listens");
    assert_eq!(code(&error), "unreachable", "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_connection_test_stops_at_once_and_sends_nothing_more() {
    let sim = slow_simulator(800).await;
    let app = TestApp::new();
    let admin = sim.admin().clone();
    let window = app.window.clone();
    let args = json!({ "input": input(&sim.base_url(), &admin.user_name, &admin.password) });
    let started = Instant::now();
    let test = std::thread::spawn(move || call_in(&window, "test_connection", args));
    until("the login is on its way", || {
        sim.counters().total_requests() >= 1
    })
    .await;
    assert_eq!(sim.counters().total_requests(), 1, "only the login");

    app.call("cancel_connection_test", json!({}))
        .expect("cancel answers");
    let error = test
        .join()
        .expect("the test thread")
        .expect_err("a stopped test does not connect");
    assert_eq!(code(&error), "cancelled", "{error}");
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "answered before the login could: {:?}",
        started.elapsed()
    );
    // Without the cancel the login would answer at 800 ms and the read would follow;
    // that nothing comes can only be seen by waiting past it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        sim.counters().total_requests(),
        1,
        "nothing is sent after the cancel"
    );
    // Cancelling with nothing running is harmless, and the next test works.
    app.call("cancel_connection_test", json!({}))
        .expect("cancel answers");
    sim.faults().clear();
    let answer = test_connection(
        &app,
        input(&sim.base_url(), &admin.user_name, &admin.password),
    )
    .expect("connected");
    assert!(answer["agents"].as_u64() > Some(0), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_certificate_is_a_certificate_problem_until_its_ca_is_given() {
    let sim = Sim::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let app = TestApp::new();
    let admin = sim.admin().clone();
    let error = test_connection(
        &app,
        input(&sim.base_url(), &admin.user_name, &admin.password),
    )
    .expect_err("untrusted");
    assert_eq!(code(&error), "certificate", "{error}");

    let ca = app.dir.path().join("acme-ca.pem");
    std::fs::write(
        &ca,
        sim.ca_certificate_pem().expect("a TLS simulator has a CA"),
    )
    .expect("write CA");
    *app.picked.lock().expect("picked") = Some(ca.clone());
    let picked = app.call("pick_ca_certificate", json!({})).expect("picked");
    assert_eq!(picked, ca.display().to_string());
    let mut trusted = input(&sim.base_url(), &admin.user_name, &admin.password);
    trusted["caCertificate"] = picked;
    test_connection(&app, trusted).expect("trusted with the CA");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_for_another_name_or_out_of_date_is_not_offered_a_ca_file() {
    for (fault, words) in [
        (CertificateFault::WrongHost, "does not match its address"),
        (CertificateFault::Expired, "renew the certificate"),
    ] {
        let sim = Sim::start(SimConfig {
            tls: true,
            certificate: fault,
            ..SimConfig::default()
        })
        .await
        .expect("simulator");
        let app = TestApp::new();
        let ca = app.dir.path().join("ca.pem");
        std::fs::write(&ca, sim.ca_certificate_pem().expect("CA")).expect("CA file");
        let admin = sim.admin().clone();
        let mut trusted = input(&sim.base_url(), &admin.user_name, &admin.password);
        trusted["caCertificate"] = json!(ca.display().to_string());
        let error = test_connection(&app, trusted).expect_err("refused even with the CA trusted");
        assert_eq!(code(&error), "certificate_rejected", "{fault:?}: {error}");
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains(words)),
            "{fault:?}: {error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn another_failure_carries_its_detail() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    sim.faults().fail_next(10, 500);
    let app = TestApp::new();
    let error = test_connection(&app, input(&sim.base_url(), "admin", "demo-admin"))
        .expect_err("server error");
    assert_eq!(code(&error), "other", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("500"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_checking_and_removing_a_server() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = TestApp::new();
    let saved = save_server(&app, input(&sim.base_url(), "admin", "demo-admin"));
    assert_eq!(saved["serverId"], "acme-ms");
    assert_eq!(saved["health"]["state"], "checking");

    let file = std::fs::read_to_string(&app.servers_file).expect("servers.json written");
    assert!(file.contains("\"acme-ms\""), "{file}");
    assert!(
        !file.contains("demo-admin"),
        "the password never goes to the file: {file}"
    );
    let id = ServerId::new("acme-ms").expect("id");
    let kept = app
        .companion()
        .passwords
        .get(&id)
        .await
        .expect("keychain")
        .expect("a password");
    assert_eq!(secrecy::ExposeSecret::expose_secret(&kept), "demo-admin");

    let overview = app
        .call("check_now", json!({ "serverId": null }))
        .expect("checked");
    assert_eq!(
        overview["servers"][0]["health"]["state"], "healthy",
        "{overview}"
    );
    assert_eq!(overview["overall"], "all_healthy");
    assert_eq!(overview["summary"], "1 of 1 server healthy");

    sim.faults().set_drop_connections(true);
    let overview = app
        .call("check_now", json!({ "serverId": "acme-ms" }))
        .expect("checked");
    assert_eq!(
        overview["servers"][0]["health"]["state"], "unreachable",
        "{overview}"
    );
    assert_eq!(overview["summary"], "Acme MS unreachable");

    // Editing without a password keeps the saved one.
    let mut edit = input(&sim.base_url(), "admin", "");
    edit["serverId"] = json!("acme-ms");
    edit["password"] = Value::Null;
    edit["label"] = json!("Acme (main)");
    app.call("save_server", json!({ "input": edit }))
        .expect("edited");
    assert!(
        app.companion()
            .passwords
            .get(&id)
            .await
            .expect("keychain")
            .is_some()
    );

    app.call("remove_server", json!({ "serverId": "acme-ms" }))
        .expect("removed");
    assert!(
        app.companion()
            .passwords
            .get(&id)
            .await
            .expect("keychain")
            .is_none(),
        "keychain entry deleted"
    );
    let overview = app.call("overview", json!({})).expect("overview");
    assert_eq!(overview["servers"], json!([]));
    assert_eq!(overview["overall"], "not_set_up");
    let error = app
        .call("remove_server", json!({ "serverId": "acme-ms" }))
        .expect_err("gone");
    assert_eq!(code(&error), "not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn incomplete_input_is_refused_before_anything_is_sent() {
    let app = TestApp::new();
    let mut missing = input("http://127.0.0.1:9/managementserver", "admin", "x");
    missing["label"] = json!("  ");
    let error = app
        .call("save_server", json!({ "input": missing }))
        .expect_err("no label");
    assert_eq!(code(&error), "invalid_input");
    let mut no_password = input("http://127.0.0.1:9/managementserver", "admin", "x");
    no_password["password"] = Value::Null;
    let error = app
        .call("save_server", json!({ "input": no_password }))
        .expect_err("no password");
    assert_eq!(code(&error), "invalid_input");
    assert!(!app.servers_file.exists(), "nothing was saved");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_server_is_added_labelled_as_demo_and_checked_at_once() {
    let app = TestApp::new();
    let demo = app.call("add_demo_server", json!({})).expect("demo added");
    assert_eq!(demo["demo"], true);
    assert_eq!(demo["health"]["state"], "checking", "{demo}");
    assert!(
        demo["label"].as_str().unwrap_or_default().contains("Demo"),
        "{demo}"
    );
    // No check now, no round: the app checks the server it just saved by itself.
    let overview = overview_when(&app, "the demo server checked", |o| {
        state_of(o) == "healthy"
    })
    .await;
    assert_eq!(overview["servers"][0]["demo"], true);
    assert_eq!(overview["summary"], "1 of 1 server healthy");
    // Adding it again does not add a second one.
    app.call("add_demo_server", json!({})).expect("again");
    let overview = app.call("overview", json!({})).expect("overview");
    assert_eq!(overview["servers"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_server_is_checked_at_once_and_shows_checking_only_meanwhile() {
    let sim = slow_simulator(400).await;
    let app = TestApp::new();
    let saved = save_server(&app, input(&sim.base_url(), "admin", "demo-admin"));
    assert_eq!(saved["health"]["state"], "checking", "{saved}");

    let overview = app.call("overview", json!({})).expect("overview");
    assert_eq!(state_of(&overview), "checking", "{overview}");
    assert_eq!(overview["summary"], "checking servers…");
    until(
        "the check's login is on its way, with nothing pressed",
        || sim.counters().requests("/api/Account/Authenticate") >= 1,
    )
    .await;
    assert_eq!(sim.counters().requests("/api/Account/Authenticate"), 1);

    let overview = overview_when(&app, "the check ends", |o| state_of(o) != "checking").await;
    assert_eq!(state_of(&overview), "healthy", "{overview}");
    assert!(
        overview["servers"][0]["health"]["checkedAt"].is_string(),
        "{overview}"
    );
    assert_eq!(overview["summary"], "1 of 1 server healthy");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_no_check_runs_for_says_not_checked_not_checking() {
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = TestApp::new();
    // Saved by the command line (`novabackup-mcp login`) while the app runs.
    std::fs::create_dir_all(app.servers_file.parent().expect("folder")).expect("folder");
    std::fs::write(
        &app.servers_file,
        json!({
            "version": 1,
            "servers": [{
                "server_id": "cli-ms",
                "label": "CLI MS",
                "base_url": sim.base_url(),
                "username": "admin",
            }],
        })
        .to_string(),
    )
    .expect("servers.json");
    let overview = app.call("overview", json!({})).expect("overview");
    assert_eq!(state_of(&overview), "not_checked", "{overview}");
    assert_eq!(overview["summary"], "1 server not checked yet");
    assert_eq!(
        overview["overall"], "checking",
        "grey, like any server without a result"
    );
    // That no check starts can only be seen by waiting a while.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sim.counters().total_requests(), 0, "no check is running");
    assert_eq!(
        state_of(&app.call("overview", json!({})).expect("overview")),
        "not_checked"
    );

    // Check now runs one: the answer is its outcome.
    let id = ServerId::new("cli-ms").expect("id");
    app.companion()
        .passwords
        .store(&id, "demo-admin".to_owned().into())
        .await
        .expect("keychain");
    let overview = app
        .call("check_now", json!({ "serverId": "cli-ms" }))
        .expect("checked");
    assert_eq!(state_of(&overview), "healthy", "{overview}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_is_checked_at_once_and_the_check_before_it_no_longer_counts() {
    // First saved with a wrong address (a server slow to answer) and a wrong password…
    let slow = slow_simulator(1500).await;
    let right = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = TestApp::new();
    save_server(&app, input(&slow.base_url(), "admin", "not-the-password"));
    until("the first check is on its way", || {
        slow.counters().requests("/api/Account/Authenticate") >= 1
    })
    .await;
    assert_eq!(slow.counters().requests("/api/Account/Authenticate"), 1);
    // …then corrected while that check still waits for its answer.
    let mut edit = input(&right.base_url(), "admin", "demo-admin");
    edit["serverId"] = json!("acme-ms");
    let edited = save_server(&app, edit);
    assert_eq!(edited["health"]["state"], "checking", "{edited}");
    let overview =
        overview_when(&app, "the edit's check ends", |o| state_of(o) != "checking").await;
    assert_eq!(state_of(&overview), "healthy", "{overview}");
    assert_eq!(right.counters().logins(), 1, "the edit was checked at once");
    // The first check ends later (refused) and changes nothing: wait past its answer.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(
        slow.counters().total_requests(),
        1,
        "the first check got its answer"
    );
    let overview = app.call("overview", json!({})).expect("overview");
    assert_eq!(state_of(&overview), "healthy", "{overview}");
}
