//! Orientation: what this server is, which Management Servers are configured and
//! connected, and a fresh health check of each.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::SecondsFormat;
use novabackup_core::estate::{Admission, Member};
use novabackup_core::remedy::Remedy;
use novabackup_core::server_state::ServerState;
use novabackup_core::{Deadline, ServerId};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use serde_json::{Value, json};

use super::MaybeServer;
use crate::mcp::asking::{NEXT_STEP, advice, answer};
use crate::mcp::server::NovaServer;

/// What to do next once a server is connected: the call for status questions.
const STATUS_STEP: &str = "To see whether backups worked (failures, warnings, computers not \
    backed up, and why), call get_backup_health: one call covers every server and customer.";

/// How long orientation tools wait for first logins still under way.
const SETTLE: Duration = Duration::from_secs(2);

#[tool_router(router = orientation_tools, vis = "pub(crate)")]
impl NovaServer {
    /// The first call to make: mode, the MCP client (with the protocol revision it
    /// speaks) and whether it supports elicitation, the configured servers and which
    /// are connected, the settings in force, and what to do when nothing is connected.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn system_info(
        &self,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.settle().await;
        let client = context.client_info();
        let supports_elicitation = context
            .client_capabilities()
            .is_some_and(|caps| caps.elicitation.is_some());
        let presets = self.presets();
        let connected = self.connected_servers();
        let settings = self.settings();
        let mut body = json!({
            "server": {"name": "novabackup-mcp", "version": env!("CARGO_PKG_VERSION")},
            "mode": if settings.allow_writes { "read-write" } else { "read-only" },
            "client": {
                "name": client.as_ref().map(|c| c.name.clone()),
                "version": client.as_ref().map(|c| c.version.clone()),
                "protocol_version": context.protocol_version().map(|v| v.to_string()),
                "supports_elicitation": supports_elicitation,
                "elicitation_note": if supports_elicitation {
                    "This client supports MCP elicitation: connect_server asks for credentials in a form, so they never enter the chat."
                } else {
                    "This client does not support MCP elicitation: connect_server needs the credentials as arguments, and they then stay in the chat history. Prefer the companion app or `novabackup-mcp login`."
                },
            },
            "presets": presets,
            "connected_servers": connected,
            "settings": {
                "operation_timeout_seconds": settings.operation_timeout.as_secs(),
                "request_timeout_seconds": settings.request_timeout.as_secs(),
                "request_timeout_variable": crate::settings::REQUEST_TIMEOUT_SECONDS,
                "fanout_concurrency": settings.fanout_concurrency,
                "allow_writes": settings.allow_writes,
                "allowed_tenant_ids": settings.allowed_tenant_ids,
                "log_level": settings.log_level,
                "servers_file": settings.servers_file,
                "credentials_file": settings.credentials_file,
                "write_tools": "none yet: every tool only reads",
            },
        });
        body["next_step"] = if connected.is_empty() {
            json!(NEXT_STEP)
        } else {
            json!(STATUS_STEP)
        };
        Ok(answer(body, None))
    }

    /// The configured servers: those connected (with their user and token expiry) and
    /// every preset with its state and last error.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_servers(&self) -> Result<CallToolResult, ErrorData> {
        self.settle().await;
        Ok(answer(
            json!({"connected": self.connected_servers(), "presets": self.presets()}),
            None,
        ))
    }

    /// A fresh check of one server or all: logs in anew (so it also proves the
    /// credentials) and reports up/down, auth ok/failed, latency and the error.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn server_health(
        &self,
        Parameters(args): Parameters<MaybeServer>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let latencies: Mutex<BTreeMap<ServerId, Duration>> = Mutex::default();
        let latencies = &latencies;
        let mut asking = self.asking(Admission::TryAgain);
        asking.login_wait = asking.login_wait.min(SETTLE);
        let asked = match self
            .fan_out_with(
                args.server_id.as_deref(),
                &context,
                asking,
                |id, client, deadline| async move {
                    let started = Instant::now();
                    let login = client.login(deadline).await;
                    if let Ok(mut latencies) = latencies.lock() {
                        latencies.insert(id, started.elapsed());
                    }
                    login.map(|_| ())
                },
            )
            .await
        {
            Ok(asked) => asked,
            Err(result) => return Ok(result),
        };
        let latencies = latencies.lock().map(|l| l.clone()).unwrap_or_default();
        let results: Vec<Value> = asked
            .outcomes
            .iter()
            .map(|outcome| {
                let member = self.estate().member(&outcome.server_id);
                let latency = latencies
                    .get(&outcome.server_id)
                    .map_or(0, |d| d.as_millis() as u64);
                let mut row = json!({
                    "server_id": outcome.server_id,
                    "label": member.as_ref().map(|m| m.label.clone()),
                    "base_url": member.as_ref().map(|m| m.base_url.clone()),
                    "latency_ms": latency,
                });
                match &outcome.result {
                    Ok(()) => {
                        row["status"] = json!("up");
                        row["auth"] = json!("ok");
                        row["error"] = Value::Null;
                    }
                    Err(miss) => {
                        let answered = matches!(
                            miss.state(),
                            ServerState::WrongPassword
                                | ServerState::NoPassword
                                | ServerState::Healthy
                        );
                        row["status"] = json!(if answered { "up" } else { "down" });
                        row["auth"] = json!("failed");
                        row["error"] = json!(miss.message());
                        row["kind"] = json!(miss.kind());
                    }
                }
                row
            })
            .collect();
        let mut body = json!({"results": results});
        body["_meta"] = crate::mcp::asking::meta_value(&asked.meta);
        Ok(CallToolResult::structured(body))
    }
}

impl NovaServer {
    /// Waits briefly for first logins still under way, so orientation answers say
    /// "connected" rather than "connecting" right after start-up.
    async fn settle(&self) {
        let deadline = Deadline::after(SETTLE);
        let members = self.estate().members();
        futures::future::join_all(members.iter().map(|m| m.settled(deadline))).await;
    }

    /// The connected servers, as `system_info` and `list_servers` give them (see
    /// [`connected_server`]).
    fn connected_servers(&self) -> Vec<Value> {
        self.estate()
            .members()
            .iter()
            .filter(|m| m.health().is_up())
            .map(|m| connected_server(m))
            .collect()
    }

    /// Every configured server with its state.
    fn presets(&self) -> Vec<Value> {
        self.estate()
            .members()
            .iter()
            .map(|m| {
                let health = m.health();
                json!({
                    "server_id": m.server_id,
                    "label": m.label,
                    "base_url": m.base_url,
                    "username": m.username,
                    "connected": health.is_up(),
                    "state": super::state_word(health.state()),
                    "credentials_from": m.source,
                    "error": health.failure.as_ref().map(|f| {
                        match Remedy::for_state(f.state).and_then(|r| advice(r, m.server_id.as_str())) {
                            Some(advice) => format!("{} {advice}", f.message),
                            None => f.message.clone(),
                        }
                    }),
                    "last_tried": health.last_tried.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
                })
            })
            .collect()
    }
}

/// A connected server as the tools show it: id, label, address, user, whether a token
/// is held and when it expires, and where the credentials came from.
pub(crate) fn connected_server(member: &Member) -> Value {
    let token = member.client().and_then(|c| c.token_info());
    json!({
        "server_id": member.server_id,
        "label": member.label,
        "base_url": member.base_url,
        "username": member.username,
        "has_jwt": token.is_some(),
        "jwt_expires_at": token.map(|t| t.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        "credentials_from": member.source,
    })
}
