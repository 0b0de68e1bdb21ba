//! Every tool's answer against the simulators' own truth: agents per server (and a
//! technician's agents and no others), exact history counts per status, storage and
//! cloud-storage totals, groups, users, truncation with the `$skip` that continues,
//! the server's own message for a bad `$filter`, and get_agent without a server id.

mod mcp_common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use mcp_common::{Configured, sim, start};
use ms_sim::{DemoUser, Sim, SimConfig};
use serde_json::{Value, json};

fn technician(sim: &Sim) -> DemoUser {
    sim.users()
        .iter()
        .rfind(|u| !u.is_admin)
        .expect("the simulator has technicians")
        .clone()
}

fn ids_of(answer: &Value, key: &str, server_id: &str, field: &str) -> BTreeSet<i64> {
    answer[key]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["server_id"] == server_id)
        .map(|row| row[field].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn answers_match_the_simulators_truth() {
    let admin_sim = sim(SimConfig::default()).await;
    let tech_sim = sim(SimConfig {
        seed: 2,
        tenants: 5,
        agents_per_tenant: 6,
        runs: 900,
        ..SimConfig::default()
    })
    .await;
    let tech = technician(&tech_sim);
    let harness = start(
        &[
            Configured::admin("alpha", &admin_sim),
            Configured {
                server_id: "beta".to_owned(),
                base_url: tech_sim.base_url(),
                user: tech.clone(),
            },
        ],
        &[],
    )
    .await;
    let admin = admin_sim.admin().clone();

    // Agents: every agent of the admin, the technician's agents and no others.
    let agents = harness.ok("list_agents", json!({"$top": 1000})).await;
    assert_eq!(agents["_meta"]["servers_succeeded"], 2);
    assert_eq!(agents["_meta"]["partial"], false);
    let truth_alpha: BTreeSet<i64> = admin_sim
        .estate()
        .agent_ids_visible_to(&admin)
        .into_iter()
        .collect();
    let truth_beta: BTreeSet<i64> = tech_sim
        .estate()
        .agent_ids_visible_to(&tech)
        .into_iter()
        .collect();
    assert!(
        truth_beta.len() < tech_sim.estate().agents.len(),
        "the technician sees only part"
    );
    assert_eq!(ids_of(&agents, "agents", "alpha", "agent_id"), truth_alpha);
    assert_eq!(
        ids_of(&agents, "agents", "beta", "agent_id"),
        truth_beta,
        "a technician's agents and no others"
    );
    assert_eq!(agents["truncated"], false);
    let first = &agents["agents"][0];
    for field in [
        "agent_guid",
        "friendly_name",
        "group_name",
        "tenant_id",
        "last_backup_status_label",
    ] {
        assert!(!first[field].is_null(), "agent rows carry {field}: {first}");
    }

    // With storage: each agent's devices in the tools' words, and a total that is null
    // (unknown) when no device reported a size.
    let stored = harness
        .ok("list_agents", json!({"with_storage": true, "$top": 1000}))
        .await;
    let (mut unreported, mut unknown_totals) = (0, 0);
    for row in stored["agents"].as_array().unwrap() {
        let agent_id = row["agent_id"].as_i64().unwrap();
        let sim = if row["server_id"] == "alpha" {
            &admin_sim
        } else {
            &tech_sim
        };
        let truth = sim.estate().devices_of(agent_id);
        let devices = row["devices"].as_array().unwrap();
        assert_eq!(
            devices.len(),
            truth.len(),
            "every device of agent {agent_id}"
        );
        for (device, real) in devices.iter().zip(&truth) {
            unreported += usize::from(real.size.is_none());
            assert_eq!(device["agent_device_id"], real.agent_device_id);
            assert_eq!(device["display_type"], real.display_type);
            assert_eq!(device["name"], real.name);
            assert_eq!(device["size_bytes"], json!(real.size));
            assert_eq!(device["free_space_bytes"], json!(real.free_space));
            assert_eq!(device["status"], real.status);
            assert!(device["status_updated"].is_string());
        }
        let sizes: Vec<i64> = truth.iter().filter_map(|d| d.size).collect();
        if sizes.is_empty() {
            unknown_totals += 1;
            assert_eq!(row["total_storage_bytes"], Value::Null, "{row}");
        } else {
            assert_eq!(row["total_storage_bytes"], sizes.iter().sum::<i64>());
        }
    }
    assert!(unreported > 0, "the estates have devices with no size");
    assert!(
        unknown_totals > 0,
        "the estates have agents none of whose devices reported a size"
    );

    // Truncation says so and gives the $skip that continues.
    let page = harness
        .ok("list_agents", json!({"server_id": "alpha", "$top": 5}))
        .await;
    assert_eq!(page["agents"].as_array().unwrap().len(), 5);
    assert_eq!(page["truncated"], true);
    assert_eq!(page["next_skip"], 5);
    let last = truth_alpha.len() as u64 - 2;
    let tail = harness
        .ok(
            "list_agents",
            json!({"server_id": "alpha", "$top": 5, "$skip": last}),
        )
        .await;
    assert_eq!(tail["agents"].as_array().unwrap().len(), 2);
    assert_eq!(tail["truncated"], false);

    // Exact history counts per status over the window the server reports.
    let summary = harness
        .ok("get_job_history_summary", json!({"window": "7d"}))
        .await;
    for (server_id, sim, user) in [("alpha", &admin_sim, &admin), ("beta", &tech_sim, &tech)] {
        let entry = summary["summaries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["server_id"] == server_id)
            .unwrap();
        let since: DateTime<Utc> = entry["since"].as_str().unwrap().parse().unwrap();
        let mut truth: BTreeMap<String, u64> = BTreeMap::new();
        let mut total = 0;
        for run in sim.estate().runs_visible_to(user) {
            if run.start_date_time >= since {
                *truth.entry(run.status.to_string()).or_default() += 1;
                total += 1;
            }
        }
        let counted: BTreeMap<String, u64> = entry["counts_by_status"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect();
        assert_eq!(counted, truth, "{server_id}: counts per status");
        assert_eq!(entry["total"], total);
        assert_eq!(entry["complete"], true);
        assert!(total > 0, "the window holds runs");
    }

    // Storage totals cover every device of every visible agent.
    let storage = harness
        .ok("summarize_storage_usage", json!({"group_by": "server"}))
        .await;
    let mut truth_bytes = 0i64;
    let mut truth_devices = 0;
    for (sim, user) in [(&admin_sim, &admin), (&tech_sim, &tech)] {
        for agent in sim.estate().agents_visible_to(user) {
            for device in sim.estate().devices_of(agent.agent_id) {
                truth_devices += 1;
                truth_bytes += device.size.unwrap_or(0);
            }
        }
    }
    assert_eq!(storage["totals"]["bytes"], truth_bytes);
    assert_eq!(storage["totals"]["devices"], truth_devices);
    assert_eq!(storage["summaries"].as_array().unwrap().len(), 2);
    let by_tenant = harness
        .ok(
            "summarize_storage_usage",
            json!({"group_by": "tenant", "top": 1}),
        )
        .await;
    assert_eq!(by_tenant["summaries"].as_array().unwrap().len(), 1);
    assert_eq!(
        by_tenant["totals"]["bytes"], truth_bytes,
        "totals ignore top"
    );

    // Cloud storage: every visible account, reconciled.
    let csa = harness.ok("summarize_csa_usage", json!({})).await;
    let truth_accounts = admin_sim
        .estate()
        .cloud_storage_accounts_visible_to(&admin)
        .len()
        + tech_sim
            .estate()
            .cloud_storage_accounts_visible_to(&tech)
            .len();
    assert_eq!(csa["totals"]["accounts"], truth_accounts);
    assert!(csa["orphaned_devices"].is_array());
    // Each linked entry is one S3 device of that account, named as the sim has it.
    let mut linked = 0;
    for account in csa["cloud_storage_accounts"].as_array().unwrap() {
        if account["server_id"] != "alpha" {
            continue;
        }
        let account_id = account["cloud_storage_account_id"].as_i64();
        for entry in account["agents"].as_array().unwrap() {
            linked += 1;
            let agent_id = entry["agent_id"].as_i64().unwrap();
            let device = admin_sim
                .estate()
                .devices_of(agent_id)
                .into_iter()
                .find(|d| entry["device_id"] == d.agent_device_id)
                .expect("the device is one of the agent's");
            let s3 = device.s3.as_ref().expect("an S3 device");
            assert_eq!(s3.cloud_storage_account_id, account_id);
            assert_eq!(entry["bucket"], s3.bucket_name);
            assert_eq!(entry["url"], s3.url);
            assert_eq!(entry["device_name"], device.name);
            assert_eq!(entry["device_size_bytes"], json!(device.size));
            assert_eq!(entry["device_status"], device.status);
        }
    }
    let known: BTreeSet<i64> = admin_sim
        .estate()
        .cloud_storage_accounts_visible_to(&admin)
        .iter()
        .map(|a| a.cloud_storage_account_id)
        .collect();
    let truth_linked = admin_sim
        .estate()
        .devices_visible_to(&admin)
        .iter()
        .filter_map(|d| d.s3.as_ref()?.cloud_storage_account_id)
        .filter(|id| known.contains(id))
        .count();
    assert_eq!(linked, truth_linked, "every linked S3 device, once");
    let accounts = harness
        .ok("list_cloud_storage_accounts", json!({"server_id": "alpha"}))
        .await;
    let account_id = accounts["cloud_storage_accounts"][0]["cloud_storage_account_id"].clone();
    let account = harness
        .ok(
            "get_cloud_storage_account",
            json!({"server_id": "alpha", "cloud_storage_account_id": account_id}),
        )
        .await;
    assert_eq!(
        account["cloud_storage_account"]["CloudStorageAccountId"],
        account_id
    );

    // Groups and users.
    let groups = harness
        .ok("list_groups", json!({"server_id": "beta"}))
        .await;
    assert_eq!(
        groups["groups"].as_array().unwrap().len(),
        tech_sim.estate().groups_visible_to(&tech).len()
    );
    let tree = harness
        .ok("get_group_hierarchy", json!({"server_id": "alpha"}))
        .await;
    assert_eq!(
        tree["groups"].as_array().unwrap().len(),
        admin_sim.estate().tenants.len(),
        "one root per tenant"
    );
    fn parents_agree(node: &Value) -> usize {
        node["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|child| {
                assert_eq!(child["parent_group_id"], node["group_id"], "{child}");
                1 + parents_agree(child)
            })
            .sum()
    }
    let nested: usize = tree["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(parents_agree)
        .sum();
    assert!(nested > 0, "the tree has levels below the roots");
    assert!(
        groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["children"] == json!([])),
        "the flat listing nests nothing"
    );
    let users = harness
        .ok("list_users", json!({"server_id": "alpha"}))
        .await;
    assert_eq!(
        users["users"].as_array().unwrap().len(),
        admin_sim.estate().users_visible_to(&admin).len()
    );
    let user_id = users["users"][0]["UserId"].clone();
    let user = harness
        .ok(
            "get_user",
            json!({"server_id": "alpha", "user_id": user_id}),
        )
        .await;
    assert_eq!(user["user"]["UserId"], user_id);

    // get_agent without server_id finds the server that has it.
    let only_beta = truth_beta
        .difference(&truth_alpha)
        .next()
        .copied()
        .expect("an agent only beta has");
    let found = harness
        .ok("get_agent", json!({"agent_id": only_beta}))
        .await;
    assert_eq!(found["server_id"], "beta");
    assert_eq!(found["agent"]["AgentId"], only_beta);
    assert!(found["agent"]["Devices"].is_array(), "devices by default");

    // A bad $filter: the server's own message, per server, in _meta.errors.
    let bad = harness
        .call("list_agents", json!({"$filter": "NoSuchField eq 1"}))
        .await;
    assert_eq!(bad.is_error, Some(true), "nothing could be answered");
    let content = bad.structured_content.unwrap();
    let errors = content["_meta"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    for error in errors {
        assert_eq!(error["kind"], "query_rejected");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("NoSuchField"),
            "the server's own message: {message}"
        );
    }
}

#[tokio::test]
async fn every_remaining_tool_answers() {
    let sim = sim(SimConfig::default()).await;
    let harness = start(&[Configured::admin("alpha", &sim)], &[]).await;
    let info = harness.ok("system_info", json!({})).await;
    assert_eq!(info["mode"], "read-only");
    let connected = &info["connected_servers"];
    assert_eq!(connected.as_array().unwrap().len(), 1, "{connected}");
    assert_eq!(connected[0]["server_id"], "alpha");
    assert_eq!(connected[0]["label"], "alpha label");
    assert_eq!(connected[0]["base_url"], sim.base_url());
    assert_eq!(connected[0]["username"], sim.admin().user_name);
    assert_eq!(connected[0]["has_jwt"], true);
    assert!(connected[0]["jwt_expires_at"].is_string());
    assert_eq!(info["client"]["supports_elicitation"], false);
    assert!(
        info["next_step"]
            .as_str()
            .is_some_and(|step| step.contains("get_backup_health")),
        "something is connected: the next step is the status question: {}",
        info["next_step"]
    );
    assert!(
        info["client"]["elicitation_note"]
            .as_str()
            .unwrap()
            .contains("chat history")
    );
    assert!(!info.to_string().contains("npx"));
    let servers = harness.ok("list_servers", json!({})).await;
    assert_eq!(
        servers["connected"], info["connected_servers"],
        "one shape for both"
    );
    let health = harness.ok("server_health", json!({})).await;
    assert_eq!(health["results"][0]["status"], "up");
    assert_eq!(health["results"][0]["auth"], "ok");

    let estate = sim.estate();
    let agent = estate
        .agents
        .iter()
        .find(|a| !estate.jobs_of(a.agent_id).is_empty())
        .unwrap();
    let agent_id = agent.agent_id;
    let devices = harness
        .ok(
            "list_agent_devices",
            json!({"server_id": "alpha", "agent_id": agent_id}),
        )
        .await;
    assert_eq!(
        devices["devices"].as_array().unwrap().len(),
        estate.devices_of(agent_id).len()
    );
    let jobs = harness
        .ok(
            "list_jobs_for_agent",
            json!({"server_id": "alpha", "agent_id": agent_id}),
        )
        .await;
    assert_eq!(
        jobs["jobs"].as_array().unwrap().len(),
        estate.jobs_of(agent_id).len()
    );
    let managed = estate.jobs_of(agent_id).into_iter().find_map(|j| j.job_id);
    if let Some(job_id) = managed {
        let job = harness
            .ok(
                "get_job",
                json!({"server_id": "alpha", "agent_id": agent_id, "identifier": job_id}),
            )
            .await;
        assert_eq!(job["job"]["JobId"], job_id);
    }
    let unmanaged = estate
        .jobs
        .iter()
        .find(|j| j.job_id.is_none())
        .expect("agent-defined jobs exist");
    let job = harness
        .ok(
            "get_job",
            json!({"server_id": "alpha", "agent_id": unmanaged.agent_id,
                   "identifier": unmanaged.schedule_id, "kind": "unmanaged"}),
        )
        .await;
    assert_eq!(job["job"]["ScheduleId"], unmanaged.schedule_id.as_str());
    assert!(job["job"]["JobId"].is_null());
    let sources = harness
        .ok(
            "list_backup_sources",
            json!({"server_id": "alpha", "agent_id": agent_id}),
        )
        .await;
    assert!(
        !sources["sources"].as_array().unwrap().is_empty(),
        "root volumes"
    );
    let storage_servers = harness.ok("list_storage_servers", json!({})).await;
    let storage_server_id =
        storage_servers["storage_servers"][0]["storage_server"]["StorageServerId"].clone();
    let one = harness
        .ok(
            "get_storage_server",
            json!({"server_id": "alpha", "storage_server_id": storage_server_id}),
        )
        .await;
    assert_eq!(one["storage_server"]["StorageServerId"], storage_server_id);

    let history = harness
        .ok(
            "list_job_history",
            json!({"server_id": "alpha", "$filter": "Status eq 4", "$top": 5}),
        )
        .await;
    let runs = history["history"].as_array().unwrap();
    assert!(!runs.is_empty(), "failed runs exist");
    for run in runs {
        assert_eq!(run["status_label"], "failed");
        assert!(
            run["characterization"]
                .as_str()
                .unwrap()
                .starts_with("failed_")
        );
        assert!(
            !run["agent_friendly_name"].is_null(),
            "the Agent is expanded"
        );
    }
    // A quoted date (a type error for the server) is normalised before it is sent.
    let quoted = harness
        .ok(
            "list_job_history",
            json!({"server_id": "alpha", "$filter": "StartDateTime ge '2000-01-01T00:00:00Z'", "$top": 1}),
        )
        .await;
    assert_eq!(quoted["history"].as_array().unwrap().len(), 1, "{quoted}");
    let log_key = runs[0]["job_log_id"].as_i64().unwrap();
    let log = harness
        .ok(
            "get_job_run_log",
            json!({"server_id": "alpha", "job_id": log_key}),
        )
        .await;
    assert_eq!(log["available"], true);
    assert_eq!(log["has_errors"], true, "a failed run logs an error");
    let pending = estate.runs.iter().find(|r| r.status == 0 || r.status == 6);
    if let Some(pending) = pending {
        let none = harness
            .ok(
                "get_job_run_log",
                json!({"server_id": "alpha", "job_id": pending.job_log_id}),
            )
            .await;
        assert_eq!(
            none["available"], false,
            "a run that has not run has no log: {none}"
        );
    }

    let connected = harness
        .ok(
            "connect_server",
            json!({"server_id": "gamma", "base_url": sim.base_url(),
                   "username": sim.admin().user_name, "password": sim.admin().password}),
        )
        .await;
    assert_eq!(connected["connected"], true);
    assert_eq!(connected["credentials_from"], "arguments");
    assert!(connected["warning"].as_str().unwrap().contains("chat"));
    assert!(
        !connected.to_string().contains(&sim.admin().password),
        "the password is never echoed"
    );
    let both = harness.ok("list_groups", json!({})).await;
    assert_eq!(both["_meta"]["servers_succeeded"], 2);
    let gone = harness
        .ok("disconnect_server", json!({"server_id": "gamma"}))
        .await;
    assert_eq!(gone["disconnected"], true);
    let one_left = harness.ok("list_groups", json!({})).await;
    assert_eq!(one_left["_meta"]["servers_queried"], 1);

    let wrong = harness
        .ok(
            "connect_server",
            json!({"server_id": "delta", "base_url": sim.base_url(),
                   "username": sim.admin().user_name, "password": "wrong"}),
        )
        .await;
    assert_eq!(wrong["connected"], false);
    assert!(wrong["next_step"].is_string());
    let attempts = sim.counters().requests("/api/Account/Authenticate");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        sim.counters().requests("/api/Account/Authenticate"),
        attempts,
        "a refused password is not retried in a loop"
    );
    let info = harness.ok("list_servers", json!({})).await;
    let delta = info["presets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["server_id"] == "delta")
        .unwrap();
    assert_eq!(delta["state"], "needs_credentials");
}
