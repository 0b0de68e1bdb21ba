//! How calls run: a cancelled call aborts its HTTP requests, a fan-out sends progress
//! as servers finish, and each call leaves one audit line on stderr without its
//! arguments (and no password anywhere on stderr).

mod mcp_common;

use std::time::Duration;

use mcp_common::{Configured, sim, start};
use ms_sim::SimConfig;
use rmcp::model::CallToolRequestParams;
use serde_json::json;

#[tokio::test]
async fn a_cancelled_call_stops_its_requests() {
    let slow = sim(SimConfig {
        tenants: 3,
        agents_per_tenant: 40,
        runs: 50,
        page_size: Some(10),
        latency: Duration::from_millis(150),
        ..SimConfig::default()
    })
    .await;
    let harness = start(&[Configured::admin("slow", &slow)], &[]).await;
    // Let the background login finish first.
    harness.ok("list_servers", json!({})).await;
    let before = slow.counters().requests("/api/Agents");
    let call = harness.client.call_tool(
        CallToolRequestParams::new("summarize_storage_usage")
            .with_arguments(json!({"group_by": "tenant"}).as_object().unwrap().clone()),
    );
    let outcome = tokio::time::timeout(Duration::from_millis(700), call).await;
    assert!(
        outcome.is_err(),
        "12 pages at 150 ms cannot finish in 700 ms"
    );
    // Requests already sent may still be counted just after the cancel; then nothing
    // more may come, which only waiting shows.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let at_cancel = slow.counters().requests("/api/Agents") - before;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let later = slow.counters().requests("/api/Agents") - before;
    assert!(at_cancel >= 1, "the call had started reading");
    assert!(
        at_cancel < 12,
        "the call was cut short: {at_cancel} requests"
    );
    assert_eq!(
        later, at_cancel,
        "no request is sent after the cancellation"
    );
    // The server still serves.
    let answer = harness.ok("list_groups", json!({})).await;
    assert_eq!(answer["_meta"]["servers_succeeded"], 1);
}

#[tokio::test]
async fn fan_outs_report_progress_and_calls_are_audited_without_arguments() {
    let mut sims = Vec::new();
    for seed in 1..=3 {
        sims.push(
            sim(SimConfig {
                seed,
                latency: Duration::from_millis(20 * seed),
                ..SimConfig::default()
            })
            .await,
        );
    }
    let configured: Vec<Configured> = sims
        .iter()
        .enumerate()
        .map(|(i, sim)| Configured::admin(&format!("s{i}"), sim))
        .collect();
    let harness = start(&configured, &[("MCP_LOG_LEVEL", "warn")]).await;
    let answer = harness.ok("list_agents", json!({"$top": 3})).await;
    assert_eq!(answer["_meta"]["servers_succeeded"], 3);
    // Notifications may arrive just after the answer: wait for the first.
    let arrived = tokio::time::timeout(Duration::from_secs(10), async {
        while harness.recorder.progress.lock().unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(arrived.is_ok(), "progress notifications during the fan-out");
    let progress = harness.recorder.progress.lock().unwrap().clone();
    assert!(
        !progress.is_empty(),
        "progress notifications during the fan-out"
    );
    assert!(progress.len() <= 3);
    assert!(progress.iter().all(|p| p.total == Some(3.0)));
    let steps: Vec<f64> = progress.iter().map(|p| p.progress).collect();
    assert!(
        steps.windows(2).all(|w| w[0] < w[1]),
        "progress increases: {steps:?}"
    );

    let secret = sims[0].admin().password.clone();
    harness
        .ok(
            "connect_server",
            json!({"server_id": "extra", "base_url": sims[0].base_url(),
                   "username": sims[0].admin().user_name, "password": secret}),
        )
        .await;
    harness
        .call(
            "list_agents",
            json!({"$filter": "Bogus eq 1", "server_id": "s1"}),
        )
        .await;
    // The audit lines reach stderr just after the answers: wait for all three.
    let logged = tokio::time::timeout(Duration::from_secs(10), async {
        while harness
            .stderr_text()
            .lines()
            .filter(|l| l.contains("tool call"))
            .count()
            < 3
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(
        logged.is_ok(),
        "three audit lines: {}",
        harness.stderr_text()
    );
    let stderr = harness.stderr_text();
    let audit: Vec<&str> = stderr.lines().filter(|l| l.contains("tool call")).collect();
    assert_eq!(
        audit.len(),
        3,
        "one audit line per call, even at log level warn:\n{stderr}"
    );
    assert!(
        audit[0].contains("tool=\"list_agents\"") || audit[0].contains("tool=list_agents"),
        "{}",
        audit[0]
    );
    assert!(audit[0].contains("args_sha256="));
    assert!(audit[0].contains("duration_ms="));
    assert!(audit[0].contains("status=\"ok\"") || audit[0].contains("status=ok"));
    assert!(
        audit[2].contains("error"),
        "a failed call is audited as an error: {}",
        audit[2]
    );
    assert!(!stderr.contains(&secret), "no password on stderr");
    assert!(
        !stderr.contains("Bogus"),
        "the arguments themselves are never logged"
    );
    assert!(
        !stderr.contains("Bearer"),
        "no Authorization header on stderr"
    );
}

#[tokio::test]
async fn connect_server_asks_a_client_that_supports_elicitation() {
    let sim = sim(SimConfig::default()).await;
    let admin = sim.admin().clone();
    let recorder = mcp_common::Recorder {
        form_answer: Some(
            json!({"base_url": sim.base_url(), "username": admin.user_name, "password": admin.password}),
        ),
        ..mcp_common::Recorder::default()
    };
    let harness = mcp_common::start_with(recorder.clone(), &[], &[]).await;
    let info = harness.ok("system_info", json!({})).await;
    assert_eq!(info["client"]["supports_elicitation"], true);
    assert!(
        info["next_step"]
            .as_str()
            .unwrap()
            .contains("novabackup-mcp login"),
        "nothing connected yet"
    );
    let connected = harness
        .ok("connect_server", json!({"server_id": "asked"}))
        .await;
    assert_eq!(connected["connected"], true, "{connected}");
    assert_eq!(connected["credentials_from"], "elicitation");
    assert!(
        connected.get("warning").is_none(),
        "no chat-history warning with a form"
    );
    let forms = recorder.forms.lock().unwrap().clone();
    assert_eq!(forms.len(), 1);
    let schema = forms[0].to_string();
    assert!(
        schema.contains("password") && schema.contains("base_url"),
        "{schema}"
    );
    let agents = harness
        .ok("list_agents", json!({"server_id": "asked"}))
        .await;
    assert_eq!(agents["_meta"]["servers_succeeded"], 1);
    assert!(!harness.stderr_text().contains(&admin.password));
}
