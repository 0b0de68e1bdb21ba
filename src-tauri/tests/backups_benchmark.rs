//! What one health round with its backup digest costs the app: 5 servers × 400
//! agents (20 customers of 20 computers each) answering after 100 ms, as the MCP
//! server's morning-question benchmark. Prints the wall time, the CPU time of this
//! process, the requests each round sends and the logs kept, for the first round (every
//! log read) and the next ones (logs already read are not read again).
//!
//! Run: `cargo test --release -p novabackup-companion --test backups_benchmark -- --ignored --nocapture`

mod common;

use std::time::{Duration, Instant};

use common::TestApp;
use ms_sim::{Sim, SimConfig};
use novabackup_companion::{backups, servers};
use serde_json::json;

/// User and system CPU time of this process so far (Linux `/proc/self/stat`).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("the command name ends")
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15 (1-based), counted after the name.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// Resident memory of this process now, in MiB (`VmRSS`).
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn one_round_over_five_servers_of_400_agents() {
    let mut sims = Vec::new();
    for seed in 1..=5 {
        sims.push(
            Sim::start(SimConfig::morning_benchmark(seed))
                .await
                .expect("simulator"),
        );
    }
    let app = TestApp::new();
    for (n, sim) in sims.iter().enumerate() {
        let admin = sim.admin();
        app.call(
            "save_server",
            json!({ "input": {
                "serverId": null,
                "label": format!("MS {}", n + 1),
                "baseUrl": sim.base_url(),
                "username": admin.user_name,
                "password": admin.password,
                "caCertificate": null,
            }}),
        )
        .expect("saved");
    }
    // Let the checks that saving starts finish before counting (polled, at most 30 s).
    let settled = Instant::now() + Duration::from_secs(30);
    while app.call("overview", json!({})).expect("overview")["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .any(|s| s["health"]["state"] != "healthy")
    {
        assert!(
            Instant::now() < settled,
            "the saved servers were never all checked"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for sim in &sims {
        sim.counters().reset();
    }
    println!("5 servers x 400 agents, 100 ms per answer; one round = health checks + digest");
    println!("(cpu and rss are this process's: the app's round and the five simulators together)");
    println!("round  wall ms  cpu ms  requests  logs read  logs kept  customers  rss MiB");
    let companion = app.companion();
    for round in 1..=3 {
        let (wall, cpu) = (Instant::now(), cpu_time());
        let overview = servers::check(&companion, None).await.expect("round");
        backups::round(&companion, &overview).await;
        let (wall, cpu) = (wall.elapsed(), cpu_time() - cpu);
        let requests: u64 = sims.iter().map(|s| s.counters().total_requests()).sum();
        let logs: u64 = sims
            .iter()
            .map(|s| s.counters().requests("/api/JobHistories("))
            .sum();
        for sim in &sims {
            sim.counters().reset();
        }
        let view = companion.backups.view(&companion);
        assert_eq!(view.customers.len(), 100, "every customer of every server");
        println!(
            "{round:>5}  {:>7}  {:>6}  {requests:>8}  {logs:>9}  {:>9}  {:>9}  {:>7.1}",
            wall.as_millis(),
            cpu.as_millis(),
            companion.backups.logs_kept(),
            view.customers.len(),
            rss_mib()
        );
    }
    for sim in sims {
        sim.shutdown().await;
    }
}
