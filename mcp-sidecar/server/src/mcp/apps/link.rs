//! The link from `get_backup_health` to its view (`_meta.ui.resourceUri`), given only
//! to clients that announce MCP Apps with the HTML profile.

use rmcp::RoleServer;
use rmcp::model::{
    CacheScope, ClientCapabilities, ListToolsResult, ProtocolVersion, ResultType, Tool,
};
use rmcp::service::RequestContext;
use serde_json::{Value, json};

use super::view::{VIEW_MIME_TYPE, VIEW_URI};

/// The extension's identifier in the client's `capabilities.extensions`.
pub const EXTENSION_ID: &str = "io.modelcontextprotocol/ui";

/// The tool whose results the view shows.
pub const VIEW_TOOL: &str = "get_backup_health";

/// Whether the client announced MCP Apps for HTML views:
/// `extensions["io.modelcontextprotocol/ui"].mimeTypes` holds `text/html;profile=mcp-app`
/// (what the official SDK's `getUiCapability` reads).
pub fn supports_apps(capabilities: Option<&ClientCapabilities>) -> bool {
    capabilities
        .and_then(|caps| caps.extensions.as_ref())
        .and_then(|extensions| extensions.get(EXTENSION_ID))
        .and_then(|settings| settings.get("mimeTypes"))
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().any(|t| t.as_str() == Some(VIEW_MIME_TYPE)))
}

/// `tool` as this client should see it: `get_backup_health` gets `_meta.ui.resourceUri`
/// (and the older flat key `ui/resourceUri`, as the official SDK's `registerAppTool`
/// writes both) when the client supports MCP Apps; anything else is returned untouched.
pub fn with_view(mut tool: Tool, capabilities: Option<&ClientCapabilities>) -> Tool {
    if tool.name != VIEW_TOOL || !supports_apps(capabilities) {
        return tool;
    }
    let mut meta = tool.meta.take().unwrap_or_default();
    let ui = meta.entry("ui").or_insert_with(|| json!({}));
    if !ui.is_object() {
        *ui = json!({});
    }
    ui["resourceUri"] = json!(VIEW_URI);
    meta.insert("ui/resourceUri".to_owned(), json!(VIEW_URI));
    tool.meta = Some(meta);
    tool
}

/// The `tools/list` answer for the client of `context`: `tools`, each through
/// [`with_view`], with the cache hints rmcp's generated listing gives (2026-07-28).
pub fn tool_list(tools: Vec<Tool>, context: &RequestContext<RoleServer>) -> ListToolsResult {
    let capabilities = context.client_capabilities();
    let cache_hints = context
        .protocol_version()
        .is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
    let mut list = ListToolsResult::with_all_items(
        tools
            .into_iter()
            .map(|tool| with_view(tool, capabilities.as_ref()))
            .collect(),
    );
    list.result_type = Some(ResultType::COMPLETE);
    list.ttl_ms = cache_hints.then_some(0);
    list.cache_scope = cache_hints.then_some(CacheScope::Public);
    list
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rmcp::model::{ExtensionCapabilities, MetaObject};

    use super::*;

    fn tool(name: &'static str) -> Tool {
        Tool::new(name, "a tool", Arc::new(serde_json::Map::new()))
    }

    fn apps_client(mime_types: Value) -> ClientCapabilities {
        let mut extensions = ExtensionCapabilities::new();
        extensions.insert(
            EXTENSION_ID.to_owned(),
            serde_json::from_value(json!({ "mimeTypes": mime_types })).unwrap(),
        );
        ClientCapabilities::builder()
            .enable_extensions_with(extensions)
            .build()
    }

    #[test]
    fn a_client_with_mcp_apps_gets_the_view_on_get_backup_health() {
        let caps = apps_client(json!([VIEW_MIME_TYPE]));
        let tool = with_view(tool(VIEW_TOOL), Some(&caps));
        let meta = serde_json::to_value(tool.meta).unwrap();
        assert_eq!(meta["ui"]["resourceUri"], VIEW_URI, "{meta}");
        assert_eq!(meta["ui/resourceUri"], VIEW_URI, "{meta}");
    }

    #[test]
    fn metadata_the_tool_already_has_is_kept() {
        let caps = apps_client(json!([VIEW_MIME_TYPE]));
        let mut before = tool(VIEW_TOOL);
        before.meta = Some(MetaObject(
            json!({"ui": {"visibility": ["model", "app"]}, "other": 1})
                .as_object()
                .cloned()
                .unwrap(),
        ));
        let meta = serde_json::to_value(with_view(before, Some(&caps)).meta).unwrap();
        assert_eq!(meta["ui"]["visibility"], json!(["model", "app"]));
        assert_eq!(meta["ui"]["resourceUri"], VIEW_URI);
        assert_eq!(meta["other"], 1);
    }

    #[test]
    fn clients_without_mcp_apps_see_the_tool_unchanged() {
        let other_mime = apps_client(json!(["text/uri-list"]));
        let not_a_list = apps_client(json!(VIEW_MIME_TYPE));
        let mut elsewhere = ExtensionCapabilities::new();
        elsewhere.insert("io.example/ui".to_owned(), serde_json::Map::new());
        let other_extension = ClientCapabilities::builder()
            .enable_extensions_with(elsewhere)
            .build();
        let plain = ClientCapabilities::default();
        for caps in [
            None,
            Some(&plain),
            Some(&other_mime),
            Some(&not_a_list),
            Some(&other_extension),
        ] {
            assert!(!supports_apps(caps), "{caps:?}");
            assert_eq!(
                with_view(tool(VIEW_TOOL), caps),
                tool(VIEW_TOOL),
                "{caps:?}"
            );
        }
    }

    #[test]
    fn other_tools_never_get_the_view() {
        let caps = apps_client(json!([VIEW_MIME_TYPE]));
        for name in ["get_job_run_log", "list_job_history", "system_info"] {
            assert_eq!(with_view(tool(name), Some(&caps)), tool(name));
        }
    }
}
