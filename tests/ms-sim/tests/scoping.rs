//! Tenant scoping: a technician never sees another tenant's agents, devices, jobs,
//! runs, logs, groups or cloud storage accounts; storage servers are shared.

mod common;

use std::collections::BTreeSet;

use common::{get, ints, rows, start_default, token};
use reqwest::StatusCode;

#[tokio::test]
async fn collections_hold_only_the_users_tenants() {
    let sim = start_default().await;
    let e = sim.estate();
    for user in sim.users() {
        let t = token(&sim, &user.user_name).await;
        let (_, body) = get(&sim, &t, "Agents", &[]).await;
        assert_eq!(
            ints(&body, "AgentId"),
            e.agent_ids_visible_to(user),
            "{}",
            user.user_name
        );
        let (_, body) = get(&sim, &t, "JobHistories", &[("$count", "true")]).await;
        let want: Vec<i64> = e
            .runs_visible_to(user)
            .iter()
            .map(|r| r.job_log_id)
            .collect();
        assert_eq!(ints(&body, "JobLogId"), want);
        assert_eq!(body["@odata.count"], want.len() as i64);
        let (_, body) = get(&sim, &t, "Groups", &[]).await;
        let want: Vec<i64> = e
            .groups_visible_to(user)
            .iter()
            .map(|g| g.group_id)
            .collect();
        assert_eq!(ints(&body, "GroupId"), want);
        let tenants: BTreeSet<&str> = rows(&body)
            .iter()
            .map(|g| g["TenantId"].as_str().unwrap())
            .collect();
        let allowed: BTreeSet<&str> = e
            .visible_tenants(user)
            .iter()
            .map(|t| t.tenant_id.as_str())
            .collect();
        assert_eq!(tenants, allowed);
        let (_, body) = get(&sim, &t, "CloudStorageAccounts", &[]).await;
        let want: Vec<i64> = e
            .cloud_storage_accounts_visible_to(user)
            .iter()
            .map(|c| c.cloud_storage_account_id)
            .collect();
        assert_eq!(ints(&body, "CloudStorageAccountId"), want);
        let (_, body) = get(&sim, &t, "StorageServers", &[]).await;
        assert_eq!(rows(&body).len(), e.storage_servers.len(), "shared by all");
        let (_, body) = get(&sim, &t, "Users", &[]).await;
        assert_eq!(rows(&body).len(), e.users_visible_to(user).len());
    }
}

#[tokio::test]
async fn another_tenants_entities_are_404() {
    let sim = start_default().await;
    let e = sim.estate();
    let north = sim.user("tech-north").unwrap();
    let south = sim.user("tech-south").unwrap();
    assert!(!north.tenant_ids.is_empty() && !south.tenant_ids.is_empty());
    let t = token(&sim, "tech-north").await;
    let foreign = e.agents_visible_to(south)[0].agent_id;
    let own = e.agents_visible_to(north)[0].agent_id;
    for path in [
        format!("Agents({foreign})"),
        format!("Agents({foreign})/Devices"),
        format!("Agents({foreign})/Jobs"),
        format!("Agents({foreign})/BackupSources"),
    ] {
        let (status, _) = get(&sim, &t, &path, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = get(&sim, &t, &format!("Agents({own})/Devices"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    let foreign_run = e
        .runs_visible_to(south)
        .into_iter()
        .find(|r| r.status == 1)
        .unwrap();
    for path in [
        format!("JobHistories({})", foreign_run.job_log_id),
        format!("JobHistories({})/Log", foreign_run.job_log_id),
    ] {
        let (status, _) = get(&sim, &t, &path, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // A filter naming the foreign agent finds nothing, and expansions stay inside.
    let (_, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[
            ("$filter", &format!("AgentId eq {foreign}")),
            ("$count", "true"),
        ],
    )
    .await;
    assert_eq!(body["@odata.count"], 0);
    let (_, body) = get(&sim, &t, "Agents", &[("$expand", "Devices")]).await;
    let visible: BTreeSet<i64> = e.agent_ids_visible_to(north).into_iter().collect();
    for agent in rows(&body) {
        for device in agent["Devices"].as_array().unwrap() {
            assert!(visible.contains(&device["AgentId"].as_i64().unwrap()));
        }
    }
}

#[tokio::test]
async fn estate_helpers_match_what_the_api_answers() {
    let sim = start_default().await;
    let e = sim.estate();
    let south = sim.user("tech-south").unwrap();
    let t = token(&sim, "tech-south").await;
    let since = e.now - chrono::Duration::days(14);
    let counts = e.status_counts_since(south, since);
    for (status, want) in &counts {
        let filter = format!(
            "Status eq {status} and StartDateTime gt {}",
            ms_sim::format_date(&since)
        );
        let (_, body) = get(
            &sim,
            &t,
            "JobHistories",
            &[("$filter", &filter), ("$count", "true"), ("$top", "0")],
        )
        .await;
        assert_eq!(body["@odata.count"], *want as i64, "status {status}");
    }
    assert!(counts.values().sum::<usize>() > 0);
    let (_, body) = get(&sim, &t, "CloudStorageAccounts", &[]).await;
    let used: i64 = rows(&body)
        .iter()
        .map(|c| c["UsedBytes"].as_i64().unwrap())
        .sum();
    let quota: i64 = rows(&body)
        .iter()
        .map(|c| c["QuotaBytes"].as_i64().unwrap())
        .sum();
    assert_eq!(e.storage_totals(south), (used, quota));
    let (_, body) = get(&sim, &t, "Agents", &[("$expand", "Devices")]).await;
    let devices: usize = rows(&body)
        .iter()
        .map(|a| a["Devices"].as_array().unwrap().len())
        .sum();
    assert_eq!(devices, e.devices_visible_to(south).len());
    assert!(e.jobs_visible_to(south).len() < e.jobs.len());
}
