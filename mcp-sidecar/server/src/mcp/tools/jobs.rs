//! Jobs and their history: an agent's jobs and backup sources, the run history with
//! triage, exact per-status summaries, and one run's log.

use chrono::Utc;
use novabackup_core::insight::rows::run_row;
use novabackup_core::insight::runlog::{LogMode, view};
use novabackup_core::insight::window::Window;
use novabackup_core::{ApiError, Query};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::mcp::odata_args::{Defaults, ODataArgs};
use crate::mcp::reach::{answer, failure, meta_value};
use crate::mcp::server::NovaServer;
use crate::mcp::tally::tally_runs;

/// Arguments of `list_jobs_for_agent`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AgentJobsArgs {
    /// The server the agent is on.
    pub server_id: String,
    /// The agent's AgentId.
    pub agent_id: i64,
    /// OData options (default `$top` 200).
    #[serde(flatten)]
    pub odata: ODataArgs,
}

/// Which job an identifier names.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A job defined in the console: the identifier is its JobId.
    #[default]
    Managed,
    /// A job defined on the agent (no JobId): the identifier is its ScheduleId.
    Unmanaged,
}

/// A job identifier: a number (JobId) or a text (ScheduleId, often a GUID).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Identifier {
    /// A numeric id.
    Number(i64),
    /// A text id.
    Text(String),
}

impl Identifier {
    /// Whether a field of a job holds this identifier.
    fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Identifier::Number(n), Value::Number(v)) => v.as_i64() == Some(*n),
            (Identifier::Number(n), Value::String(v)) => v.trim() == n.to_string(),
            (Identifier::Text(t), Value::String(v)) => v.trim().eq_ignore_ascii_case(t.trim()),
            (Identifier::Text(t), Value::Number(v)) => t.trim() == v.to_string(),
            _ => false,
        }
    }
}

impl std::fmt::Display for Identifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Identifier::Number(n) => write!(f, "{n}"),
            Identifier::Text(t) => f.write_str(t),
        }
    }
}

/// Arguments of `get_job`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetJobArgs {
    /// The server the agent is on.
    pub server_id: String,
    /// The agent's AgentId.
    pub agent_id: i64,
    /// The JobId (kind `managed`, a number) or ScheduleId (kind `unmanaged`, as
    /// list_jobs_for_agent shows it).
    pub identifier: Identifier,
    /// `managed` (default): identifier is a JobId; `unmanaged`: a ScheduleId of a job with no JobId.
    #[serde(default)]
    pub kind: JobKind,
}

/// Arguments of `list_backup_sources`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SourcesArgs {
    /// The server the agent is on.
    pub server_id: String,
    /// The agent's AgentId.
    pub agent_id: i64,
    /// A folder on the agent to list (e.g. `C:\Users`); omit for the root volumes.
    pub path: Option<String>,
}

/// Which runs to list.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    /// Every run.
    #[default]
    All,
    /// Runs of console-defined jobs (JobId set).
    Managed,
    /// Runs of agent-defined jobs (no JobId).
    Unmanaged,
}

/// Arguments of `list_job_history`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct HistoryArgs {
    /// One configured server; omit to ask every configured server.
    pub server_id: Option<String>,
    /// `all` (default), `managed` (JobId set) or `unmanaged` (no JobId).
    #[serde(default)]
    pub kind: HistoryKind,
    /// OData options (default `$top` 200, `$orderby` StartDateTime desc, `$expand` the
    /// Agent's id and names). Status codes: 0 pending, 1 success, 2 warning,
    /// 3 cancelled, 4 failed, 5 running, 6 queued.
    #[serde(flatten)]
    pub odata: ODataArgs,
}

/// Arguments of `get_job_history_summary`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct SummaryArgs {
    /// One configured server; omit to summarize every configured server.
    pub server_id: Option<String>,
    /// How far back: `24h` (default), `7d` or `30d`.
    #[serde(default)]
    pub window: Window,
}

