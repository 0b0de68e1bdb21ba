//! The arguments of the job and history tools.

use novabackup_core::insight::runlog::LogMode;
use novabackup_core::insight::window::Window;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::mcp::odata_args::ODataArgs;

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
    pub fn matches(&self, value: &Value) -> bool {
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
