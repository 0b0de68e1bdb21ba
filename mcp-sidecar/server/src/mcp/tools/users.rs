//! Management Server users (console accounts).

use novabackup_core::insight::rows::with_server_id;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::storage::ListArgs;
use crate::mcp::odata_args::Defaults;
use crate::mcp::server::NovaServer;

const USER_FIELDS: &str =
    "UserId,UserName,EmailAddress,Enabled,IsApproved,IsLockedOut,IsOnline,LastLoginDate,RoleId";

/// Arguments of `get_user`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UserArgs {
    /// The server the user is on.
    pub server_id: String,
    /// The UserId (a GUID or number, as list_users shows it).
    pub user_id: serde_json::Value,
}

#[tool_router(router = user_tools, vis = "pub(crate)")]
impl NovaServer {
    /// Console users: name, email, enabled/approved/locked/online, last login, role.
    /// Default `$select` those fields, `$orderby` UserName, `$top` 500.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_users(
        &self,
        Parameters(args): Parameters<ListArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args.odata.query(Defaults {
            top: 500,
            orderby: Some("UserName"),
            select: Some(USER_FIELDS),
            ..Defaults::default()
        })?;
        Ok(self
            .list_tool(
                args.server_id.as_deref(),
                &context,
                "Users",
                &query,
                "users",
                with_server_id,
            )
            .await)
    }

    /// One console user by UserId.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_user(
        &self,
        Parameters(args): Parameters<UserArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let key = match &args.user_id {
            serde_json::Value::String(text) => text.trim().to_owned(),
            other => other.to_string(),
        };
        let path = format!("Users({key})");
        Ok(self.entity_tool(&args.server_id, &path, "user").await)
    }
}
