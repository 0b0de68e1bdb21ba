//! The MCP server value: shared state, the combined tool router, server info, and the
//! audit line around every tool call. Every protocol revision rmcp knows is offered:
//! 2026-07-28 (discovery without `initialize`, per-request metadata) and the 2025 and
//! 2024 revisions through the `initialize` handshake.

use std::sync::Arc;
use std::time::Instant;

use novabackup_core::digest::LogMemory;
use novabackup_core::estate::Estate;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListResourcesResult, ListToolsResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities,
    ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, prompt_handler, tool_handler};

use super::{apps, audit};
use crate::settings::Settings;

/// The NovaBACKUP MCP server: every tool and prompt over one estate of servers.
#[derive(Clone)]
pub struct NovaServer {
    shared: Arc<Shared>,
    tool_router: ToolRouter<NovaServer>,
    prompt_router: PromptRouter<NovaServer>,
}

struct Shared {
    estate: Arc<Estate>,
    settings: Settings,
    /// The first problem lines of logs already read, so that asking about the backups
    /// again reads each finished run's log once.
    logs: LogMemory,
}

impl NovaServer {
    /// A server over `estate` with `settings`.
    pub fn new(estate: Arc<Estate>, settings: Settings) -> Self {
        Self {
            shared: Arc::new(Shared {
                estate,
                settings,
                logs: LogMemory::new(),
            }),
            tool_router: Self::orientation_tools()
                + Self::connection_tools()
                + Self::agent_tools()
                + Self::storage_tools()
                + Self::group_tools()
                + Self::job_tools()
                + Self::user_tools()
                + Self::health_tools(),
            prompt_router: Self::prompt_router(),
        }
    }

    /// The configured servers and their live state.
    pub fn estate(&self) -> &Arc<Estate> {
        &self.shared.estate
    }

    /// The validated settings.
    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// The first problem lines of the logs read so far.
    pub fn log_memory(&self) -> &LogMemory {
        &self.shared.logs
    }
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for NovaServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new(
            "novabackup-mcp",
            env!("CARGO_PKG_VERSION"),
        ))
        .with_instructions(
            "Reads NovaBACKUP Management Servers for an MSP: agents, storage, cloud storage \
             accounts, groups and tenants, jobs and their history, users. For any question \
             about whether backups worked (failures, warnings, computers not backed up, why), \
             call get_backup_health first: one call covers every server and customer, with \
             exact counts and the causes grouped. Start with system_info to see what is \
             connected. List tools fan out to every configured server unless server_id is \
             given; every answer's _meta says which servers answered and why others did not.",
        )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(apps::tool_list(self.tool_router.list_all(), &context))
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        Ok(apps::resource_list(context.client_capabilities().as_ref()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        apps::read_resource(&request.uri).map(Into::into)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let started = Instant::now();
        let tool = request.name.to_string();
        let hash = audit::arguments_hash(request.arguments.as_ref());
        let cancelled = context.ct.clone();
        let call = ToolCallContext::new(self, request, context);
        // Dropping the tool's future on cancellation drops its HTTP requests with it.
        let response = tokio::select! {
            response = self.tool_router.call(call) => response,
            () = cancelled.cancelled() => Err(ErrorData::internal_error("the tool call was cancelled", None)),
        };
        let (status, partial) = match &response {
            Ok(CallToolResponse::Complete(result)) => audit::outcome(result),
            Ok(CallToolResponse::InputRequired(_)) => ("input_required", false),
            Ok(_) => ("ok", false),
            Err(_) => ("error", false),
        };
        audit::record(&tool, &hash, started.elapsed(), status, partial);
        response
    }
}
