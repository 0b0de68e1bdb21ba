//! Storage: summaries over every agent's devices, cloud storage accounts reconciled
//! with the S3 devices that use them, and the account and storage-server lists.

use novabackup_core::insight::csa::{AccountOnServer, reconcile};
use novabackup_core::insight::rows::csa_row;
use novabackup_core::insight::storage::{AgentOnServer, GroupBy, summarize, tenant_names};
use novabackup_core::{ApiError, Query, ServerId};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::mcp::asking::{answer, failure};
use crate::mcp::odata_args::{Defaults, ODataArgs};
use crate::mcp::server::NovaServer;
use novabackup_core::insight::collection::read_collection;

/// The most agents or accounts read from one server for a summary.
const MAX_ROWS: usize = 200_000;
const AGENT_STORAGE_EXPAND: &str = "Group($select=GroupId,GroupName,TenantId),Devices";
/// The root groups, which name the customers (tenants).
const ROOT_GROUPS_FILTER: &str = "ParentGroupId eq null";

/// Arguments of `summarize_storage_usage`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct StorageArgs {
    /// One configured server; omit to cover every configured server.
    pub server_id: Option<String>,
    /// What to total by: `agent` (default), `tenant`, `device_type` or `server`.
    #[serde(default)]
    pub group_by: GroupBy,
    /// Keep only the largest N lines (1..500); totals always cover everything.
    #[schemars(range(min = 1, max = 500))]
    pub top: Option<usize>,
    /// List each line's devices too.
    #[serde(default)]
    pub include_devices: bool,
}

/// Arguments of `summarize_csa_usage`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct CsaUsageArgs {
    /// One configured server; omit to cover every configured server.
    pub server_id: Option<String>,
    /// List S3 devices that no listed cloud storage account explains (default true).
    pub include_orphaned_devices: Option<bool>,
}

/// Arguments of list tools with only a server and OData options.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ListArgs {
    /// One configured server (see list_servers); omit to ask every configured server.
    pub server_id: Option<String>,
    /// OData options forwarded to the server.
    #[serde(flatten)]
    pub odata: ODataArgs,
}

/// Arguments of `get_cloud_storage_account`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CsaArgs {
    /// The server the account is on.
    pub server_id: String,
    /// The account's CloudStorageAccountId.
    pub cloud_storage_account_id: i64,
}

/// Arguments of `get_storage_server`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct StorageServerArgs {
    /// The configured server to ask.
    pub server_id: String,
    /// The StorageServerId.
    pub storage_server_id: i64,
}

