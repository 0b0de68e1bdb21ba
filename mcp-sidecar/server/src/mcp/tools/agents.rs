//! Agents: the list (optionally with storage), one agent found on whichever server
//! has it, and an agent's devices.

use novabackup_core::insight::rows::{agent_row, inlines_devices, with_server_id};
use novabackup_core::{ApiError, Query};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use crate::mcp::asking::answer;
use crate::mcp::odata_args::{Defaults, ODataArgs};
use crate::mcp::server::NovaServer;

const GROUP_EXPAND: &str = "Group($select=GroupId,GroupName,TenantId)";
const GROUP_AND_DEVICES: &str = "Group($select=GroupId,GroupName,TenantId),Devices";

/// Arguments of `list_agents`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ListAgentsArgs {
    /// One configured server (see list_servers); omit to ask every configured server.
    pub server_id: Option<String>,
    /// Also return each agent's devices and `total_storage_bytes` (expands Devices;
    /// the total is null when no device reported a size).
    #[serde(default)]
    pub with_storage: bool,
    /// OData options (default `$top` 100, `$expand` the agent's Group with GroupId,
    /// GroupName, TenantId).
    #[serde(flatten)]
    pub odata: ODataArgs,
}

/// Arguments of `get_agent`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAgentArgs {
    /// The agent's AgentId.
    pub agent_id: i64,
    /// The server the agent is on; omit to ask every server at once and take the first that has it.
    pub server_id: Option<String>,
    /// Include the agent's devices (default true).
    pub include_devices: Option<bool>,
}

/// Arguments of `list_agent_devices`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AgentArgs {
    /// The server the agent is on.
    pub server_id: String,
    /// The agent's AgentId.
    pub agent_id: i64,
}

#[tool_router(router = agent_tools, vis = "pub(crate)")]
impl NovaServer {
    /// Lists backup agents (computers) with their group, tenant, connection and last
    /// backup status; fans out to every server unless server_id is given. Says
    /// `truncated: true` and the `$skip` that continues when more exist.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_agents(
        &self,
        Parameters(args): Parameters<ListAgentsArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args.odata.query(Defaults {
            top: 100,
            expand: Some(if args.with_storage {
                GROUP_AND_DEVICES
            } else {
                GROUP_EXPAND
            }),
            ..Defaults::default()
        })?;
        let with_devices = inlines_devices(args.with_storage, args.odata.expand.as_deref());
        Ok(self
            .list_tool(
                args.server_id.as_deref(),
                &context,
                "Agents",
                &query,
                "agents",
                |server_id, agent| agent_row(server_id, agent, with_devices),
            )
            .await)
    }

    /// One agent by AgentId, with its Group and (by default) Devices. Without
    /// server_id every server is asked at once and the first that has it answers.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_agent(
        &self,
        Parameters(args): Parameters<GetAgentArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let expand = if args.include_devices.unwrap_or(true) {
            "Group,Devices"
        } else {
            "Group"
        };
        let query = Query::new().expand(expand);
        let path = format!("Agents({})", args.agent_id);
        let (query, path) = (&query, path.as_str());
        if let Some(server_id) = args.server_id.as_deref().filter(|s| !s.trim().is_empty()) {
            return Ok(
                match self
                    .on_one(server_id, |client, deadline| async move {
                        client.get(path, query, deadline).await
                    })
                    .await
                {
                    Ok(agent) => answer(json!({"server_id": server_id, "agent": agent}), None),
                    Err(result) => result,
                },
            );
        }
        let found = self
            .first_hit(&context, |_, client, deadline| async move {
                match client.get(path, query, deadline).await {
                    Ok(agent) => Ok(Some(agent)),
                    Err(ApiError::NotFound { .. }) => Ok(None),
                    Err(ApiError::QueryRejected { .. }) => Ok(None),
                    Err(error) => Err(error),
                }
            })
            .await;
        Ok(match found {
            Ok((Some((server_id, agent)), meta)) => {
                answer(json!({"server_id": server_id, "agent": agent}), Some(&meta))
            }
            Ok((None, meta)) => {
                let mut result = answer(
                    json!({"error": format!("No configured server has an agent with AgentId {} visible to this user.", args.agent_id)}),
                    Some(&meta),
                );
                result.is_error = Some(true);
                result
            }
            Err(result) => result,
        })
    }

    /// An agent's devices (backup destinations), raw, with sizes where reported.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_agent_devices(
        &self,
        Parameters(args): Parameters<AgentArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let path = format!("Agents({})/Devices", args.agent_id);
        let path = path.as_str();
        Ok(
            match self
                .on_one(&args.server_id, |client, deadline| async move {
                    client.list_all(path, &Query::new(), 10_000, deadline).await
                })
                .await
            {
                Ok(page) => answer(
                    json!({
                        "server_id": args.server_id,
                        "agent_id": args.agent_id,
                        "devices": page.rows.iter().map(|d| with_server_id(&args.server_id, d)).collect::<Vec<_>>(),
                    }),
                    None,
                ),
                Err(result) => result,
            },
        )
    }
}
