//! Orientation: what this server is, which Management Servers are configured and
//! connected, and a fresh health check of each.

use std::time::{Duration, Instant};

use chrono::SecondsFormat;
use novabackup_core::Deadline;
use novabackup_core::estate::{Member, Phase};
use novabackup_core::fanout::{FanOutMeta, ServerFailure};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use serde_json::{Value, json};

use super::MaybeServer;
use crate::mcp::reach::{NEXT_STEP, answer};
use crate::mcp::server::NovaServer;

/// What to do next once a server is connected: the call for status questions.
const STATUS_STEP: &str = "To see whether backups worked (failures, warnings, computers not \
    backed up, and why), call get_backup_health: one call covers every server and customer.";

/// How long orientation tools wait for first logins still under way.
const SETTLE: Duration = Duration::from_secs(2);

#[tool_router(router = orientation_tools, vis = "pub(crate)")]
impl NovaServer {
    /// The first call to make: mode, the MCP client (with the protocol revision it
    /// speaks) and whether it supports elicitation, the configured servers and which are connected, the settings in
    /// force, and what to do when nothing is connected.
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
    ) -> Result<CallToolResult, ErrorData> {
        let members = match args
            .server_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(id) => match self
                .estate()
                .members()
                .into_iter()
                .find(|m| m.server_id.as_str() == id)
            {
                Some(member) => vec![member],
                None => {
                    return Ok(crate::mcp::reach::failure(
                        &format!(
                            "No server with server_id \"{id}\" is configured. Call list_servers."
                        ),
                        json!({"server_id": id}),
                    ));
                }
            },
            None => self.estate().members(),
        };
        let deadline = self.deadline();
        let checks = members.iter().map(|member| async move {
            let settled = member.settled(deadline.capped(SETTLE)).await;
            let started = Instant::now();
            let outcome = if settled.phase == Phase::Parked && member.client().is_none() {
                Err((
                    "no_credentials".to_owned(),
                    settled.failure.map(|f| f.message).unwrap_or_default(),
                ))
            } else {
                member
                    .login_now(deadline)
                    .await
                    .map_err(|e| (e.kind().to_owned(), e.to_string()))
            };
            let latency = started.elapsed().as_millis() as u64;
            (member, outcome, latency)
        });
        let checks = futures::future::join_all(checks).await;
        let mut errors = Vec::new();
        let results: Vec<Value> = checks
            .into_iter()
            .map(|(member, outcome, latency)| match outcome {
                Ok(()) => json!({
                    "server_id": member.server_id, "label": member.label, "base_url": member.base_url,
                    "status": "up", "auth": "ok", "latency_ms": latency, "error": null,
                }),
                Err((kind, message)) => {
                    let auth_failed = matches!(kind.as_str(), "invalid_credentials" | "no_credentials" | "keychain_unavailable");
                    errors.push(ServerFailure {
                        server_id: member.server_id.clone(),
                        kind: kind.clone(),
                        message: message.clone(),
                        last_tried: member.health().last_tried,
                    });
                    json!({
                        "server_id": member.server_id, "label": member.label, "base_url": member.base_url,
                        "status": if auth_failed { "up" } else { "down" },
                        "auth": "failed",
                        "latency_ms": latency, "error": message, "kind": kind,
                    })
                }
            })
            .collect();
        let meta = FanOutMeta {
            servers_queried: results.len(),
            servers_succeeded: results.len() - errors.len(),
            servers_failed: errors.len(),
            partial: !errors.is_empty(),
            errors,
        };
        let mut body = json!({"results": results});
        body["_meta"] = crate::mcp::reach::meta_value(&meta);
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
                    "state": health.state(),
                    "credentials_from": m.source,
                    "error": health.failure.as_ref().map(|f| f.message.clone()),
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
