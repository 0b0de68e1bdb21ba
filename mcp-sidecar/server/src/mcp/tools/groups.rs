//! Groups and tenants: the flat list and one server's tree.

use novabackup_core::Query;
use novabackup_core::insight::groups::hierarchy;
use novabackup_core::insight::rows::group_row;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use serde_json::json;

use super::OneServer;
use super::storage::ListArgs;
use crate::mcp::asking::answer;
use crate::mcp::odata_args::Defaults;
use crate::mcp::server::NovaServer;
use novabackup_core::insight::collection::read_collection;

#[tool_router(router = group_tools, vis = "pub(crate)")]
impl NovaServer {
    /// Groups (each belongs to a tenant, i.e. a customer, by TenantId), with parent
    /// and default flag. Default `$orderby` GroupName, `$top` 500.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_groups(
        &self,
        Parameters(args): Parameters<ListArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args.odata.query(Defaults {
            top: 500,
            orderby: Some("GroupName"),
            ..Defaults::default()
        })?;
        Ok(self
            .list_tool(
                args.server_id.as_deref(),
                &context,
                "Groups",
                &query,
                "groups",
                group_row,
            )
            .await)
    }

    /// One server's group tree: the root groups with nested `children` (group ids are
    /// per server, so server_id is required). Reads every group.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_group_hierarchy(
        &self,
        Parameters(args): Parameters<OneServer>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(
            match self
                .on_one(&args.server_id, |client, deadline| async move {
                    read_collection(&client, "Groups", &Query::new(), 100_000, deadline).await
                })
                .await
            {
                Ok(all) => answer(
                    json!({
                        "server_id": args.server_id,
                        "groups": hierarchy(&all.rows),
                        "groups_count": all.rows.len(),
                        "complete": all.complete,
                    }),
                    None,
                ),
                Err(result) => result,
            },
        )
    }
}
