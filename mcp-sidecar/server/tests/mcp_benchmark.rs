//! The benchmark (not a test: `#[ignore]`d, run on purpose, prints a table). Against
//! the simulator, with the same Rust MCP client, it measures novabackup-mcp and, when
//! it is installed, the Node.js server it replaces (`@novabackup/management-server-mcp`,
//! see `mcp_common::node_server`):
//! handshake time with 10 servers at 100 ms latency and with one that never answers,
//! `list_agents` over 20 servers at 150 ms, `get_job_history_summary` over 20,000 runs
//! (value and time), peak RSS, and bytes per agent in `list_agents`.
//!
//! Run: `cargo test --release -p novabackup-mcp --test mcp_benchmark -- --ignored --nocapture`
//! (install the baseline first: `npm ci --prefix tests/node-reference`, or
//! `npm install --prefix target/bench-node @novabackup/management-server-mcp@0.5.1`).

mod mcp_common;

use std::time::Duration;

use mcp_common::{
    Configured, Recorder, Spawned, admins, node_command, node_server, spawn, timed_call,
};
use ms_sim::{Sim, SimConfig};
use rmcp::RoleClient;
use rmcp::service::RunningService;
use serde_json::{Value, json};
use tempfile::TempDir;

/// The program under measurement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Contender {
    Rust,
    Node,
}

async fn launch(contender: Contender, servers: &[Configured], env: &[(&str, &str)]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let command = match contender {
        Contender::Rust => mcp_common::command(&dir, servers, env),
        Contender::Node => node_command(&node_server().unwrap(), &dir, servers, env),
    };
    Running {
        spawned: spawn(command).await,
        _dir: dir,
    }
}

/// A launched contender and the folder its files live in.
struct Running {
    spawned: Spawned,
    _dir: TempDir,
}

/// Peak resident memory of a process, in MiB (Linux `VmHWM`).
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

async fn call(
    client: &RunningService<RoleClient, Recorder>,
    tool: &'static str,
    args: Value,
) -> (Value, usize, Duration) {
    timed_call(client, tool, args).await
}

async fn sims(count: usize, config: SimConfig) -> Vec<Sim> {
    let mut sims = Vec::new();
    for i in 0..count {
        sims.push(
            Sim::start(SimConfig {
                seed: i as u64 + 1,
                ..config.clone()
            })
            .await
            .unwrap(),
        );
    }
    sims
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

/// One line of the table: its name and how to read it from a contender's figures.
type Line = (&'static str, fn(&Row) -> String);

#[derive(Default)]
struct Row {
    handshake_slow: String,
    handshake_dead: String,
    list_agents: String,
    summary_value: String,
    summary_time: String,
    rss: String,
    bytes_per_agent: String,
}

async fn measure(contender: Contender, env: &[(&str, &str)]) -> Row {
    let mut row = Row::default();
    let small = SimConfig {
        tenants: 2,
        agents_per_tenant: 10,
        runs: 50,
        ..SimConfig::default()
    };

    let slow = sims(
        10,
        SimConfig {
            latency: Duration::from_millis(100),
            ..small.clone()
        },
    )
    .await;
    let running = launch(contender, &admins(&slow), env).await;
    row.handshake_slow = ms(running.spawned.handshake);
    running.spawned.client.cancel().await.ok();

    let dead = sims(10, small.clone()).await;
    dead[4].faults().set_hang(true);
    let running = launch(contender, &admins(&dead), env).await;
    row.handshake_dead = ms(running.spawned.handshake);
    running.spawned.client.cancel().await.ok();

    let twenty = sims(
        20,
        SimConfig {
            latency: Duration::from_millis(150),
            ..small.clone()
        },
    )
    .await;
    let running = launch(contender, &admins(&twenty), env).await;
    // Warm up: logins done, connections open.
    call(&running.spawned.client, "list_agents", json!({"$top": 100})).await;
    let mut times = Vec::new();
    let mut per_agent = 0.0;
    for _ in 0..5 {
        let (value, bytes, took) =
            call(&running.spawned.client, "list_agents", json!({"$top": 100})).await;
        times.push(took);
        let agents = value["agents"].as_array().map_or(0, Vec::len);
        per_agent = bytes as f64 / agents.max(1) as f64;
    }
    times.sort();
    row.list_agents = ms(times[times.len() / 2]);
    row.bytes_per_agent = format!("{per_agent:.0}");
    let rss_fanout = peak_rss_mib(running.spawned.pid);
    running.spawned.client.cancel().await.ok();

    let big = Sim::start(SimConfig {
        tenants: 10,
        agents_per_tenant: 20,
        runs: 20_000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let running = launch(contender, &[Configured::admin("big", &big)], env).await;
    call(&running.spawned.client, "list_servers", json!({})).await;
    let (value, _, took) = call(
        &running.spawned.client,
        "get_job_history_summary",
        json!({"window": "30d"}),
    )
    .await;
    let summaries = value["summaries"].as_array().cloned().unwrap_or_default();
    let reported = summaries
        .first()
        .map(|s| s["total"].clone())
        .unwrap_or(Value::Null);
    let since = summaries
        .first()
        .and_then(|s| s["since"].as_str())
        .and_then(|s| s.parse::<chrono::DateTime<chrono::Utc>>().ok())
        .unwrap_or_else(|| chrono::Utc::now() - chrono::Duration::days(30));
    let truth = big
        .estate()
        .runs_visible_to(big.admin())
        .iter()
        .filter(|r| r.start_date_time >= since)
        .count();
    row.summary_value = format!("{reported} of {truth}");
    row.summary_time = ms(took);
    let rss = rss_fanout.max(peak_rss_mib(running.spawned.pid));
    row.rss = format!("{rss:.1} MiB");
    running.spawned.client.cancel().await.ok();
    row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run on purpose with --ignored --nocapture"]
async fn benchmark() {
    let ours = measure(Contender::Rust, &[("MCP_LOG_LEVEL", "warn")]).await;
    let ours_20 = measure(
        Contender::Rust,
        &[("MCP_LOG_LEVEL", "warn"), ("MCP_FANOUT_CONCURRENCY", "20")],
    )
    .await;
    let node = if node_server().is_some() {
        Some(measure(Contender::Node, &[]).await)
    } else {
        None
    };
    let na = || "n/a (not installed)".to_owned();
    let cell = |f: fn(&Row) -> String| node.as_ref().map_or_else(na, f);
    println!();
    println!(
        "| measure | novabackup-mcp (defaults) | novabackup-mcp (fan-out 20) | Node server 0.5.1 |"
    );
    println!("| --- | --- | --- | --- |");
    let rows: [Line; 7] = [
        ("handshake, 10 servers at 100 ms", |r| {
            r.handshake_slow.clone()
        }),
        ("handshake, 10 servers, one never answers", |r| {
            r.handshake_dead.clone()
        }),
        ("list_agents, 20 servers at 150 ms (median of 5)", |r| {
            r.list_agents.clone()
        }),
        ("get_job_history_summary 30d, 20,000 runs: total", |r| {
            r.summary_value.clone()
        }),
        ("get_job_history_summary 30d, 20,000 runs: time", |r| {
            r.summary_time.clone()
        }),
        ("peak RSS", |r| r.rss.clone()),
        ("bytes per agent in list_agents", |r| {
            r.bytes_per_agent.clone()
        }),
    ];
    for (name, get) in rows {
        println!(
            "| {name} | {} | {} | {} |",
            get(&ours),
            get(&ours_20),
            cell(get)
        );
    }
}
