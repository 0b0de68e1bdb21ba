//! The estate's backup health: customers that are all well, a customer whose every
//! agent failed, agents that have not succeeded for days, logs whose problem lines vary
//! in numbers, paths and host names, and logs the server cannot fetch.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{get, start, token};
use ms_sim::{CustomerHealth, SimConfig, SimEstate};
use reqwest::StatusCode;

fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 12, 45).unwrap()
}

fn estate(config: SimConfig) -> SimEstate {
    SimEstate::build(&config, fixed_now())
}

fn wide() -> SimConfig {
    SimConfig {
        tenants: 9,
        agents_per_tenant: 6,
        runs: 6000,
        ..SimConfig::default()
    }
}

#[test]
fn the_same_seed_and_now_give_the_same_health() {
    assert_eq!(estate(wide()), estate(wide()));
    let other = estate(SimConfig { seed: 7, ..wide() });
    assert_ne!(estate(wide()).runs, other.runs);
}

#[test]
fn customers_have_the_health_they_were_built_with() {
    let e = estate(wide());
    let admin = e.demo_user("admin").unwrap();
    let now = e.now;
    let day = now - Duration::hours(24);
    let two_days = now - Duration::hours(48);
    let stale: BTreeMap<i64, Option<DateTime<Utc>>> = e
        .agents_without_success_since(admin, two_days)
        .into_iter()
        .map(|(a, last)| (a.agent_id, last))
        .collect();
    let failing: Vec<_> = e.failing_runs_visible_since(admin, day);
    let mut seen = BTreeSet::new();
    for tenant in &e.tenants {
        let health = e.health_of(tenant);
        seen.insert(format!("{health:?}"));
        let agents: Vec<i64> = e
            .agents
            .iter()
            .filter(|a| e.tenant_of_agent(a.agent_id) == Some(tenant))
            .map(|a| a.agent_id)
            .collect();
        let failed_here = |agent: i64| failing.iter().any(|r| r.agent_id == agent && r.status == 4);
        match health {
            CustomerHealth::AllWell => {
                assert!(
                    !failing.iter().any(|r| agents.contains(&r.agent_id)),
                    "{}: no failing run in the last day",
                    tenant.name
                );
                assert!(
                    agents.iter().all(|a| !stale.contains_key(a)),
                    "{}: every agent succeeded in the last two days",
                    tenant.name
                );
            }
            CustomerHealth::EveryAgentFailing => {
                assert!(
                    agents.iter().all(|&a| failed_here(a)),
                    "{}: every agent failed in the last day",
                    tenant.name
                );
                for agent in &agents {
                    assert!(stale.contains_key(agent), "and none succeeded since");
                    let trouble: BTreeSet<_> = failing
                        .iter()
                        .filter(|r| r.agent_id == *agent && r.status == 4)
                        .map(|r| e.trouble(r.job_log_id))
                        .collect();
                    assert_eq!(
                        trouble,
                        BTreeSet::from([Some("s3_access_denied")]),
                        "one cause for all"
                    );
                }
            }
            CustomerHealth::Mixed => {}
        }
    }
    assert_eq!(seen.len(), 3, "every kind of customer is there: {seen:?}");
    let days_ago = |at: DateTime<Utc>| (now - at).num_days();
    let stale_mixed: Vec<_> = stale
        .iter()
        .filter(|(agent, _)| {
            e.tenant_of_agent(**agent)
                .is_some_and(|t| e.health_of(t) == CustomerHealth::Mixed)
        })
        .collect();
    assert!(
        stale_mixed
            .iter()
            .any(|(_, last)| last.is_some_and(|at| days_ago(at) >= 3)),
        "agents of mixed customers that last succeeded days ago: {stale_mixed:?}"
    );
}

#[test]
fn problem_lines_vary_inside_a_handful_of_troubles() {
    let e = estate(wide());
    let mut lines_by_trouble: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for run in e.runs.iter().filter(|r| (2..=4).contains(&r.status)) {
        let trouble = e
            .trouble(run.job_log_id)
            .expect("a failing run has a trouble");
        let line = e.first_problem_line(run.job_log_id).expect("and a line");
        lines_by_trouble.entry(trouble).or_default().insert(line);
    }
    assert!(
        lines_by_trouble.len() >= 8,
        "a handful of errors and warnings: {:?}",
        lines_by_trouble.keys()
    );
    for (trouble, lines) in &lines_by_trouble {
        assert!(
            lines.len() > 1,
            "{trouble}: the same trouble in different words (numbers, paths, hosts)"
        );
    }
    let network = &lines_by_trouble["network_path_not_found"];
    assert!(network.iter().all(|l| l.contains("\\\\nas")), "{network:?}");
    let success = e.runs.iter().find(|r| r.status == 1).unwrap();
    assert_eq!(e.trouble(success.job_log_id), None);
    assert_eq!(e.first_problem_line(success.job_log_id), None);
}

#[test]
fn history_days_bound_the_runs() {
    let e = estate(SimConfig {
        history_days: 1,
        runs: 500,
        ..SimConfig::default()
    });
    assert_eq!(e.runs.len(), 500);
    assert!(
        e.runs
            .iter()
            .all(|r| r.start_date_time > e.now - Duration::days(1) - Duration::hours(1)),
        "a day of runs"
    );
}

#[tokio::test]
async fn unavailable_logs_answer_503_and_are_the_newest_failing_runs() {
    let sim = start(SimConfig {
        unavailable_logs: 3,
        now: Some(fixed_now()),
        ..SimConfig::default()
    })
    .await;
    let e = sim.estate();
    let newest: Vec<i64> = e
        .runs
        .iter()
        .rev()
        .filter(|r| (2..=4).contains(&r.status))
        .take(3)
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(
        e.unavailable_logs.iter().copied().collect::<BTreeSet<_>>(),
        newest.iter().copied().collect()
    );
    let t = token(&sim, "admin").await;
    for key in &newest {
        assert!(e.log_unavailable(*key));
        let (status, _) = get(&sim, &t, &format!("JobHistories({key})/Log"), &[]).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
    let older = e
        .runs
        .iter()
        .rev()
        .filter(|r| r.status == 4)
        .find(|r| !newest.contains(&r.job_log_id))
        .unwrap();
    let (status, body) = get(
        &sim,
        &t,
        &format!("JobHistories({})/Log", older.job_log_id),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first_error = body["Messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["Type"] == "Error")
        .and_then(|m| m["Message"].as_str())
        .map(str::to_owned);
    assert_eq!(first_error, e.first_problem_line(older.job_log_id));
}
