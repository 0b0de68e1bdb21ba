//! The morning question as a benchmark (not a test: `#[ignore]`d, run on purpose,
//! prints a table). Five simulated servers of 400 agents each, a day of runs, 100 ms
//! on every answer. "Did last night's backups work, for every customer, and why not?"
//! answered by one `get_backup_health` call of novabackup-mcp, and by the Node.js
//! server 0.5.1 following its own `diagnose_failing_jobs` prompt: `system_info`,
//! `get_job_history_summary`, `list_job_history` with its filter page after page (200
//! rows, as the prompt says, until a page comes back short) on every server with
//! failures, `list_groups` for the tenants, then `get_job_run_log` for every failed run
//! it listed, with the row's `job_id` as its tool description says. Measured: tool
//! calls, bytes of text returned to the model, wall time (the calls one after another,
//! as a model makes them), and how many of the true failing runs each answer covers.
//!
//! Run: `cargo test --release -p novabackup-mcp --test mcp_health_benchmark -- --ignored
//! --nocapture` (after `npm ci --prefix tests/node-reference`).

mod mcp_common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use mcp_common::{Configured, Spawned, admins, node_command, node_server, spawn, timed_call};
use ms_sim::{Sim, SimConfig};
use serde_json::{Value, json};

/// One line of the table: its name and how to read it from an answer.
type Line = (&'static str, fn(&Answer) -> String);

/// What one answer to the morning question cost and covered.
#[derive(Default)]
struct Answer {
    calls: usize,
    text_bytes: usize,
    structured_bytes: usize,
    wall: Duration,
    /// Failing runs (warning, cancelled, failed) the answer counts.
    counted: usize,
    /// Failing runs it names one by one.
    listed: usize,
    /// Failing runs whose log it read.
    explained: usize,
    /// Causes it grouped the failures into.
    causes: Option<usize>,
    /// Log reads that failed.
    log_failures: usize,
}

impl Answer {
    fn take(&mut self, (value, bytes, took): (Value, usize, Duration)) -> Value {
        self.calls += 1;
        self.text_bytes += bytes;
        self.wall += took;
        value
    }
}

async fn servers() -> Vec<Sim> {
    let mut sims = Vec::new();
    for seed in 1..=5 {
        sims.push(
            Sim::start(SimConfig::morning_benchmark(seed))
                .await
                .unwrap(),
        );
    }
    sims
}

async fn ours(servers: &[Configured]) -> (Answer, DateTime<Utc>) {
    let dir = tempfile::tempdir().unwrap();
    let Spawned { client, .. } = spawn(mcp_common::command(
        &dir,
        servers,
        &[
            ("MCP_LOG_LEVEL", "warn"),
            ("MCP_OPERATION_TIMEOUT_SECONDS", "120"),
        ],
    ))
    .await;
    let mut answer = Answer::default();
    let started = Instant::now();
    let digest = answer.take(timed_call(&client, "get_backup_health", json!({})).await);
    answer.wall = started.elapsed();
    answer.structured_bytes = digest.to_string().len();
    answer.counted = digest["totals"]["failing_runs"].as_u64().unwrap_or(0) as usize;
    let runs = digest["customers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["failing_runs"].as_array().cloned().unwrap_or_default());
    answer.listed = runs.count();
    answer.explained = digest["totals"]["logs"]["read"].as_u64().unwrap_or(0) as usize;
    answer.causes = digest["causes"].as_array().map(Vec::len);
    answer.log_failures = digest["totals"]["logs"]["unavailable"]
        .as_u64()
        .unwrap_or(0) as usize;
    let since = digest["window"]["since"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| Utc::now() - chrono::Duration::hours(24));
    client.cancel().await.ok();
    (answer, since)
}

async fn node_recipe(script: &std::path::Path, servers: &[Configured]) -> (Answer, DateTime<Utc>) {
    let dir = tempfile::tempdir().unwrap();
    let Spawned { client, .. } = spawn(node_command(
        script,
        &dir,
        servers,
        &[("MCP_OPERATION_TIMEOUT_SECONDS", "120")],
    ))
    .await;
    let mut answer = Answer::default();
    let started = Instant::now();
    answer.take(timed_call(&client, "system_info", json!({})).await);
    let summary =
        answer.take(timed_call(&client, "get_job_history_summary", json!({"window": "24h"})).await);
    let summaries = summary["summaries"].as_array().cloned().unwrap_or_default();
    let since = summaries
        .iter()
        .find_map(|s| s["since"].as_str())
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .unwrap_or_else(|| Utc::now() - chrono::Duration::hours(24));
    let mut counted = 0;
    let mut affected = Vec::new();
    for entry in &summaries {
        let by_status = &entry["counts_by_status"];
        let failing: u64 = ["2", "3", "4"]
            .iter()
            .filter_map(|code| by_status[*code].as_u64())
            .sum();
        counted += failing;
        if failing > 0 {
            affected.push(entry["server_id"].as_str().unwrap_or_default().to_owned());
        }
    }
    answer.counted = counted as usize;
    let filter = format!(
        "StartDateTime gt {} and Status ne 1",
        since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    );
    let mut failed_runs: Vec<(String, Value)> = Vec::new();
    let mut listed = BTreeSet::new();
    for server_id in &affected {
        let mut skip = 0;
        loop {
            let page = answer.take(
                timed_call(
                    &client,
                    "list_job_history",
                    json!({"server_id": server_id, "$filter": filter, "$top": 200, "$skip": skip}),
                )
                .await,
            );
            let rows = page["history"].as_array().cloned().unwrap_or_default();
            for row in &rows {
                let status = row["status"].as_i64().unwrap_or(0);
                if (2..=4).contains(&status) {
                    listed.insert((
                        server_id.clone(),
                        row["agent_id"].to_string(),
                        row["start_date_time"].to_string(),
                        row["job_name"].to_string(),
                    ));
                }
                if status == 4 {
                    failed_runs.push((server_id.clone(), row["job_id"].clone()));
                }
            }
            if rows.len() < 200 {
                break;
            }
            skip += 200;
        }
    }
    answer.listed = listed.len();
    answer.take(timed_call(&client, "list_groups", json!({})).await);
    for (server_id, job_id) in failed_runs {
        if !job_id.is_i64() {
            continue; // a run of an agent-defined job has no JobId to pass
        }
        let log = answer.take(
            timed_call(
                &client,
                "get_job_run_log",
                json!({"server_id": server_id, "job_id": job_id}),
            )
            .await,
        );
        if log["has_errors"].is_boolean() {
            answer.explained += 1;
        } else {
            answer.log_failures += 1;
        }
    }
    answer.wall = started.elapsed();
    client.cancel().await.ok();
    (answer, since)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run on purpose with --ignored --nocapture"]
async fn benchmark() {
    let sims = servers().await;
    let servers = admins(&sims);
    let (rust, since) = ours(&servers).await;
    let node = match node_server() {
        Some(script) => Some(node_recipe(&script, &servers).await),
        None => None,
    };
    let truth: usize = sims
        .iter()
        .map(|sim| {
            sim.estate()
                .failing_runs_visible_since(sim.admin(), since)
                .len()
        })
        .sum();
    let runs: usize = sims
        .iter()
        .map(|sim| sim.estate().runs_visible_since(sim.admin(), since).len())
        .sum();
    println!(
        "\n5 servers x 400 agents, {runs} runs in the last 24 h ({truth} failing), 100 ms per answer\n"
    );
    println!(
        "| measure | novabackup-mcp: get_backup_health | Node server 0.5.1: diagnose_failing_jobs recipe |"
    );
    println!("| --- | --- | --- |");
    let kb = |bytes: usize| format!("{:.1} KB", bytes as f64 / 1024.0);
    let lines: [Line; 7] = [
        ("tool calls", |a| a.calls.to_string()),
        ("text returned to the model", |a| {
            format!("{:.1} KB", a.text_bytes as f64 / 1024.0)
        }),
        ("wall time", |a| format!("{:.1} s", a.wall.as_secs_f64())),
        ("failing runs counted", |a| a.counted.to_string()),
        ("failing runs named one by one", |a| a.listed.to_string()),
        ("failing runs whose log was read", |a| {
            format!("{} ({} log reads failed)", a.explained, a.log_failures)
        }),
        ("causes grouped", |a| {
            a.causes
                .map_or_else(|| "none: left to the model".to_owned(), |n| n.to_string())
        }),
    ];
    for (name, get) in lines {
        let theirs = node
            .as_ref()
            .map_or_else(|| "n/a (not installed)".to_owned(), |(a, _)| get(a));
        println!("| {name} | {} | {theirs} |", get(&rust));
    }
    println!(
        "| structured content (not read by the model) | {} | none |",
        kb(rust.structured_bytes)
    );
    println!("\ntrue failing runs in the window: {truth}");
    if let Some((node, _)) = &node {
        println!(
            "text: {:.1} % of the recipe's; wall time: {:.1} % of the recipe's",
            rust.text_bytes as f64 * 100.0 / node.text_bytes.max(1) as f64,
            rust.wall.as_secs_f64() * 100.0 / node.wall.as_secs_f64().max(0.001)
        );
    }
}
