//! The backup-health digest against the simulator: counts equal the simulator's own
//! truth at 50,000 runs behind paging, causes group what differs only in numbers and
//! paths and keep different errors apart, stale agents are found with their last
//! success, a technician sees only their customers, a dead server leaves the others
//! intact and says so, a log that answers 503 is counted, and the report stays short.

mod client_common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ms_sim::{CustomerHealth, DemoUser, Sim, SimConfig, format_date};
use novabackup_core::digest::{
    Advice, Digest, DigestRequest, LogMemory, LogState, Period, REPORT_LIMIT, Verdict, digest_over,
    report,
};
use novabackup_core::fanout::FanOutTarget;
use novabackup_core::insight::status::status_label;
use novabackup_core::insight::window::Window;
use novabackup_core::{ClientSettings, Credentials, Deadline, ManagementClient, ServerId};
use secrecy::SecretString;

const ADVICE: Advice = Advice {
    one_customer: "ask again with server_id and tenant_id",
    one_log: "read it by job_log_id",
    more_logs: "raise max_logs",
    whole: "The structured digest holds everything.",
};

fn client_as(sim: &Sim, user: &DemoUser) -> ManagementClient {
    ManagementClient::new(
        &sim.base_url(),
        Credentials::new(
            user.user_name.clone(),
            SecretString::from(user.password.clone()),
        ),
        &ClientSettings::default(),
    )
    .unwrap()
}

/// The digest of `servers` for `request`, through the core's fan-out as every face does.
async fn digest_of(servers: Vec<(&str, ManagementClient)>, request: &DigestRequest) -> Digest {
    let targets = servers
        .into_iter()
        .map(|(id, client)| FanOutTarget::ready(ServerId::new(id).unwrap(), client))
        .collect();
    digest_over(
        targets,
        8,
        request,
        Deadline::after(Duration::from_secs(60)),
        &LogMemory::new(),
    )
    .await
}

fn request(sim: &Sim, period: Period) -> DigestRequest {
    DigestRequest::new(period, sim.estate().now)
}