/// Arguments of `get_job_run_log`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RunLogArgs {
    /// The server the run is on.
    pub server_id: String,
    /// The run's log key: `job_log_id` in list_job_history (the JobLogId).
    pub job_id: i64,
    /// `summary` (default: all warnings and errors, the last 5 informational lines and
    /// a verdict), `warnings`, `errors`, `tail` (the last tail_count) or `full`.
    #[serde(default)]
    pub mode: LogMode,
    /// Messages for `tail` (default 20, max 500).
    #[schemars(range(min = 1, max = 500))]
    pub tail_count: Option<usize>,
    /// Most messages for `full` (default 1000, max 5000; the last ones are kept).
    #[schemars(range(min = 1, max = 5000))]
    pub full_max: Option<usize>,
}

#[tool_router(router = job_tools, vis = "pub(crate)")]
impl NovaServer {
    /// An agent's jobs, managed (JobId) and agent-defined (JobId null, ScheduleId set),
    /// raw. Default `$top` 200.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_jobs_for_agent(
        &self,
        Parameters(args): Parameters<AgentJobsArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let query = args.odata.query(Defaults {
            top: 200,
            ..Defaults::default()
        })?;
        let path = format!("Agents({})/Jobs", args.agent_id);
        let (query, path) = (&query, path.as_str());
        Ok(
            match self
                .on_one(&args.server_id, |client, deadline| async move {
                    client.list(path, query, deadline).await
                })
                .await
            {
                Ok(page) => answer(
                    json!({
                        "server_id": args.server_id,
                        "agent_id": args.agent_id,
                        "jobs": page.rows,
                        "truncated": page.more,
                        "next_skip": page.next_skip,
                    }),
                    None,
                ),
                Err(result) => result,
            },
        )
    }

    /// One job of an agent: by JobId (managed) or ScheduleId (unmanaged).
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_job(
        &self,
        Parameters(args): Parameters<GetJobArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let path = format!("Agents({})/Jobs", args.agent_id);
        let path = path.as_str();
        let field = match args.kind {
            JobKind::Managed => "JobId",
            JobKind::Unmanaged => "ScheduleId",
        };
        Ok(
            match self
                .on_one(&args.server_id, |client, deadline| async move {
                    client.list_all(path, &Query::new(), 10_000, deadline).await
                })
                .await
            {
                Ok(page) => {
                    let job = page
                        .rows
                        .into_iter()
                        .find(|job| args.identifier.matches(&job[field]));
                    match job {
                        Some(job) => answer(
                            json!({"server_id": args.server_id, "agent_id": args.agent_id, "job": job}),
                            None,
                        ),
                        None => failure(
                            &format!(
                                "Agent {} on {} has no job with {field} {}. Call list_jobs_for_agent to see its jobs \
                             (agent-defined jobs have no JobId: use kind unmanaged with their ScheduleId).",
                                args.agent_id, args.server_id, args.identifier
                            ),
                            json!({"server_id": args.server_id}),
                        ),
                    }
                }
                Err(result) => result,
            },
        )
    }

    /// What an agent can back up: root volumes, or the entries under `path`.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_backup_sources(
        &self,
        Parameters(args): Parameters<SourcesArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let mut query = Query::new();
        if let Some(path) = args.path.as_deref().filter(|p| !p.is_empty()) {
            query = query.param("path", path);
        }
        let path = format!("Agents({})/BackupSources", args.agent_id);
        let (query, api_path) = (&query, path.as_str());
        Ok(
            match self
                .on_one(&args.server_id, |client, deadline| async move {
                    client.list(api_path, query, deadline).await
                })
                .await
            {
                Ok(page) => answer(
                    json!({"server_id": args.server_id, "agent_id": args.agent_id, "path": args.path, "sources": page.rows}),
                    None,
                ),
                Err(result) => result,
            },
        )
    }

    /// Job runs with status label, duration and a triage characterization
    /// (warning_partial, warning_no_data, failed_after_partial, failed_immediate).
    /// `job_log_id` is the key for get_job_run_log. Default `$top` 200, newest first.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn list_job_history(
        &self,
        Parameters(args): Parameters<HistoryArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let mut odata = args.odata.clone();
        let kind_filter = match args.kind {
            HistoryKind::All => None,
            HistoryKind::Managed => Some("JobId ne null"),
            HistoryKind::Unmanaged => Some("JobId eq null"),
        };
        odata.filter = match (
            odata
                .filter
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty()),
            kind_filter,
        ) {
            (Some(user), Some(kind)) => Some(format!("({user}) and {kind}")),
            (Some(user), None) => Some(user.to_owned()),
            (None, kind) => kind.map(str::to_owned),
        };
        let query = odata.query(Defaults {
            top: 200,
            orderby: Some("StartDateTime desc"),
            expand: Some("Agent($select=AgentId,FriendlyName,MachineName)"),
            ..Defaults::default()
        })?;
        Ok(self
            .list_tool(
                args.server_id.as_deref(),
                &context,
                "JobHistories",
                &query,
                "history",
                run_row,
            )
            .await)
    }

    /// Exact run counts per status over a window (24h, 7d, 30d) for each server,
    /// counted by the server (`$count`), so they hold at any size: `complete: true`.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_job_history_summary(
        &self,
        Parameters(args): Parameters<SummaryArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let window = args.window;
        let since = window.since_literal(Utc::now());
        let since_ref = since.as_str();
        let gathered = match self
            .fan_out(
                args.server_id.as_deref(),
                &context,
                |_, client, deadline| async move { tally_runs(&client, since_ref, deadline).await },
            )
            .await
        {
            Ok(gathered) => gathered,
            Err(result) => return Ok(result),
        };
        let mut summaries: Vec<Value> = gathered
            .results
            .into_iter()
            .map(|(server_id, mut summary)| {
                let mut entry =
                    json!({"server_id": server_id, "window": window.as_str(), "since": since});
                if let (Value::Object(out), Value::Object(fields)) = (&mut entry, summary.take()) {
                    out.extend(fields);
                }
                entry
            })
            .collect();
        for error in &gathered.meta.errors {
            summaries.push(
                json!({"server_id": error.server_id, "error": error.message, "kind": error.kind}),
            );
        }
        let mut body = json!({"window": window.as_str(), "since": since, "summaries": summaries});
        body["_meta"] = meta_value(&gathered.meta);
        let nothing = gathered.meta.servers_succeeded == 0;
        Ok(if nothing {
            CallToolResult::structured_error(body)
        } else {
            CallToolResult::structured(body)
        })
    }

    /// One run's log, by its log key (`job_log_id` from list_job_history): counts by
    /// type and, per mode, a summary, only warnings or errors, the tail, or the whole
    /// log capped. A log that is not available is an answer with `available: false`.
    #[tool(annotations(read_only_hint = true, open_world_hint = true))]
    async fn get_job_run_log(
        &self,
        Parameters(args): Parameters<RunLogArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let tail_count = args.tail_count.unwrap_or(20);
        let full_max = args.full_max.unwrap_or(1000);
        if !(1..=500).contains(&tail_count) || !(1..=5000).contains(&full_max) {
            return Err(ErrorData::invalid_params(
                "tail_count must be 1..500 and full_max 1..5000",
                None,
            ));
        }
        let path = format!("JobHistories({})/Log", args.job_id);
        let path = path.as_str();
        let outcome = self
            .on_one(&args.server_id, |client, deadline| async move {
                match client.get(path, &Query::new(), deadline).await {
                    Ok(log) => Ok(Some(log)),
                    Err(ApiError::NotFound { .. }) => Ok(None),
                    Err(ApiError::ServerError {
                        status: 502 | 503, ..
                    }) => Ok(None),
                    Err(error) => Err(error),
                }
            })
            .await;
        Ok(match outcome {
            Ok(Some(log)) => {
                let mut body =
                    json!({"server_id": args.server_id, "job_id": args.job_id, "available": true});
                if let (Value::Object(out), Value::Object(fields)) =
                    (&mut body, view(&log, args.mode, tail_count, full_max))
                {
                    out.extend(fields);
                }
                answer(body, None)
            }
            Ok(None) => answer(
                json!({
                    "server_id": args.server_id,
                    "job_id": args.job_id,
                    "available": false,
                    "hint": "No log is available for this run: it may not have run yet (pending or queued), \
                             the id may not be a run's log key (use job_log_id from list_job_history), \
                             or the server could not fetch it from the agent right now.",
                }),
                None,
            ),
            Err(result) => result,
        })
    }
}
