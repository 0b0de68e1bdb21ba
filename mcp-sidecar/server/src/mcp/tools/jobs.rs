//! Jobs and their history: an agent's jobs and backup sources, the run history with
//! triage, exact per-status summaries, and one run's log.

use chrono::Utc;
use novabackup_core::insight::rows::run_row;
use novabackup_core::insight::runlog::view;
use novabackup_core::{ApiError, Query};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use serde_json::{Value, json};

use super::job_args::{
    AgentJobsArgs, GetJobArgs, HistoryArgs, HistoryKind, JobKind, RunLogArgs, SourcesArgs,
    SummaryArgs,
};
use crate::mcp::asking::{answer, failure, meta_value};
use crate::mcp::odata_args::Defaults;
use crate::mcp::server::NovaServer;
use novabackup_core::insight::run_counts::count_runs_since;

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
        let answers = match self
            .fan_out(
                args.server_id.as_deref(),
                &context,
                |_, client, deadline| async move {
                    count_runs_since(&client, since_ref, deadline).await
                },
            )
            .await
        {
            Ok(answers) => answers,
            Err(result) => return Ok(result),
        };
        let mut summaries: Vec<Value> = answers
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
        for error in &answers.meta.errors {
            summaries.push(
                json!({"server_id": error.server_id, "error": error.message, "kind": error.kind}),
            );
        }
        let mut body = json!({"window": window.as_str(), "since": since, "summaries": summaries});
        body["_meta"] = meta_value(&answers.meta);
        let nothing = answers.meta.servers_succeeded == 0;
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
