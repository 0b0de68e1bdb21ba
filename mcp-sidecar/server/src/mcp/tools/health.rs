//! `get_backup_health`: the backup-health digest of the core, one server's share per
//! server through the fan-out, combined; the text is the bounded report, the
//! structured content the whole digest.

use chrono::{DateTime, Utc};
use novabackup_core::digest::{Advice, DigestRequest, Period, combine, gather, report};
use novabackup_core::insight::window::Window;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::mcp::server::NovaServer;

/// How the report tells a model to see more, in this server's tools.
const ADVICE: Advice = Advice {
    one_customer: "call get_backup_health with that server_id and tenant_id (max_failing_runs up \
        to 1000 lists every failing run)",
    one_log: "call get_job_run_log with server_id and job_id = the run's job_log_id",
    more_logs: "call get_backup_health with a larger max_logs (up to 1000), or for one customer",
    whole: "The structured content holds the whole digest: every customer, failing run, stale \
        agent and cause.",
};

/// Arguments of `get_backup_health`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct HealthArgs {
    /// How far back to look: `24h` (the default: last night's backups), `7d` or `30d`.
    /// Leave it out when giving `since`.
    pub window: Option<Window>,
    /// Instead of a window: runs that started at or after this moment, as an ISO 8601
    /// date or date-time (`2026-04-22`, `2026-04-22T06:00:00Z`; UTC when no zone).
    pub since: Option<String>,
    /// One configured server (see list_servers); omit to cover every server.
    pub server_id: Option<String>,
    /// One customer: its tenant id (a `tenant_id` from this tool or list_groups); omit
    /// to cover every customer.
    pub tenant_id: Option<String>,
    /// Hours without a successful backup after which a computer counts as stale
    /// (default 48, 1 to 8760).
    #[schemars(range(min = 1, max = 8760))]
    pub stale_hours: Option<u32>,
    /// Failing runs listed per customer, newest first (default 20, 0 to 1000); the
    /// counts are exact whatever this is.
    #[schemars(range(min = 0, max = 1000))]
    pub max_failing_runs: Option<usize>,
    /// Run logs read per server to find each failure's first error line (default 50,
    /// 0 to 1000): every computer's newest failure first.
    #[schemars(range(min = 0, max = 1000))]
    pub max_logs: Option<usize>,
}

impl HealthArgs {
    /// The digest request these arguments ask for at `now`, checked.
    fn request(&self, now: DateTime<Utc>) -> Result<DigestRequest, String> {
        let window = self.window.map(|w| w.as_str());
        let period = Period::parse(window, self.since.as_deref()).map_err(|e| e.to_string())?;
        let mut request = DigestRequest::new(period, now);
        request.tenant_id = self
            .tenant_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if let Some(hours) = self.stale_hours {
            request.stale_hours = hours;
        }
        if let Some(max) = self.max_failing_runs {
            request.max_failing_runs = max;
        }
        if let Some(max) = self.max_logs {
            request.max_logs = max;
        }
        request.validate().map_err(|e| e.to_string())?;
        Ok(request)
    }
}

#[tool_router(router = health_tools, vis = "pub(crate)")]
impl NovaServer {
    /// Did the backups work, for every customer, and if not, why? One call answers the
    /// morning question for a window (default the last 24 h): per customer (worst
    /// first) exact run counts by status, the failing runs with the first error line
    /// of their logs, the computers with no successful backup for stale_hours, and a
    /// verdict (failing, warning, ok); the causes grouped across customers; totals;
    /// complete: true, or false with each reason. Start here for any status question.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_backup_health(
        &self,
        Parameters(args): Parameters<HealthArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let request = args
            .request(Utc::now())
            .map_err(|message| ErrorData::invalid_params(message, None))?;
        let asked = &request;
        let memory = self.log_memory();
        let gathered = match self
            .fan_out(
                args.server_id.as_deref(),
                &context,
                |server_id, client, deadline| async move {
                    gather(server_id, &client, asked, deadline, memory).await
                },
            )
            .await
        {
            Ok(gathered) => gathered,
            Err(result) => return Ok(result),
        };
        let digest = combine(
            &request,
            gathered.results.into_iter().map(|(_, part)| part),
            gathered.meta,
        );
        let text = report(&digest, &ADVICE);
        let structured = serde_json::to_value(&digest).map_err(|error| {
            ErrorData::internal_error(format!("the digest did not serialise: {error}"), None)
        })?;
        let nothing_answered = digest.meta.servers_succeeded == 0;
        let mut result = if nothing_answered {
            CallToolResult::error(vec![ContentBlock::text(text)])
        } else {
            CallToolResult::success(vec![ContentBlock::text(text)])
        };
        result.structured_content = Some(structured);
        Ok(result)
    }
}
