//! MCP Apps through a real rmcp client talking to the built binary, with the 2025
//! `initialize` handshake and with 2026-07-28 (capabilities sent on every request): a
//! client that announces the extension gets the backup health view listed and
//! readable, and `get_backup_health` linked to it once that tool exists; a client that
//! does not sees the tools exactly as before and no resource.

mod mcp_common;

use std::process::Stdio;

use rmcp::model::{
    ClientCapabilities, ClientConfig, ErrorCode, ExtensionCapabilities, Implementation,
    ProtocolVersion, ReadResourceRequestParams, Tool,
};
use rmcp::service::{RunningService, ServiceError};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientLifecycleMode, ClientServiceExt, RoleClient};
use serde_json::{Value, json};
use tempfile::TempDir;

const VIEW_URI: &str = "ui://novabackup/backup-health.html";
const VIEW_MIME_TYPE: &str = "text/html;profile=mcp-app";

/// Both ways a client starts: the `initialize` handshake, and 2026-07-28 discovery.
fn lifecycles() -> [ClientLifecycleMode; 2] {
    [
        ClientLifecycleMode::Initialize,
        ClientLifecycleMode::Discover {
            preferred_versions: vec![ProtocolVersion::V_2026_07_28],
        },
    ]
}

/// The binary with no saved server, and a client announcing `capabilities`.
async fn connect(
    capabilities: ClientCapabilities,
    lifecycle: ClientLifecycleMode,
) -> (RunningService<RoleClient, ClientConfig>, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (transport, _) = TokioChildProcess::builder(mcp_common::command(&dir, &[], &[]))
        .stderr(Stdio::null())
        .spawn()
        .expect("the built binary starts");
    let client = ClientConfig::new(capabilities, Implementation::new("mcp-apps-tests", "1.0.0"))
        .serve_with_lifecycle(transport, lifecycle)
        .await
        .expect("the MCP session starts");
    (client, dir)
}

fn with_apps() -> ClientCapabilities {
    let mut extensions = ExtensionCapabilities::new();
    let settings = json!({ "mimeTypes": [VIEW_MIME_TYPE] });
    extensions.insert(
        "io.modelcontextprotocol/ui".to_owned(),
        settings.as_object().cloned().unwrap(),
    );
    ClientCapabilities::builder()
        .enable_extensions_with(extensions)
        .build()
}

fn ui_of(tool: &Tool) -> Option<Value> {
    let meta = tool.meta.as_ref()?;
    meta.get("ui")
        .or_else(|| meta.get("ui/resourceUri"))
        .cloned()
}

fn without_ui(mut tool: Tool) -> Tool {
    if let Some(meta) = tool.meta.as_mut() {
        meta.remove("ui");
        meta.remove("ui/resourceUri");
        if meta.is_empty() {
            tool.meta = None;
        }
    }
    tool
}

#[tokio::test]
async fn a_client_with_mcp_apps_can_list_and_read_the_view() {
    for lifecycle in lifecycles() {
        a_client_can_list_and_read_the_view(lifecycle).await;
    }
}

async fn a_client_can_list_and_read_the_view(lifecycle: ClientLifecycleMode) {
    let discovery = lifecycle != ClientLifecycleMode::Initialize;
    let (client, _dir) = connect(with_apps(), lifecycle).await;
    let listed = client.list_all_resources().await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].uri, VIEW_URI);
    assert_eq!(listed[0].mime_type.as_deref(), Some(VIEW_MIME_TYPE));

    let read = client
        .read_resource(ReadResourceRequestParams::new(VIEW_URI))
        .await
        .unwrap();
    let content = serde_json::to_value(&read.contents[0]).unwrap();
    let built = include_str!("../assets/backup-health.html");
    assert_eq!(content["mimeType"], VIEW_MIME_TYPE);
    assert_eq!(content["text"], built, "the embedded build, byte for byte");
    assert_eq!(
        content["_meta"]["ui"]["csp"],
        json!({"connectDomains": [], "resourceDomains": []})
    );

    let missing = client
        .read_resource(ReadResourceRequestParams::new(
            "ui://novabackup/nothing.html",
        ))
        .await
        .unwrap_err();
    // 2026-07-28 reports a missing resource as invalid params; older revisions as -32002.
    let expected = if discovery {
        ErrorCode::INVALID_PARAMS
    } else {
        ErrorCode::RESOURCE_NOT_FOUND
    };
    match missing {
        ServiceError::McpError(error) => {
            assert_eq!(error.code, expected);
            assert!(
                error.message.contains("ui://novabackup/nothing.html"),
                "{}",
                error.message
            );
        }
        other => panic!("expected resource-not-found, got {other:?}"),
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn only_get_backup_health_links_the_view_and_only_for_mcp_apps_clients() {
    for lifecycle in lifecycles() {
        only_get_backup_health_links_the_view(lifecycle).await;
    }
}

async fn only_get_backup_health_links_the_view(lifecycle: ClientLifecycleMode) {
    let (apps, _a) = connect(with_apps(), lifecycle.clone()).await;
    let (plain, _p) = connect(ClientCapabilities::default(), lifecycle).await;
    let apps_tools = apps.list_all_tools().await.unwrap();
    let plain_tools = plain.list_all_tools().await.unwrap();

    let linked: Vec<(String, Value)> = apps_tools
        .iter()
        .filter_map(|tool| Some((tool.name.to_string(), ui_of(tool)?)))
        .collect();
    let expected = if apps_tools.iter().any(|t| t.name == "get_backup_health") {
        vec![(
            "get_backup_health".to_owned(),
            json!({"resourceUri": VIEW_URI}),
        )]
    } else {
        Vec::new()
    };
    assert_eq!(linked, expected);
    assert!(
        plain_tools.iter().all(|tool| ui_of(tool).is_none()),
        "no UI metadata without MCP Apps"
    );
    let stripped: Vec<Tool> = apps_tools.into_iter().map(without_ui).collect();
    assert_eq!(stripped, plain_tools, "otherwise the very same tools");
    assert!(plain.list_all_resources().await.unwrap().is_empty());
    apps.cancel().await.unwrap();
    plain.cancel().await.unwrap();
}
