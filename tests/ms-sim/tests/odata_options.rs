//! `$select`, `$expand` with nested `$select`, `$orderby`, `$top`/`$skip`/`$count`,
//! server paging with nextLink and the MaxTop cap.

mod common;

use std::collections::BTreeSet;

use common::{error_message, get, get_url, ints, rows, start, start_default, token};
use ms_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::Value;

fn keys(row: &Value) -> Vec<&str> {
    row.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn select_keeps_only_the_named_properties() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let (status, body) = get(&sim, &t, "Agents", &[("$select", "AgentId,FriendlyName")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for row in rows(&body) {
        assert_eq!(keys(row), vec!["AgentId", "FriendlyName"]);
    }
    assert!(
        body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("$metadata#Agents(AgentId,FriendlyName)")
    );
    let (status, body) = get(&sim, &t, "Agents", &[("$select", "AgentId,Nope")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("'Nope'"));
}

#[tokio::test]
async fn expand_with_nested_select() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let e = sim.estate();
    let (status, body) = get(
        &sim,
        &t,
        "Agents",
        &[
            ("$select", "AgentId,GroupId"),
            (
                "$expand",
                "Group($select=GroupId,GroupName,TenantId),Devices",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(rows(&body).len(), e.agents.len());
    for row in rows(&body) {
        let agent_id = row["AgentId"].as_i64().unwrap();
        let group = &row["Group"];
        assert_eq!(keys(group), vec!["GroupId", "GroupName", "TenantId"]);
        assert_eq!(group["GroupId"], row["GroupId"]);
        let tenant = e.tenant_of_agent(agent_id).unwrap();
        assert_eq!(group["TenantId"], tenant.tenant_id.as_str());
        let devices: Vec<i64> = row["Devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["AgentDeviceId"].as_i64().unwrap())
            .collect();
        let want: Vec<i64> = e
            .devices_of(agent_id)
            .iter()
            .map(|d| d.agent_device_id)
            .collect();
        assert_eq!(devices, want);
    }
    let (status, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[
            ("$top", "3"),
            ("$expand", "Agent($select=AgentId,FriendlyName,MachineName)"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for row in rows(&body) {
        assert_eq!(
            keys(&row["Agent"]),
            vec!["AgentId", "FriendlyName", "MachineName"]
        );
        assert_eq!(row["Agent"]["AgentId"], row["AgentId"]);
    }
    let (status, body) = get(&sim, &t, "Agents", &[("$expand", "Owner")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("'Owner'"));
}

#[tokio::test]
async fn orderby_two_fields() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let (status, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[("$orderby", "Status desc,StartDateTime asc")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut want: Vec<_> = sim.estate().runs.iter().collect();
    want.sort_by(|a, b| {
        b.status
            .cmp(&a.status)
            .then(a.start_date_time.cmp(&b.start_date_time))
    });
    let want: Vec<i64> = want.iter().map(|r| r.job_log_id).collect();
    assert_eq!(ints(&body, "JobLogId"), want);
    let (status, _) = get(&sim, &t, "JobHistories", &[("$orderby", "Status sideways")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn top_skip_and_count() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let all: Vec<i64> = sim
        .estate()
        .runs
        .iter()
        .filter(|r| r.status == 1)
        .map(|r| r.job_log_id)
        .collect();
    let (status, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[
            ("$filter", "Status eq 1"),
            ("$top", "10"),
            ("$skip", "5"),
            ("$count", "true"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["@odata.count"],
        all.len() as i64,
        "count ignores top/skip"
    );
    assert_eq!(ints(&body, "JobLogId"), all[5..15].to_vec());
    assert!(
        body.get("@odata.nextLink").is_none(),
        "no paging configured"
    );
    let (_, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[("$top", "0"), ("$count", "true")],
    )
    .await;
    assert_eq!(rows(&body).len(), 0);
    assert_eq!(body["@odata.count"], sim.estate().runs.len() as i64);
    let (_, body) = get(&sim, &t, "JobHistories", &[("$top", "3")]).await;
    assert!(body.get("@odata.count").is_none(), "count only when asked");
    let (status, body) = get(&sim, &t, "JobHistories", &[("$top", "-1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("$top"));
    let (status, _) = get(&sim, &t, "JobHistories", &[("$count", "maybe")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = get(&sim, &t, "JobHistories", &[("$search", "x")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("$search"));
}

#[tokio::test]
async fn server_paging_returns_every_row_exactly_once() {
    let sim = start(SimConfig {
        page_size: Some(50),
        ..SimConfig::default()
    })
    .await;
    let t = token(&sim, "admin").await;
    let (status, mut body) = get(
        &sim,
        &t,
        "JobHistories",
        &[
            ("$filter", "Status ne 3"),
            ("$count", "true"),
            ("$select", "JobLogId,Status"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let want: Vec<i64> = sim
        .estate()
        .runs
        .iter()
        .filter(|r| r.status != 3)
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(body["@odata.count"], want.len() as i64);
    let mut got = vec![];
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(rows(&body).len() <= 50, "page size respected");
        got.extend(ints(&body, "JobLogId"));
        let Some(next) = body["@odata.nextLink"].as_str().map(String::from) else {
            break;
        };
        assert!(
            next.starts_with(&sim.base_url()),
            "absolute nextLink: {next}"
        );
        let (status, next_body) = get_url(&t, &next).await;
        assert_eq!(status, StatusCode::OK, "{next}: {next_body}");
        body = next_body;
    }
    assert_eq!(pages, want.len().div_ceil(50));
    assert_eq!(got, want, "every row once, in order");
    let unique: BTreeSet<_> = got.iter().collect();
    assert_eq!(unique.len(), got.len());
}

#[tokio::test]
async fn server_paging_never_exceeds_top() {
    let sim = start(SimConfig {
        page_size: Some(40),
        ..SimConfig::default()
    })
    .await;
    let t = token(&sim, "admin").await;
    let (_, mut body) = get(&sim, &t, "JobHistories", &[("$top", "100")]).await;
    let mut got = vec![];
    loop {
        got.extend(ints(&body, "JobLogId"));
        let Some(next) = body["@odata.nextLink"].as_str().map(String::from) else {
            break;
        };
        body = get_url(&t, &next).await.1;
    }
    let want: Vec<i64> = sim.estate().runs[..100]
        .iter()
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn max_top_is_enforced_with_the_aspnet_message() {
    let sim = start(SimConfig {
        max_top: Some(1000),
        ..SimConfig::default()
    })
    .await;
    let t = token(&sim, "admin").await;
    let (status, body) = get(&sim, &t, "JobHistories", &[("$top", "5000")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error_message(&body),
        "The limit of '1000' for Top query has been exceeded. The value from the incoming \
         request is '5000'."
    );
    let (status, _) = get(&sim, &t, "JobHistories", &[("$top", "1000")]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn entity_by_key_navigation_and_logs() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let e = sim.estate();
    let agent = &e.agents[0];
    let (status, body) = get(&sim, &t, &format!("Agents({})", agent.agent_id), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["FriendlyName"], agent.friendly_name.as_str());
    assert!(
        body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#Agents/$entity")
    );
    let (_, body) = get(&sim, &t, &format!("Agents({})/Jobs", agent.agent_id), &[]).await;
    assert_eq!(rows(&body).len(), e.jobs_of(agent.agent_id).len());
    let (_, body) = get(
        &sim,
        &t,
        &format!("Agents({})/Devices", agent.agent_id),
        &[("$filter", "Size eq null or Size gt 0")],
    )
    .await;
    assert_eq!(rows(&body).len(), e.devices_of(agent.agent_id).len());
    let (status, _) = get(&sim, &t, "Agents(999999)", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&sim, &t, "Agents(abc)", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let finished = e.runs.iter().find(|r| r.status == 4).unwrap();
    let (status, body) = get(
        &sim,
        &t,
        &format!("JobHistories({})/Log", finished.job_log_id),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let messages = body["Messages"].as_array().unwrap();
    assert!(messages.iter().any(|m| m["Type"] == "Error"), "{body}");
    assert_eq!(
        serde_json::to_value(e.log(finished.job_log_id).unwrap()).unwrap(),
        body
    );
    let pending = e.runs.iter().find(|r| r.status == 0).unwrap();
    let (status, _) = get(
        &sim,
        &t,
        &format!("JobHistories({})/Log", pending.job_log_id),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "pending runs have no log");
    let server = &e.storage_servers[0];
    let (status, body) = get(
        &sim,
        &t,
        &format!("StorageServers({})", server.storage_server_id),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["Name"], server.name.as_str());
    let user = &e.users[0];
    let (status, body) = get(&sim, &t, &format!("Users({})", user.user_id), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["UserName"], user.user_name.as_str());
}

#[tokio::test]
async fn backup_sources_from_volumes_down() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let agent = sim.estate().agents[1].agent_id;
    let path = format!("Agents({agent})/BackupSources");
    let (status, body) = get(&sim, &t, &path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let volumes = rows(&body);
    assert!(volumes.iter().all(|v| v["Type"] == "Volume"));
    let c = volumes[0]["Path"].as_str().unwrap().to_string();
    let (_, body) = get(&sim, &t, &path, &[("path", &c)]).await;
    let folders = rows(&body);
    assert!(!folders.is_empty());
    let first = folders[0]["Path"].as_str().unwrap().to_string();
    assert!(first.starts_with(&c));
    let (status, again) = get(&sim, &t, &path, &[("path", &c)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, body, "listings are stable");
    let (status, _) = get(&sim, &t, &path, &[("path", "Q:\\nowhere")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn count_path_segment_answers_a_plain_number() {
    let sim = start_default().await;
    let t = token(&sim, "tech-south").await;
    let south = sim.user("tech-south").unwrap();
    let want = sim
        .estate()
        .runs_visible_to(south)
        .iter()
        .filter(|r| r.status == 4)
        .count();
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/JobHistories/$count?$filter=Status%20eq%204",
            sim.base_url()
        ))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), want.to_string());
}
