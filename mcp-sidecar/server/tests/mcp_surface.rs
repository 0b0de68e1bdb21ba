//! The surface a client sees: server info and protocol version, the 25 tools with
//! annotations and described arguments, the 4 prompts, and start-up refusal of bad
//! settings.

mod mcp_common;

use mcp_common::{Configured, sim, start};
use ms_sim::SimConfig;
use rmcp::model::{GetPromptRequestParams, ProtocolVersion};

const TOOLS: [&str; 25] = [
    "system_info",
    "list_servers",
    "server_health",
    "connect_server",
    "disconnect_server",
    "list_agents",
    "get_agent",
    "list_agent_devices",
    "summarize_storage_usage",
    "summarize_csa_usage",
    "list_cloud_storage_accounts",
    "get_cloud_storage_account",
    "list_storage_servers",
    "get_storage_server",
    "list_groups",
    "get_group_hierarchy",
    "list_jobs_for_agent",
    "get_job",
    "list_backup_sources",
    "list_job_history",
    "get_job_history_summary",
    "get_job_run_log",
    "list_users",
    "get_user",
    "get_backup_health",
];

#[tokio::test]
async fn tools_prompts_and_server_info_match_the_contract() {
    let sim = sim(SimConfig::default()).await;
    let harness = start(&[Configured::admin("alpha", &sim)], &[]).await;
    let info = harness
        .client
        .peer_info()
        .expect("server info after the handshake");
    assert_eq!(
        info.server_info.as_ref().map(|s| s.name.as_str()),
        Some("novabackup-mcp")
    );
    assert_eq!(
        info.server_info.as_ref().map(|s| s.version.as_str()),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        info.protocol_version,
        ProtocolVersion::V_2025_11_25,
        "capped where elicitation works"
    );

    let tools = harness.client.list_all_tools().await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort_unstable();
    let mut expected = TOOLS.to_vec();
    expected.sort_unstable();
    assert_eq!(
        names, expected,
        "exactly the 24 tools of the contract and get_backup_health"
    );
    for tool in &tools {
        let annotations = tool.annotations.as_ref().expect("every tool is annotated");
        let writes = matches!(tool.name.as_ref(), "connect_server" | "disconnect_server");
        assert_eq!(
            annotations.read_only_hint,
            Some(!writes),
            "{}: read tools are read-only, connect/disconnect are not",
            tool.name
        );
        if !writes {
            assert_eq!(annotations.open_world_hint, Some(true), "{}", tool.name);
        }
        assert!(
            tool.description.as_ref().is_some_and(|d| d.len() > 20),
            "{} has a description",
            tool.name
        );
        let properties = tool
            .input_schema
            .get("properties")
            .and_then(|p| p.as_object());
        for (name, schema) in properties.into_iter().flatten() {
            let text = schema.to_string();
            assert!(
                text.contains("\"description\"")
                    || schema.get("$ref").is_some()
                    || text.contains("allOf"),
                "{}.{name} has a description a model can act on: {text}",
                tool.name
            );
        }
    }
    let list_agents = tools.iter().find(|t| t.name == "list_agents").unwrap();
    let properties = list_agents.input_schema["properties"].as_object().unwrap();
    for name in [
        "server_id",
        "with_storage",
        "$filter",
        "$select",
        "$expand",
        "$orderby",
        "$top",
        "$skip",
    ] {
        assert!(properties.contains_key(name), "list_agents takes {name}");
    }
    let get_agent = tools.iter().find(|t| t.name == "get_agent").unwrap();
    let required = get_agent.input_schema["required"].as_array().unwrap();
    assert_eq!(
        required,
        &vec![serde_json::json!("agent_id")],
        "only agent_id is required"
    );

    let prompts = harness.client.list_all_prompts().await.unwrap();
    let mut prompt_names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
    prompt_names.sort_unstable();
    assert_eq!(
        prompt_names,
        [
            "audit_cloud_storage_usage",
            "diagnose_failing_jobs",
            "find_stale_agents",
            "summarize_agent_health"
        ]
    );
    for prompt in &prompts {
        let mut params = GetPromptRequestParams::new(prompt.name.clone());
        if prompt.name == "diagnose_failing_jobs" {
            params = params.with_arguments(
                serde_json::json!({"window": "7d"})
                    .as_object()
                    .unwrap()
                    .clone(),
            );
        }
        if prompt.name == "find_stale_agents" {
            params = params.with_arguments(
                serde_json::json!({"days": "14"})
                    .as_object()
                    .unwrap()
                    .clone(),
            );
        }
        let got = harness.client.get_prompt(params).await.unwrap();
        let text = serde_json::to_string(&got.messages).unwrap();
        assert!(!got.messages.is_empty(), "{} has a message", prompt.name);
        match prompt.name.as_str() {
            "diagnose_failing_jobs" => {
                assert!(text.contains("7d") && text.contains("get_backup_health"))
            }
            "summarize_agent_health" => assert!(text.contains("get_backup_health")),
            "find_stale_agents" => {
                assert!(text.contains("14 days") && text.contains("LastActivityDate"))
            }
            "audit_cloud_storage_usage" => assert!(text.contains("list_cloud_storage_accounts")),
            _ => assert!(text.contains("list_agents")),
        }
    }
    harness.client.cancel().await.ok();
}

#[tokio::test]
async fn out_of_range_settings_stop_the_server_naming_the_variable() {
    for (name, value) in [
        ("MCP_OPERATION_TIMEOUT_SECONDS", "601"),
        ("MCP_FANOUT_CONCURRENCY", "0"),
        ("MCP_ALLOW_WRITES", "perhaps"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let output = mcp_common::command(&dir, &[], &[(name, value)])
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap();
        assert!(
            !output.status.success(),
            "{name}={value} must stop the server"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name), "the message names {name}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "nothing on stdout, the protocol channel"
        );
    }
}
