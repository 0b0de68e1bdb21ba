//! The seeded estate: deterministic, with every shape ms-api.md warns about, and
//! fast enough to start and query at 50,000 runs.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use common::{get, start, token};
use ms_sim::{SimConfig, SimEstate, format_date};
use reqwest::StatusCode;

fn fixed_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 12, 45).unwrap()
}

#[test]
fn same_seed_same_estate_other_seed_other_estate() {
    let config = SimConfig::default();
    let a = SimEstate::build(&config, fixed_now());
    let b = SimEstate::build(&config, fixed_now());
    assert_eq!(a, b);
    let c = SimEstate::build(
        &SimConfig {
            seed: 2,
            ..SimConfig::default()
        },
        fixed_now(),
    );
    assert_ne!(a.tenants, c.tenants);
    assert_ne!(a.runs, c.runs);
}

#[tokio::test]
async fn a_fixed_now_makes_two_servers_answer_alike() {
    let config = SimConfig {
        now: Some(fixed_now()),
        ..SimConfig::default()
    };
    let one = start(config.clone()).await;
    let two = start(config).await;
    assert_eq!(one.estate(), two.estate());
    let (t1, t2) = (token(&one, "admin").await, token(&two, "admin").await);
    let (_, a) = get(&one, &t1, "JobHistories", &[("$filter", "Status eq 4")]).await;
    let (_, b) = get(&two, &t2, "JobHistories", &[("$filter", "Status eq 4")]).await;
    assert_eq!(a["value"], b["value"]);
}

#[test]
fn sizes_follow_the_config() {
    let e = SimEstate::build(
        &SimConfig {
            tenants: 5,
            agents_per_tenant: 7,
            runs: 900,
            ..SimConfig::default()
        },
        fixed_now(),
    );
    assert_eq!(e.tenants.len(), 5);
    assert_eq!(e.agents.len(), 35);
    assert_eq!(e.runs.len(), 900);
    for t in &e.tenants {
        let groups: Vec<_> = e
            .groups
            .iter()
            .filter(|g| g.tenant_id == t.tenant_id)
            .collect();
        assert!((2..=4).contains(&groups.len()), "root + 1..3 children");
        assert_eq!(
            groups
                .iter()
                .filter(|g| g.parent_group_id.is_none())
                .count(),
            1
        );
    }
    let north = e.demo_user("tech-north").unwrap();
    let south = e.demo_user("tech-south").unwrap();
    assert_eq!(north.tenant_ids.len(), 3);
    assert_eq!(south.tenant_ids.len(), 2);
    let both: BTreeSet<_> = north.tenant_ids.iter().chain(&south.tenant_ids).collect();
    assert_eq!(both.len(), 5, "north and south split the tenants");
}

#[test]
fn the_estate_has_every_shape_clients_must_handle() {
    let e = SimEstate::build(&SimConfig::default(), fixed_now());
    let now = e.now;
    let statuses: BTreeSet<i64> = e.runs.iter().map(|r| r.status).collect();
    assert_eq!(statuses, (0..=6).collect());
    assert!(
        e.runs
            .iter()
            .all(|r| r.start_date_time <= now
                && r.start_date_time > now - chrono::Duration::days(60))
    );
    let keys: BTreeSet<i64> = e.runs.iter().map(|r| r.job_log_id).collect();
    assert_eq!(keys.len(), e.runs.len(), "JobLogId is unique");
    assert!(e.runs.iter().any(|r| r.job_id.is_none()), "unmanaged runs");
    assert!(e.runs.iter().any(|r| r.job_id.is_some()), "managed runs");
    assert!(e.jobs.iter().any(|j| j.job_id.is_none()));
    assert!(
        e.runs
            .iter()
            .any(|r| r.status == 4 && r.bytes_finished == 0)
    );
    assert!(e.runs.iter().any(|r| r.status == 4 && r.bytes_finished > 0));
    let stale = now - chrono::Duration::days(7);
    assert!(e.agents.iter().any(|a| a.last_activity_date < stale));
    assert!(
        e.agents
            .iter()
            .any(|a| a.last_activity_date > now - chrono::Duration::days(1))
    );
    assert!(e.devices.iter().any(|d| d.size.is_none()));
    let s3: Vec<_> = e
        .devices
        .iter()
        .filter(|d| d.odata_type == "#Devices.AmazonS3CompatibleDevice")
        .collect();
    let accounts: BTreeSet<i64> = e
        .cloud_storage_accounts
        .iter()
        .map(|c| c.cloud_storage_account_id)
        .collect();
    let ids: Vec<Option<i64>> = s3
        .iter()
        .map(|d| d.s3.as_ref().unwrap().cloud_storage_account_id)
        .collect();
    assert!(
        ids.iter().any(Option::is_none),
        "an S3 device without account"
    );
    assert!(
        ids.iter().flatten().any(|id| !accounts.contains(id)),
        "a dangling id"
    );
    assert!(ids.iter().flatten().any(|id| accounts.contains(id)));
    assert!(e.cloud_storage_accounts.iter().any(|c| {
        c.used_bytes_last_calculation_completed
            .is_some_and(|d| d < stale)
    }));
    let pending = e.runs.iter().find(|r| r.status == 0).unwrap();
    assert!(e.log(pending.job_log_id).is_none());
    let failed = e.runs.iter().find(|r| r.status == 4).unwrap();
    let ok = e.runs.iter().find(|r| r.status == 1).unwrap();
    let failed_log = e.log(failed.job_log_id).unwrap();
    assert!(failed_log.messages.len() > e.log(ok.job_log_id).unwrap().messages.len());
    assert_eq!(format_date(&fixed_now()), "2026-11-20T03:12:45.000Z");
}

#[tokio::test]
async fn the_default_estate_starts_quickly() {
    let started = Instant::now();
    let sim = start(SimConfig::default()).await;
    let took = started.elapsed();
    println!("default simulator started in {took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    drop(sim);
}

#[tokio::test]
async fn filtered_count_over_50000_runs_is_fast() {
    let started = Instant::now();
    let sim = start(SimConfig {
        runs: 50_000,
        ..SimConfig::default()
    })
    .await;
    println!("50,000-run simulator started in {:?}", started.elapsed());
    let t = token(&sim, "admin").await;
    let since = sim.estate().now - chrono::Duration::days(7);
    let filter = format!("Status eq 4 and StartDateTime gt {}", format_date(&since));
    let want = sim
        .estate()
        .runs
        .iter()
        .filter(|r| r.status == 4 && r.start_date_time > since)
        .count();
    let started = Instant::now();
    let (status, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[("$filter", &filter), ("$count", "true"), ("$top", "0")],
    )
    .await;
    let took = started.elapsed();
    println!("filtered $count over 50,000 runs answered in {took:?}");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["@odata.count"], want as i64);
    assert!(took < Duration::from_secs(2), "{took:?}");
    let started = Instant::now();
    let (status, _) = get(
        &sim,
        &t,
        "JobHistories",
        &[
            (
                "$filter",
                "contains(Agent/FriendlyName,'SQL') or Status ge 4",
            ),
            ("$count", "true"),
            ("$top", "0"),
        ],
    )
    .await;
    println!(
        "navigation filter over 50,000 runs answered in {:?}",
        started.elapsed()
    );
    assert_eq!(status, StatusCode::OK);
}