#[tool_router(router = storage_tools, vis = "pub(crate)")]
impl NovaServer {
    /// Storage used per agent, tenant, device type or server, largest first, over
    /// every agent (all pages read), with totals and a note when devices have not
    /// reported a size.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn summarize_storage_usage(
        &self,
        Parameters(args): Parameters<StorageArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        if args.top.is_some_and(|top| !(1..=500).contains(&top)) {
            return Err(ErrorData::invalid_params("top must be 1..500", None));
        }
        let query = Query::new().expand(AGENT_STORAGE_EXPAND);
        let query = &query;
        let by_tenant = args.group_by == GroupBy::Tenant;
        let answers = match self
            .fan_out(
                args.server_id.as_deref(),
                &context,
                |_, client, deadline| async move {
                    let agents = read_collection(&client, "Agents", query, MAX_ROWS, deadline);
                    if !by_tenant {
                        return Ok::<_, ApiError>((agents.await?, None));
                    }
                    let root_groups = Query::new()
                        .filter(ROOT_GROUPS_FILTER)
                        .select("GroupId,GroupName,TenantId,ParentGroupId");
                    let groups =
                        read_collection(&client, "Groups", &root_groups, MAX_ROWS, deadline);
                    let (agents, groups) = futures::future::join(agents, groups).await;
                    Ok((agents?, Some(groups?)))
                },
            )
            .await
        {
            Ok(answers) => answers,
            Err(result) => return Ok(result),
        };
        let agents = agents_on_servers(&answers.results, |(agents, _)| &agents.rows);
        let names = tenant_names(
            answers
                .results
                .iter()
                .filter_map(|(_, (_, groups))| groups.as_ref())
                .flat_map(|groups| groups.rows.iter()),
        );
        let mut body = summarize(
            &agents,
            args.group_by,
            args.top,
            args.include_devices,
            &names,
        );
        body["complete"] = json!(answers.results.iter().all(|(_, (agents, groups))| {
            agents.complete && groups.as_ref().is_none_or(|groups| groups.complete)
        }));
        Ok(answer(body, Some(&answers.meta)))
    }

    /// Each cloud storage account's used bytes against the S3 devices its agents
    /// report (one entry per device with its agent, the difference), plus orphaned S3
    /// devices with no account or one not in the list. Covers every agent and account.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn summarize_csa_usage(
        &self,
        Parameters(args): Parameters<CsaUsageArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let answers = match self
            .fan_out(
                args.server_id.as_deref(),
                &context,
                |_, client, deadline| async move {
                    let account_query = Query::new();
                    let accounts = read_collection(
                        &client,
                        "CloudStorageAccounts",
                        &account_query,
                        MAX_ROWS,
                        deadline,
                    );
                    let agent_query = Query::new().expand("Devices");
                    let agents =
                        read_collection(&client, "Agents", &agent_query, MAX_ROWS, deadline);
                    let (accounts, agents) = futures::future::join(accounts, agents).await;
                    Ok::<_, ApiError>((accounts?, agents?))
                },
            )
            .await
        {
            Ok(answers) => answers,
            Err(result) => return Ok(result),
        };
        let accounts: Vec<AccountOnServer<'_>> = answers
            .results
            .iter()
            .flat_map(|(id, (accounts, _))| {
                accounts.rows.iter().map(move |account| AccountOnServer {
                    server_id: id.as_str(),
                    account,
                })
            })
            .collect();
        let agents = agents_on_servers(&answers.results, |(_, agents)| &agents.rows);
        let mut body = reconcile(
            &accounts,
            &agents,
            args.include_orphaned_devices.unwrap_or(true),
        );
        body["complete"] = json!(
            answers
                .results
                .iter()
                .all(|(_, (a, b))| a.complete && b.complete)
        );
        Ok(answer(body, Some(&answers.meta)))
    }

    /// Cloud storage accounts (storage quotas of end users): user, used bytes and when
    /// that figure was calculated, licence key. Default `$top` 200.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_cloud_storage_accounts(
        &self,
        Parameters(args): Parameters<ListArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args.odata.query(Defaults {
            top: 200,
            ..Defaults::default()
        })?;
        Ok(self
            .list_tool(
                args.server_id.as_deref(),
                &context,
                "CloudStorageAccounts",
                &query,
                "cloud_storage_accounts",
                csa_row,
            )
            .await)
    }

    /// One cloud storage account by CloudStorageAccountId (raw entity).
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_cloud_storage_account(
        &self,
        Parameters(args): Parameters<CsaArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = Query::new().filter(format!(
            "CloudStorageAccountId eq {}",
            args.cloud_storage_account_id
        ));
        let query = &query;
        Ok(
            match self
                .on_one(&args.server_id, |client, deadline| async move {
                    client.list("CloudStorageAccounts", query, deadline).await
                })
                .await
            {
                Ok(page) => match page.rows.into_iter().next() {
                    Some(account) => answer(
                        json!({"server_id": args.server_id, "cloud_storage_account": account}),
                        None,
                    ),
                    None => failure(
                        &format!(
                            "No cloud storage account {} on {} is visible to this user.",
                            args.cloud_storage_account_id, args.server_id
                        ),
                        json!({"server_id": args.server_id}),
                    ),
                },
                Err(result) => result,
            },
        )
    }

    /// Storage servers (where cloud storage accounts live), raw. Default `$top` 100.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_storage_servers(
        &self,
        Parameters(args): Parameters<ListArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args.odata.query(Defaults {
            top: 100,
            ..Defaults::default()
        })?;
        Ok(self
            .list_tool(
                args.server_id.as_deref(),
                &context,
                "StorageServers",
                &query,
                "storage_servers",
                |server_id, row| json!({"server_id": server_id, "storage_server": row}),
            )
            .await)
    }

    /// One storage server by StorageServerId.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_storage_server(
        &self,
        Parameters(args): Parameters<StorageServerArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let path = format!("StorageServers({})", args.storage_server_id);
        Ok(self
            .entity_tool(&args.server_id, &path, "storage_server")
            .await)
    }
}

/// Every agent each server answered with, tagged with that server; `rows` picks the
/// agents out of a server's result.
fn agents_on_servers<'a, T>(
    results: &'a [(ServerId, T)],
    rows: impl Fn(&'a T) -> &'a Vec<Value>,
) -> Vec<AgentOnServer<'a>> {
    results
        .iter()
        .flat_map(|(server_id, result)| {
            rows(result).iter().map(move |agent| AgentOnServer {
                server_id: server_id.as_str(),
                agent,
            })
        })
        .collect()
}
