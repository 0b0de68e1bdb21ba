//! `novabackup-mcp health` as a monitoring script runs it, against the simulator:
//! each exit code (0 ok, 1 warnings, 2 failing, 3 could not tell), the table, `--json`
//! that parses into the digest, and no password anywhere in what it prints.

mod cli_accounts_common;

use std::sync::Arc;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use cli_accounts_common::{Home, Run};
use ms_sim::{CustomerHealth, Sim, SimConfig};
use serde_json::{Value, json};

/// A home whose saved servers are `servers` (id, simulator), the password in a
/// plaintext credentials file (there is no keychain here).
fn home_with(servers: &[(&str, &Sim)]) -> Arc<Home> {
    let mut home = Home::without_keychain();
    let profiles = json!({"version": 1, "servers": servers.iter().map(|(id, sim)| json!({
        "server_id": id, "label": id, "base_url": sim.base_url(), "username": sim.admin().user_name,
    })).collect::<Vec<_>>()});
    let credentials = json!({"version": 1, "servers": servers.iter().map(|(id, sim)| json!({
        "server_id": id, "label": id, "base_url": sim.base_url(),
        "username": sim.admin().user_name, "password": sim.admin().password,
    })).collect::<Vec<_>>()});
    let profiles_path = home.path().join("servers.json");
    let credentials_path = home.path().join("credentials.json");
    std::fs::write(&profiles_path, profiles.to_string()).unwrap();
    std::fs::write(&credentials_path, credentials.to_string()).unwrap();
    home.env("MCP_SERVERS_FILE", profiles_path.display().to_string());
    home.env(
        "MCP_CREDENTIALS_FILE",
        credentials_path.display().to_string(),
    );
    home.env("MCP_REQUEST_TIMEOUT_SECONDS", "3");
    home.env("MCP_OPERATION_TIMEOUT_SECONDS", "20");
    Arc::new(home)
}

/// Runs `health` with `args` off the runtime's threads (the simulator serves on them).
async fn health(home: &Arc<Home>, args: &[&str]) -> Run {
    let mut all = vec!["health".to_owned()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let home = Arc::clone(home);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        home.run(&args, "")
    })
    .await
    .unwrap()
}

fn assert_nothing_secret(run: &Run, sims: &[&Sim]) {
    for sim in sims {
        let password = &sim.admin().password;
        assert!(
            !run.both().contains(password.as_str()),
            "a password was printed: {}",
            run.both()
        );
    }
    assert!(!run.both().to_ascii_lowercase().contains("bearer"));
}

fn tenant_with(sim: &Sim, health: CustomerHealth) -> String {
    let estate = sim.estate();
    estate
        .tenants
        .iter()
        .find(|t| estate.health_of(t) == health)
        .unwrap()
        .tenant_id
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_customers_exit_2_with_a_table_worst_first() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let home = home_with(&[("demo", &sim)]);
    let run = health(&home, &[]).await;
    assert_eq!(run.code, 2, "{}", run.both());
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("VERDICT"))
        .expect("a table");
    assert!(lines[header].contains("CUSTOMER") && lines[header].contains("STALE"));
    assert!(
        lines[header + 1].starts_with("FAILING"),
        "worst first: {}",
        run.stdout
    );
    let estate = sim.estate();
    for tenant in &estate.tenants {
        assert!(
            run.stdout.contains(&tenant.name),
            "every customer is listed"
        );
    }
    assert!(
        run.stdout.contains("S3 upload"),
        "the cause: {}",
        run.stdout
    );
    assert!(run.stdout.contains("Exit 2 (a customer is failing)"));
    assert_nothing_secret(&run, &[&sim]);
}

