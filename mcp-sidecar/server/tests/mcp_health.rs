//! `get_backup_health` through a real MCP client (rmcp's, over stdio to the built
//! binary): listed read-only and open-world with every argument described; its
//! structured content is the core's digest, field for field; its text stays within
//! the bound for 500 customers; a dead server makes it incomplete, every server dead
//! makes it an error; contradictory arguments are refused.

mod mcp_common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use mcp_common::{Configured, sim, start};
use ms_sim::{Sim, SimConfig};
use novabackup_core::digest::{DigestRequest, LogMemory, Period, REPORT_LIMIT, digest_over};
use novabackup_core::fanout::FanOutTarget;
use novabackup_core::insight::window::Window;
use novabackup_core::{ClientSettings, Credentials, Deadline, ManagementClient, ServerId};
use rmcp::model::CallToolRequestParams;
use secrecy::SecretString;
use serde_json::{Value, json};

/// The text of a tool result.
fn text_of(result: &rmcp::model::CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

/// The core's digest of `sims` (as their admins) for `request`, through the core's fan-out.
async fn core_digest(sims: &[(&str, &Sim)], request: &DigestRequest) -> Value {
    let targets = sims
        .iter()
        .map(|(id, sim)| {
            let admin = sim.admin();
            let client = ManagementClient::new(
                &sim.base_url(),
                Credentials::new(
                    admin.user_name.clone(),
                    SecretString::from(admin.password.clone()),
                ),
                &ClientSettings::default(),
            )
            .unwrap();
            FanOutTarget::ready(ServerId::new(*id).unwrap(), client)
        })
        .collect();
    let digest = digest_over(
        targets,
        8,
        request,
        Deadline::after(Duration::from_secs(30)),
        &LogMemory::new(),
    )
    .await;
    serde_json::to_value(digest).unwrap()
}

#[tokio::test]
async fn listed_read_only_with_every_argument_described() {
    let alpha = sim(SimConfig::default()).await;
    let harness = start(&[Configured::admin("alpha", &alpha)], &[]).await;
    let tools = harness.client.list_all_tools().await.unwrap();
    let tool = tools
        .iter()
        .find(|t| t.name == "get_backup_health")
        .expect("get_backup_health is listed");
    let annotations = tool.annotations.as_ref().unwrap();
    assert_eq!(annotations.read_only_hint, Some(true));
    assert_eq!(annotations.open_world_hint, Some(true));
    let description = tool.description.as_deref().unwrap_or_default();
    assert!(description.contains("every customer"), "{description}");
    let properties = tool.input_schema["properties"].as_object().unwrap();
    let names: Vec<&str> = properties.keys().map(String::as_str).collect();
    for name in [
        "window",
        "since",
        "server_id",
        "tenant_id",
        "stale_hours",
        "max_failing_runs",
        "max_logs",
    ] {
        let schema = properties.get(name).unwrap_or_else(|| panic!("{names:?}"));
        let text = schema.to_string();
        assert!(
            schema["description"].as_str().is_some_and(|d| d.len() > 20),
            "{name} is described for a model: {text}"
        );
    }
    assert!(
        tool.input_schema
            .get("required")
            .is_none_or(|r| r.as_array().is_some_and(Vec::is_empty)),
        "no argument is required"
    );
    harness.client.cancel().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_structured_content_is_the_cores_digest() {
    let alpha = sim(SimConfig::default()).await;
    let beta = sim(SimConfig {
        seed: 2,
        tenants: 4,
        runs: 2000,
        ..SimConfig::default()
    })
    .await;
    let harness = start(
        &[
            Configured::admin("alpha", &alpha),
            Configured::admin("beta", &beta),
        ],
        &[],
    )
    .await;
    let result = harness
        .call("get_backup_health", json!({"window": "7d"}))
        .await;
    assert_ne!(result.is_error, Some(true), "{}", text_of(&result));
    let content = result
        .structured_content
        .clone()
        .expect("structured content");
    let until: DateTime<Utc> = content["window"]["until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let request = DigestRequest::new(Period::Window(Window::Week), until);
    let expected = core_digest(&[("alpha", &alpha), ("beta", &beta)], &request).await;
    assert_eq!(content, expected, "the tool's digest is the core's");
    assert_eq!(content["window"]["name"], "7d");
    assert_eq!(content["_meta"]["servers_succeeded"], 2);
    let text = text_of(&result);
    assert!(text.starts_with("Backup health over 7d"), "{text}");
    assert!(
        text.contains("get_job_run_log"),
        "says how to see a log: {text}"
    );
    assert!(!text.trim_start().starts_with('{'), "a report, not JSON");

    let tenant = content["customers"][0]["tenant_id"].as_str().unwrap();
    let server = content["customers"][0]["server_id"].as_str().unwrap();
    let one = harness
        .ok(
            "get_backup_health",
            json!({"window": "7d", "server_id": server, "tenant_id": tenant}),
        )
        .await;
    assert_eq!(one["customers"].as_array().unwrap().len(), 1);
    assert_eq!(one["customers"][0]["tenant_id"], tenant);
    assert_eq!(one["_meta"]["servers_queried"], 1, "one server asked");
    harness.client.cancel().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_text_stays_within_its_bound_for_500_customers() {
    let many = sim(SimConfig {
        tenants: 500,
        agents_per_tenant: 2,
        runs: 20_000,
        ..SimConfig::default()
    })
    .await;
    let harness = start(&[Configured::admin("many", &many)], &[]).await;
    let result = harness
        .call("get_backup_health", json!({"window": "7d"}))
        .await;
    let content = result.structured_content.clone().unwrap();
    assert_eq!(content["customers"].as_array().unwrap().len(), 500);
    let text = text_of(&result);
    println!(
        "get_backup_health text for 500 customers: {} bytes; structured content {} bytes",
        text.len(),
        content.to_string().len()
    );
    assert!(text.len() <= REPORT_LIMIT, "{} bytes", text.len());
    assert!(text.contains("more customers need attention"), "{text}");
    assert!(text.contains("all OK"), "{text}");
    harness.client.cancel().await.ok();
}

#[tokio::test]
async fn a_dead_server_makes_it_incomplete_and_no_server_makes_it_an_error() {
    let alive = sim(SimConfig::default()).await;
    let dead = sim(SimConfig {
        seed: 2,
        ..SimConfig::default()
    })
    .await;
    let servers = [
        Configured::admin("alive", &alive),
        Configured::admin("dead", &dead),
    ];
    dead.shutdown().await;
    let harness = start(&servers, &[]).await;
    let result = harness.call("get_backup_health", json!({})).await;
    assert_ne!(result.is_error, Some(true), "one server answered");
    let content = result.structured_content.clone().unwrap();
    assert_eq!(content["complete"], false);
    let reason = &content["incomplete_reasons"][0];
    assert_eq!(reason["kind"], "server_failed");
    assert_eq!(reason["server_id"], "dead");
    assert_eq!(content["_meta"]["errors"][0]["server_id"], "dead");
    assert!(
        content["customers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["server_id"] == "alive")
    );
    assert!(text_of(&result).contains("INCOMPLETE"));

    let only_dead = harness
        .call("get_backup_health", json!({"server_id": "dead"}))
        .await;
    assert_eq!(only_dead.is_error, Some(true), "no server answered");
    assert_eq!(
        only_dead.structured_content.unwrap()["_meta"]["servers_succeeded"],
        0
    );
    harness.client.cancel().await.ok();
}

#[tokio::test]
async fn contradictory_or_out_of_range_arguments_are_refused() {
    let alpha = sim(SimConfig::default()).await;
    let harness = start(&[Configured::admin("alpha", &alpha)], &[]).await;
    for (arguments, expected) in [
        (json!({"window": "24h", "since": "2026-01-01"}), "not both"),
        (json!({"since": "last tuesday"}), "ISO 8601"),
        (json!({"stale_hours": 0}), "stale_hours"),
        (json!({"since": "2999-01-01"}), "not before now"),
    ] {
        let error = harness
            .client
            .call_tool(
                CallToolRequestParams::new("get_backup_health")
                    .with_arguments(arguments.as_object().cloned().unwrap()),
            )
            .await
            .expect_err("a protocol error");
        assert!(error.to_string().contains(expected), "{arguments}: {error}");
    }
    harness.client.cancel().await.ok();
}
