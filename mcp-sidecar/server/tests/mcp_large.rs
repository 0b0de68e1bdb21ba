//! A large estate behind server paging and a `$top` cap: the history summary is exact
//! at 20,000 runs, and storage summaries cover every agent, not the first 1,000.

mod mcp_common;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use mcp_common::{Configured, sim, start};
use ms_sim::SimConfig;
use serde_json::json;

#[tokio::test]
async fn summaries_are_exact_and_complete_on_a_large_paged_capped_estate() {
    let big = sim(SimConfig {
        tenants: 30,
        agents_per_tenant: 40,
        runs: 20_000,
        page_size: Some(200),
        max_top: Some(500),
        ..SimConfig::default()
    })
    .await;
    let admin = big.admin().clone();
    assert!(big.estate().agents.len() > 1000);
    let harness = start(
        &[Configured::admin("big", &big)],
        &[("MCP_REQUEST_TIMEOUT_SECONDS", "30")],
    )
    .await;

    let summary = harness
        .ok("get_job_history_summary", json!({"window": "30d"}))
        .await;
    let entry = &summary["summaries"][0];
    let since: DateTime<Utc> = entry["since"].as_str().unwrap().parse().unwrap();
    let mut truth: BTreeMap<String, u64> = BTreeMap::new();
    let runs = big.estate().runs_visible_to(&admin);
    for run in runs.iter().filter(|r| r.start_date_time >= since) {
        *truth.entry(run.status.to_string()).or_default() += 1;
    }
    let total: u64 = truth.values().sum();
    assert!(
        total > 5000,
        "more than the Node server's 5,000-row cap: {total}"
    );
    let counted: BTreeMap<String, u64> = entry["counts_by_status"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(counted, truth, "exact counts per status");
    assert_eq!(entry["total"], total);
    assert_eq!(entry["complete"], true);

    let storage = harness
        .ok(
            "summarize_storage_usage",
            json!({"group_by": "agent", "top": 10}),
        )
        .await;
    let agents = big.estate().agents_visible_to(&admin);
    let bytes: i64 = agents
        .iter()
        .flat_map(|a| big.estate().devices_of(a.agent_id))
        .map(|d| d.size.unwrap_or(0))
        .sum();
    assert_eq!(
        storage["agents_scanned"],
        agents.len(),
        "every agent, past the $top cap and paging"
    );
    assert_eq!(storage["groups_total"], agents.len());
    assert_eq!(storage["totals"]["bytes"], bytes);
    assert_eq!(storage["complete"], true);
    assert_eq!(storage["summaries"].as_array().unwrap().len(), 10);

    let csa = harness
        .ok(
            "summarize_csa_usage",
            json!({"include_orphaned_devices": false}),
        )
        .await;
    assert_eq!(
        csa["totals"]["accounts"],
        big.estate().cloud_storage_accounts_visible_to(&admin).len()
    );
    assert_eq!(csa["complete"], true);

    // A $top over the server's cap is the server's own message, not a silent cut.
    let capped = harness.call("list_agents", json!({"$top": 1000})).await;
    assert_eq!(capped.is_error, Some(true));
    let content = capped.structured_content.unwrap();
    assert_eq!(content["_meta"]["errors"][0]["kind"], "query_rejected");
    assert!(
        content["_meta"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("500")
    );
}