fn millis(moment: DateTime<Utc>) -> String {
    format_date(&moment)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_equal_the_simulators_truth_at_50000_runs() {
    let sim = client_common::start(SimConfig {
        tenants: 10,
        agents_per_tenant: 20,
        runs: 50_000,
        page_size: Some(400),
        max_top: Some(1000),
        ..SimConfig::default()
    })
    .await;
    let admin = sim.admin().clone();
    let estate = sim.estate();
    let asked = request(&sim, Period::Window(Window::Week));
    let started = Instant::now();
    let digest = digest_of(vec![("big", client_as(&sim, &admin))], &asked).await;
    let took = started.elapsed();

    let since = asked.since();
    let runs = estate.runs_visible_since(&admin, since);
    let mut truth: BTreeMap<String, u64> = BTreeMap::new();
    for run in &runs {
        *truth.entry(status_label(run.status)).or_default() += 1;
    }
    let failing = estate.failing_runs_visible_since(&admin, since);
    let stale = estate.agents_without_success_since(&admin, asked.stale_cutoff());
    println!(
        "50,000 runs: {} in the 7-day window, {} failing, {} stale agents, {} customers; \
         digest in {took:?}",
        runs.len(),
        failing.len(),
        stale.len(),
        digest.customers.len()
    );
    assert_eq!(
        digest.totals.runs_by_status, truth,
        "exact counts per status"
    );
    assert_eq!(digest.totals.runs, runs.len() as u64);
    assert_eq!(digest.totals.failing_runs, failing.len());
    assert_eq!(digest.totals.agents, estate.agents.len());
    assert_eq!(digest.totals.customers, estate.tenants.len());
    assert_eq!(digest.totals.stale_agents, stale.len());
    assert!(
        runs.len() > 5000,
        "past any single page or cap: {}",
        runs.len()
    );
    for customer in &digest.customers {
        let tenant = estate
            .tenants
            .iter()
            .find(|t| Some(&t.tenant_id) == customer.tenant_id.as_ref())
            .expect("every customer is a tenant");
        assert_eq!(customer.name, tenant.name, "named by its root group");
        let mine = |agent: i64| estate.tenant_of_agent(agent) == Some(tenant);
        let count = runs.iter().filter(|r| mine(r.agent_id)).count() as u64;
        assert_eq!(customer.runs, count, "{}", tenant.name);
        let failing_here: Vec<_> = failing.iter().filter(|r| mine(r.agent_id)).collect();
        assert_eq!(customer.failing_runs_total, failing_here.len());
        let listed: Vec<i64> = customer
            .failing_runs
            .iter()
            .filter_map(|r| r.job_log_id)
            .collect();
        let newest: Vec<i64> = failing_here
            .iter()
            .take(asked.max_failing_runs)
            .map(|r| r.job_log_id)
            .collect();
        assert_eq!(listed, newest, "the newest failing runs, newest first");
        assert_eq!(
            customer.failing_runs_truncated,
            failing_here.len() > asked.max_failing_runs
        );
        let stale_here: BTreeMap<i64, Option<String>> = stale
            .iter()
            .filter(|(a, _)| mine(a.agent_id))
            .map(|(a, last)| (a.agent_id, last.map(millis)))
            .collect();
        let found: BTreeMap<i64, Option<String>> = customer
            .stale_agents
            .iter()
            .map(|a| (a.agent_id.unwrap(), a.last_success.map(millis)))
            .collect();
        assert_eq!(found, stale_here, "stale agents and their last success");
        let expected = if customer.runs_with("failed") > 0 || !stale_here.is_empty() {
            Verdict::Failing
        } else if !failing_here.is_empty() {
            Verdict::Warning
        } else {
            Verdict::Ok
        };
        assert_eq!(customer.verdict, expected, "{}", tenant.name);
    }
    let logs = &digest.totals.logs;
    assert_eq!(logs.read + logs.unavailable + logs.not_read, failing.len());
    assert_eq!(logs.read, asked.max_logs, "the cap on logs read");
    assert!(!digest.complete, "logs were capped, and it says so");
    assert!(
        digest
            .incomplete_reasons
            .iter()
            .all(|r| r.kind == "logs_not_read")
    );
}

#[tokio::test]
async fn causes_group_what_varies_and_keep_different_errors_apart() {
    let sim = client_common::start(SimConfig {
        tenants: 6,
        agents_per_tenant: 5,
        runs: 3000,
        ..SimConfig::default()
    })
    .await;
    let admin = sim.admin().clone();
    let asked = DigestRequest {
        max_logs: 1000,
        max_failing_runs: 1000,
        ..request(&sim, Period::Window(Window::Month))
    };
    let digest = digest_of(vec![("one", client_as(&sim, &admin))], &asked).await;
    let estate = sim.estate();
    assert_eq!(digest.totals.logs.not_read, 0, "every log read");
    assert!(digest.complete, "{:?}", digest.incomplete_reasons);
    let mut troubles_of_cause: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut causes_of_trouble: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut lines = BTreeSet::new();
    for run in digest.customers.iter().flat_map(|c| &c.failing_runs) {
        let key = run.job_log_id.unwrap();
        assert_eq!(run.log, LogState::Read);
        assert_eq!(run.first_error, estate.first_problem_line(key));
        let trouble = estate.trouble(key).unwrap();
        let cause = run.cause.clone().unwrap();
        lines.insert(run.first_error.clone().unwrap());
        troubles_of_cause
            .entry(cause.clone())
            .or_default()
            .insert(trouble);
        causes_of_trouble.entry(trouble).or_default().insert(cause);
    }
    for (cause, troubles) in &troubles_of_cause {
        assert_eq!(troubles.len(), 1, "{cause} mixes {troubles:?}");
    }
    for (trouble, causes) in &causes_of_trouble {
        assert_eq!(causes.len(), 1, "{trouble} is split: {causes:?}");
    }
    assert!(
        lines.len() > 5 * troubles_of_cause.len(),
        "{} different lines came down to {} causes",
        lines.len(),
        troubles_of_cause.len()
    );
    assert_eq!(digest.causes.len(), troubles_of_cause.len());
    let total: usize = digest.causes.iter().map(|c| c.runs).sum();
    assert_eq!(total, digest.totals.failing_runs, "every run in one cause");
    let worst = &digest.causes[0];
    assert_eq!(
        worst.severity,
        novabackup_core::digest::Severity::Error,
        "errors before warnings"
    );
    let example = normalise_example(&worst.example);
    assert_eq!(example, worst.cause, "the example is one of its lines");
}

fn normalise_example(line: &str) -> String {
    novabackup_core::digest::normalise(line)
}

#[tokio::test]
async fn stale_agents_and_verdicts_follow_the_estate() {
    let sim = client_common::start(SimConfig::default()).await;
    let admin = sim.admin().clone();
    let asked = request(&sim, Period::default());
    let digest = digest_of(vec![("one", client_as(&sim, &admin))], &asked).await;
    let estate = sim.estate();
    for tenant in &estate.tenants {
        let customer = digest
            .customers
            .iter()
            .find(|c| c.tenant_id.as_ref() == Some(&tenant.tenant_id))
            .unwrap();
        match estate.health_of(tenant) {
            CustomerHealth::AllWell => {
                assert_eq!(customer.verdict, Verdict::Ok, "{}", tenant.name);
                assert!(customer.stale_agents.is_empty());
            }
            CustomerHealth::EveryAgentFailing => {
                assert_eq!(customer.verdict, Verdict::Failing);
                assert_eq!(customer.stale_agents.len(), customer.agents, "all stale");
                for agent in &customer.stale_agents {
                    let hours = agent.hours_since_success.expect("it succeeded once");
                    assert!(hours >= 72, "no success for days: {hours} h");
                    assert!(agent.last_success_checked);
                }
                assert!(
                    customer
                        .failing_runs
                        .iter()
                        .all(|r| r.cause == customer.failing_runs[0].cause),
                    "one cause for all"
                );
            }
            CustomerHealth::Mixed => {}
        }
    }
    assert_eq!(
        digest.customers[0].verdict,
        Verdict::Failing,
        "worst customer first"
    );
    let text = report(&digest, &ADVICE);
    assert!(text.contains("FAILING"), "{text}");
    assert!(text.contains("more customer"), "{text}");
    assert!(text.contains("S3 upload"), "{text}");
}

#[tokio::test]
async fn a_technician_sees_only_their_customers() {
    let sim = client_common::start(SimConfig {
        tenants: 6,
        ..SimConfig::default()
    })
    .await;
    let north = sim.user("tech-north").unwrap().clone();
    let asked = request(&sim, Period::Window(Window::Month));
    let digest = digest_of(vec![("one", client_as(&sim, &north))], &asked).await;
    let estate = sim.estate();
    let theirs: BTreeSet<&String> = north.tenant_ids.iter().collect();
    let seen: BTreeSet<&String> = digest
        .customers
        .iter()
        .filter_map(|c| c.tenant_id.as_ref())
        .collect();
    assert_eq!(seen, theirs, "their customers, all of them, nobody else's");
    let visible: BTreeSet<i64> = estate.agent_ids_visible_to(&north).into_iter().collect();
    for customer in &digest.customers {
        for run in &customer.failing_runs {
            assert!(visible.contains(&run.agent_id.unwrap()), "a foreign run");
        }
        for agent in &customer.stale_agents {
            assert!(
                visible.contains(&agent.agent_id.unwrap()),
                "a foreign agent"
            );
        }
    }
    assert_eq!(digest.totals.agents, visible.len());
    assert_eq!(
        digest.totals.runs,
        estate.runs_visible_since(&north, asked.since()).len() as u64
    );

    let one = &digest.customers[0];
    let only = DigestRequest {
        tenant_id: one.tenant_id.clone(),
        ..asked.clone()
    };
    let single = digest_of(vec![("one", client_as(&sim, &north))], &only).await;
    assert_eq!(
        single.customers,
        vec![one.clone()],
        "one customer, the same numbers"
    );
}

#[tokio::test]
async fn a_dead_server_is_a_reason_and_the_others_are_intact() {
    let alive = client_common::start(SimConfig::default()).await;
    let dead = client_common::start(SimConfig {
        seed: 2,
        ..SimConfig::default()
    })
    .await;
    let dead_client = client_as(&dead, dead.admin());
    let dead_url = dead.base_url();
    dead.shutdown().await;
    let asked = request(&alive, Period::Window(Window::Week));
    let alone = digest_of(vec![("alive", client_as(&alive, alive.admin()))], &asked).await;
    let both = digest_of(
        vec![
            ("alive", client_as(&alive, alive.admin())),
            ("dead", dead_client),
        ],
        &asked,
    )
    .await;
    assert!(!both.complete);
    assert_eq!(both.meta.servers_failed, 1);
    let failure = &both.meta.errors[0];
    assert_eq!(failure.server_id.as_str(), "dead");
    let reason = both
        .incomplete_reasons
        .iter()
        .find(|r| r.kind == "server_failed")
        .expect("the dead server is a reason");
    assert_eq!(
        reason.server_id.as_ref().map(ServerId::as_str),
        Some("dead")
    );
    assert!(
        reason.message.contains(&failure.message),
        "its error as in _meta: {reason:?}"
    );
    assert!(failure.message.contains(&dead_url), "{}", failure.message);
    assert_eq!(
        both.customers, alone.customers,
        "the other's customers intact"
    );
    assert_eq!(both.totals, alone.totals);
    let text = report(&both, &ADVICE);
    assert!(text.contains("1 of 2 servers answered"), "{text}");
    assert!(text.contains("INCOMPLETE"), "{text}");
}

#[tokio::test]
async fn a_second_digest_reads_no_log_already_read_and_answers_the_same() {
    let sim = client_common::start(SimConfig {
        unavailable_logs: 2,
        ..SimConfig::default()
    })
    .await;
    let asked = DigestRequest {
        max_logs: 1000,
        ..request(&sim, Period::Window(Window::Month))
    };
    let memory = LogMemory::new();
    let ask = || {
        let targets = vec![FanOutTarget::ready(
            ServerId::new("one").unwrap(),
            client_as(&sim, sim.admin()),
        )];
        digest_over(
            targets,
            8,
            &asked,
            Deadline::after(Duration::from_secs(60)),
            &memory,
        )
    };
    let logs = || sim.counters().requests("/api/JobHistories(");
    let first = ask().await;
    let read_first = logs();
    assert!(
        first.totals.logs.read > 0,
        "the estate has failing runs with logs"
    );
    assert_eq!(
        memory.len(),
        first.totals.logs.read,
        "every log read is kept, none that could not be read"
    );
    let unavailable: Vec<i64> = first
        .customers
        .iter()
        .flat_map(|c| &c.failing_runs)
        .filter(|r| r.log == LogState::Unavailable)
        .filter_map(|r| r.job_log_id)
        .collect();
    assert_eq!(unavailable.len(), 2);
    let asked_for_unavailable = || -> u64 {
        unavailable
            .iter()
            .map(|key| {
                sim.counters()
                    .requests(&format!("/api/JobHistories({key})"))
            })
            .sum()
    };
    let unavailable_before = asked_for_unavailable();
    let second = ask().await;
    let again = asked_for_unavailable() - unavailable_before;
    assert!(again > 0, "a log that could not be read is asked for again");
    assert_eq!(
        logs() - read_first,
        again,
        "no log that was read is asked for again"
    );
    assert_eq!(second.customers, first.customers, "the same answer");
    assert_eq!(second.causes, first.causes);
}

#[tokio::test]
async fn a_log_that_answers_503_is_empty_and_counted() {
    let sim = client_common::start(SimConfig {
        unavailable_logs: 3,
        ..SimConfig::default()
    })
    .await;
    let asked = DigestRequest {
        max_logs: 1000,
        max_failing_runs: 1000,
        ..request(&sim, Period::Window(Window::Month))
    };
    let digest = digest_of(vec![("one", client_as(&sim, sim.admin()))], &asked).await;
    let estate = sim.estate();
    let runs: Vec<_> = digest
        .customers
        .iter()
        .flat_map(|c| &c.failing_runs)
        .collect();
    let unavailable: BTreeSet<i64> = runs
        .iter()
        .filter(|r| r.log == LogState::Unavailable)
        .map(|r| r.job_log_id.unwrap())
        .collect();
    assert_eq!(
        unavailable,
        estate.unavailable_logs.clone(),
        "exactly the logs that answer 503"
    );
    for run in runs.iter().filter(|r| r.log == LogState::Unavailable) {
        assert_eq!(run.first_error, None);
        assert_eq!(run.cause, None);
    }
    assert_eq!(digest.totals.logs.unavailable, 3);
    assert_eq!(digest.totals.logs.read, runs.len() - 3);
    assert_eq!(
        digest.totals.failing_runs,
        runs.len(),
        "the run still counts"
    );
    assert!(digest.complete, "a log the server cannot give is not a gap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_stays_within_its_bound_for_500_customers() {
    let sim = client_common::start(SimConfig {
        tenants: 500,
        agents_per_tenant: 2,
        runs: 20_000,
        ..SimConfig::default()
    })
    .await;
    let asked = request(&sim, Period::Window(Window::Week));
    let digest = digest_of(vec![("many", client_as(&sim, sim.admin()))], &asked).await;
    assert_eq!(digest.customers.len(), 500);
    let text = report(&digest, &ADVICE);
    println!(
        "report for 500 customers: {} bytes ({} failing, {} warning, {} ok)",
        text.len(),
        digest.totals.customers_by_verdict.failing,
        digest.totals.customers_by_verdict.warning,
        digest.totals.customers_by_verdict.ok
    );
    assert!(text.len() <= REPORT_LIMIT, "{} bytes", text.len());
    assert!(text.contains("more customers need attention"), "{text}");
    assert!(text.contains("more customers, all OK"), "{text}");
    assert!(text.contains(ADVICE.one_customer));
    assert!(text.contains(&digest.customers[0].name), "the worst first");
}