/// The table's rows cut at its headings' columns: heading → cell, per row.
fn table_rows(stdout: &str) -> Vec<std::collections::HashMap<String, String>> {
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("VERDICT"))
        .expect("a table");
    let header: Vec<char> = lines[at].chars().collect();
    // A heading starts after two spaces or more; one space belongs to a heading.
    let begins: Vec<usize> = (0..header.len())
        .filter(|&i| header[i] != ' ' && (i == 0 || (i >= 2 && header[i - 2..i] == [' ', ' '])))
        .collect();
    let starts: Vec<(usize, String)> = begins
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = begins.get(n + 1).copied().unwrap_or(header.len());
            (
                start,
                header[start..end]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_owned(),
            )
        })
        .collect();
    lines[at + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .map(|row| {
            let chars: Vec<char> = row.chars().collect();
            starts
                .iter()
                .enumerate()
                .map(|(n, (start, heading))| {
                    let end = starts.get(n + 1).map_or(chars.len(), |(s, _)| *s);
                    let cell: String = chars
                        .get(*start..end.min(chars.len()))
                        .unwrap_or_default()
                        .iter()
                        .collect();
                    (heading.clone(), cell.trim().to_owned())
                })
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cell_of_the_table_sits_under_its_heading() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let home = home_with(&[("demo", &sim)]);
    let run = health(&home, &[]).await;
    let rows = table_rows(&run.stdout);
    assert_eq!(rows.len(), sim.estate().tenants.len(), "{}", run.stdout);
    let number = |row: &std::collections::HashMap<String, String>, heading: &str| -> u64 {
        row.get(heading)
            .unwrap_or_else(|| panic!("a {heading} column: {}", run.stdout))
            .parse()
            .unwrap_or_else(|_| panic!("{heading} is a number: {row:?}"))
    };
    for row in &rows {
        let agents = number(row, "AGENTS");
        assert!(number(row, "CONNECTED") <= agents, "{row:?}");
        assert!(number(row, "STALE") <= agents, "{row:?}");
        let (failed, stale) = (number(row, "FAILED"), number(row, "STALE"));
        number(row, "WARNING");
        number(row, "CANCELLED");
        let problem = &row["NEWEST PROBLEM"];
        match row["VERDICT"].as_str() {
            "FAILING" => {
                assert!(failed + stale > 0, "{row:?}");
                assert!(
                    ["failed ", "warning ", "cancelled "]
                        .iter()
                        .any(|outcome| problem.starts_with(outcome))
                        || problem.contains("has not succeeded"),
                    "a failing customer names its newest problem: {row:?}"
                );
            }
            "OK" => assert_eq!((failed, stale), (0, 0), "{row:?}"),
            _ => {}
        }
    }
    assert!(
        rows.iter().any(|r| r["VERDICT"] == "FAILING"),
        "the default estate has a failing customer: {}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_all_well_exits_0_and_json_parses_into_the_digest() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let home = home_with(&[("demo", &sim)]);
    let well = tenant_with(&sim, CustomerHealth::AllWell);
    let run = health(&home, &["--tenant", &well]).await;
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(run.stdout.contains("OK"), "{}", run.stdout);

    let run = health(&home, &["--tenant", &well, "--json"]).await;
    assert_eq!(run.code, 0, "{}", run.both());
    let digest: Value = serde_json::from_str(run.stdout.trim()).expect("--json is JSON");
    assert_eq!(run.stdout.trim().lines().count(), 1, "one line");
    assert_eq!(digest["customers"].as_array().unwrap().len(), 1);
    assert_eq!(digest["customers"][0]["tenant_id"], well.as_str());
    assert_eq!(digest["customers"][0]["verdict"], "ok");
    assert_eq!(digest["window"]["name"], "24h");
    assert_eq!(digest["_meta"]["servers_succeeded"], 1);
    assert_nothing_secret(&run, &[&sim]);

    let all = health(&home, &["--json", "--window", "7d"]).await;
    assert_eq!(all.code, 2);
    let digest: Value = serde_json::from_str(all.stdout.trim()).unwrap();
    let since: DateTime<Utc> = digest["window"]["since"].as_str().unwrap().parse().unwrap();
    let truth = sim.estate().runs_visible_since(sim.admin(), since).len();
    assert_eq!(digest["totals"]["runs"], truth, "exact counts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_only_exit_1() {
    let sim = Sim::start(SimConfig {
        tenants: 9,
        agents_per_tenant: 5,
        runs: 6000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let estate = sim.estate();
    let admin = sim.admin();
    let stale: Vec<i64> = estate
        .agents_without_success_since(admin, estate.now - Duration::hours(47))
        .iter()
        .map(|(a, _)| a.agent_id)
        .collect();
    // A customer with no stale agent, and a moment after which it only warned.
    let found = estate.tenants.iter().find_map(|tenant| {
        let mine = |agent: i64| estate.tenant_of_agent(agent) == Some(tenant);
        if estate
            .agents
            .iter()
            .any(|a| mine(a.agent_id) && stale.contains(&a.agent_id))
        {
            return None;
        }
        let runs: Vec<_> = estate
            .failing_runs_visible_since(admin, estate.now - Duration::days(20))
            .into_iter()
            .filter(|r| mine(r.agent_id))
            .collect();
        let first_failure = runs.iter().find(|r| r.status == 4);
        runs.iter()
            .filter(|r| r.status == 2)
            .find(|w| first_failure.is_none_or(|f| f.start_date_time < w.start_date_time))
            .map(|w| (tenant.tenant_id.clone(), w.start_date_time))
    });
    let (tenant, since) = found.expect("a customer that only warned since some moment");
    let home = home_with(&[("demo", &sim)]);
    let since = since.to_rfc3339_opts(SecondsFormat::Millis, true);
    let run = health(&home, &["--tenant", &tenant, "--since", &since]).await;
    assert_eq!(run.code, 1, "{}", run.both());
    assert!(run.stdout.contains("WARNING"), "{}", run.stdout);
    assert!(run.stdout.contains("Exit 1 (warnings only)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_exits_3_when_it_cannot_tell() {
    let alive = Sim::start(SimConfig::default()).await.unwrap();
    let dead = Sim::start(SimConfig {
        seed: 2,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let home = home_with(&[("alive", &alive), ("dead", &dead)]);
    dead.shutdown().await;
    let run = health(&home, &["--server", "dead"]).await;
    assert_eq!(run.code, 3, "no server answered: {}", run.both());
    assert!(
        run.stdout.contains("0 of 1 servers answered"),
        "{}",
        run.both()
    );
    assert!(run.stdout.contains("did not answer"), "{}", run.both());

    let well = tenant_with(&alive, CustomerHealth::AllWell);
    let run = health(&home, &["--tenant", &well, "--json"]).await;
    assert_eq!(
        run.code,
        3,
        "ok where it answered, but one server did not: {}",
        run.both()
    );
    let digest: Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(digest["complete"], false);
    assert_eq!(digest["_meta"]["errors"][0]["server_id"], "dead");
    assert_nothing_secret(&run, &[&alive]);

    for args in [
        vec!["--window", "1y"],
        vec!["--window", "24h", "--since", "2026-01-01"],
        vec!["--since", "yesterday"],
        vec!["--stale-hours", "0"],
        vec!["--server", "nobody"],
        vec!["--no-such-option"],
    ] {
        let run = health(&home, &args).await;
        assert_eq!(run.code, 3, "{args:?} cannot be answered: {}", run.both());
        assert!(!run.stderr.is_empty(), "{args:?} says why");
        assert!(run.stdout.is_empty() || args[0] == "--no-such-option");
    }
    let help = health(&home, &["--help"]).await;
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--tenant"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_a_saved_password_is_reported_not_skipped() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let home = home_with(&[("demo", &sim)]);
    let profiles = home.path().join("servers.json");
    let mut saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&profiles).unwrap()).unwrap();
    saved["servers"].as_array_mut().unwrap().push(json!({
        "server_id": "nopass", "label": "nopass", "base_url": sim.base_url(), "username": "ghost",
    }));
    std::fs::write(&profiles, saved.to_string()).unwrap();
    let run = health(&home, &["--json"]).await;
    let digest: Value =
        serde_json::from_str(run.stdout.trim()).unwrap_or_else(|_| panic!("{}", run.both()));
    let errors = digest["_meta"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{digest}");
    assert_eq!(errors[0]["server_id"], "nopass");
    assert_eq!(errors[0]["kind"], "no_credentials");
    let reason = digest["incomplete_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["server_id"] == "nopass")
        .and_then(|r| r["message"].as_str())
        .unwrap_or_else(|| panic!("a reason for nopass: {digest}"));
    assert!(
        reason.starts_with("nopass could not be asked, so its customers are missing"),
        "a server without a password is not one that did not answer: {reason}"
    );
    assert_eq!(digest["_meta"]["servers_queried"], 2);
    assert_eq!(run.code, 2, "demo is failing whatever nopass holds");
    assert_nothing_secret(&run, &[&sim]);
}
