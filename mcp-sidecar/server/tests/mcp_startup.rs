//! Start-up and dead servers: with 10 saved servers of which one never answers, the
//! handshake and tools/list answer at once and a fan-out returns the other 9 with the
//! dead one in `_meta.errors`; once known down it is skipped at once; it rejoins as
//! soon as it answers again.

mod mcp_common;

use std::time::{Duration, Instant};

use mcp_common::{Configured, sim, start};
use ms_sim::SimConfig;
use serde_json::{Value, json};

fn small() -> SimConfig {
    SimConfig {
        tenants: 1,
        agents_per_tenant: 2,
        runs: 20,
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn a_dead_server_never_holds_the_others_up() {
    let mut sims = Vec::new();
    for _ in 0..10 {
        sims.push(sim(small()).await);
    }
    sims[3].faults().set_hang(true);
    let configured: Vec<Configured> = sims
        .iter()
        .enumerate()
        .map(|(i, sim)| Configured::admin(&format!("ms{i}"), sim))
        .collect();

    let started = Instant::now();
    let harness = start(&configured, &[]).await;
    let tools = harness.client.list_all_tools().await.unwrap();
    let ready = started.elapsed();
    assert_eq!(
        tools.len(),
        25,
        "the 24 tools of the contract and get_backup_health"
    );
    assert!(
        ready < Duration::from_secs(1),
        "handshake and tools/list took {ready:?}"
    );

    // The first fan-out waits for the dead server's login at most its request timeout (2 s).
    let first_started = Instant::now();
    let first = harness.call("list_agents", json!({})).await;
    let first_took = first_started.elapsed();
    let content = first.structured_content.unwrap();
    assert_ne!(first.is_error, Some(true), "9 servers answered");
    let meta = &content["_meta"];
    assert_eq!(meta["servers_queried"], 10);
    assert_eq!(meta["servers_succeeded"], 9);
    assert_eq!(meta["partial"], true);
    let errors = meta["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["server_id"], "ms3");
    assert_eq!(errors[0]["kind"], "timeout");
    assert!(
        errors[0]["last_tried"].is_string(),
        "when it was last tried: {}",
        errors[0]
    );
    assert_eq!(
        content["agents"].as_array().unwrap().len(),
        18,
        "9 servers x 2 agents"
    );
    assert!(
        first_took < Duration::from_secs(5),
        "bounded by the request timeout: {first_took:?}"
    );

    // Known down: skipped at once.
    let second_started = Instant::now();
    let second = harness.ok("list_groups", json!({})).await;
    let second_took = second_started.elapsed();
    assert_eq!(second["_meta"]["servers_failed"], 1);
    assert_eq!(second["_meta"]["errors"][0]["server_id"], "ms3");
    assert!(
        second_took < Duration::from_millis(1000),
        "the dead server is skipped at once: {second_took:?}"
    );

    // Asked alone, it answers with its error at once too.
    let alone_started = Instant::now();
    let alone = harness
        .call("list_agents", json!({"server_id": "ms3"}))
        .await;
    assert_eq!(alone.is_error, Some(true));
    assert!(alone_started.elapsed() < Duration::from_millis(1000));

    // A health check tries it afresh, bounded by the request timeout.
    let health = harness
        .ok("server_health", json!({"server_id": "ms3"}))
        .await;
    assert_eq!(health["results"][0]["status"], "down");
    assert_eq!(health["results"][0]["auth"], "failed");
    assert!(health["results"][0]["latency_ms"].as_u64().unwrap() < 4000);
    assert_eq!(health["_meta"]["partial"], true);

    // It rejoins as soon as it answers.
    sims[3].faults().set_hang(false);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answer = harness.ok("list_groups", json!({})).await;
        if answer["_meta"]["servers_succeeded"] == 10 {
            assert_eq!(answer["_meta"]["partial"], false);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not rejoin: {}",
            answer["_meta"]
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn a_server_without_credentials_reports_what_to_do_and_the_rest_serve() {
    let good = sim(small()).await;
    let dir = tempfile::tempdir().unwrap();
    let lone = Configured::admin("good", &good);
    // A saved server with no password anywhere: the keychain lookup fails (no
    // Secret Service in the test's environment) or finds nothing.
    let profiles = json!({"version": 1, "servers": [
        {"server_id": "good", "label": "Good", "base_url": lone.base_url, "username": lone.user.user_name},
        {"server_id": "nopass", "label": "No password", "base_url": good.base_url(), "username": "someone"},
    ]});
    let credentials = json!({"version": 1, "servers": [
        {"server_id": "good", "label": "Good", "base_url": lone.base_url,
         "username": lone.user.user_name, "password": lone.user.password},
    ]});
    let profiles_path = dir.path().join("profiles.json");
    let credentials_path = dir.path().join("creds.json");
    std::fs::write(&profiles_path, profiles.to_string()).unwrap();
    std::fs::write(&credentials_path, credentials.to_string()).unwrap();
    let harness = start(
        &[],
        &[
            ("MCP_SERVERS_FILE", profiles_path.to_str().unwrap()),
            ("MCP_CREDENTIALS_FILE", credentials_path.to_str().unwrap()),
        ],
    )
    .await;
    let answer = harness.ok("list_agents", json!({})).await;
    assert_eq!(answer["_meta"]["servers_succeeded"], 1);
    let error = &answer["_meta"]["errors"][0];
    assert_eq!(error["server_id"], "nopass");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("novabackup-mcp login") || message.contains("MCP_CREDENTIALS_FILE"),
        "the error names the fix: {message}"
    );
    let info = harness.ok("system_info", json!({})).await;
    let connected: Vec<&Value> = info["connected_servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["server_id"])
        .collect();
    assert_eq!(connected, [&json!("good")]);
}
