//! The four MSP workflow prompts: each tells the model which tools to call, in what
//! order, and what to report.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{PromptMessage, Role};
use rmcp::{ErrorData, prompt, prompt_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::server::NovaServer;

/// Arguments of `diagnose_failing_jobs`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct WindowArgs {
    /// How far back to look: 24h (default), 7d or 30d.
    pub window: Option<String>,
}

/// Arguments of `find_stale_agents`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct DaysArgs {
    /// Days without activity after which an agent counts as stale (default 7).
    pub days: Option<String>,
}

fn user(text: String) -> Vec<PromptMessage> {
    vec![PromptMessage::new_text(Role::User, text)]
}

#[prompt_router(vis = "pub(crate)")]
impl NovaServer {
    /// Find the job failures of a window across every server, group them by likely
    /// root cause and say what to do.
    #[prompt(name = "diagnose_failing_jobs")]
    async fn diagnose_failing_jobs(
        &self,
        Parameters(args): Parameters<WindowArgs>,
    ) -> Result<Vec<PromptMessage>, ErrorData> {
        let window = args.window.unwrap_or_else(|| "24h".to_owned());
        if !matches!(window.as_str(), "24h" | "7d" | "30d") {
            return Err(ErrorData::invalid_params(
                "window must be 24h, 7d or 30d",
                None,
            ));
        }
        Ok(user(format!(
            "Diagnose failing NovaBACKUP jobs over the last {window}.\n\
             1. Call system_info to see which Management Servers are connected.\n\
             2. Call get_job_history_summary with window \"{window}\" for per-server counts by status.\n\
             3. Call list_job_history with $filter \"Status ne 1 and StartDateTime ge <the since value from step 2>\" \
             (follow next_skip when truncated) to get the failing, warning and cancelled runs.\n\
             4. Add context: the agents (get_agent or list_agents) and their tenants (list_groups: TenantId).\n\
             5. Group the failures by likely root cause, using the characterization field \
             (failed_immediate, failed_after_partial, warning_no_data, warning_partial) and, for a few \
             representative runs, get_job_run_log in summary mode.\n\
             Report the top 3 to 5 causes, each with the affected agents and tenants and what to do. \
             Say which servers did not answer (from _meta.errors)."
        )))
    }

    /// Audit cloud storage: totals per tenant, the largest accounts, stale usage
    /// figures and fast growth.
    #[prompt(name = "audit_cloud_storage_usage")]
    async fn audit_cloud_storage_usage(&self) -> Result<Vec<PromptMessage>, ErrorData> {
        Ok(user(
            "Audit NovaBACKUP cloud storage usage across every connected Management Server.\n\
             1. Call list_cloud_storage_accounts (follow next_skip when truncated).\n\
             2. Attribute accounts to tenants: call summarize_csa_usage for the agents linked to each \
             account and list_groups for the TenantId of their groups.\n\
             3. Total the used bytes per tenant.\n\
             4. Flag the largest accounts (the top 10 %, or over 1 TB), usage figures calculated more \
             than 7 days ago (used_bytes_last_calc_completed), and fast growth where figures allow.\n\
             Give a headline total and say how fresh the figures are; mention orphaned S3 devices \
             and servers that did not answer (_meta.errors)."
                .to_owned(),
        ))
    }

    /// Bucket agents by health and name the most worrying ones.
    #[prompt(name = "summarize_agent_health")]
    async fn summarize_agent_health(&self) -> Result<Vec<PromptMessage>, ErrorData> {
        Ok(user(
            "Summarize the health of NovaBACKUP agents across every connected Management Server.\n\
             1. Call list_agents (follow next_skip when truncated until every agent is read).\n\
             2. Put each agent in one bucket: connected and backed up in the last 24 h; connected but no \
             recent backup; disconnected; last backup failed (last_backup_status_label).\n\
             3. Count the buckets per tenant (tenant_id, group_name).\n\
             4. Name the 5 most worrying agents and why.\n\
             Say so plainly when a server did not answer (_meta.errors, _meta.partial)."
                .to_owned(),
        ))
    }

    /// List agents with no activity for a number of days, per tenant.
    #[prompt(name = "find_stale_agents")]
    async fn find_stale_agents(
        &self,
        Parameters(args): Parameters<DaysArgs>,
    ) -> Result<Vec<PromptMessage>, ErrorData> {
        let days = match args
            .days
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => 7,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|d| *d >= 1)
                .ok_or_else(|| {
                    ErrorData::invalid_params("days must be a whole number of at least 1", None)
                })?,
        };
        Ok(user(format!(
            "Find NovaBACKUP agents with no activity in the last {days} days.\n\
             1. Work out the cutoff date-time: now minus {days} days, in UTC.\n\
             2. Call list_agents with $filter \"LastActivityDate lt <cutoff>\" and $orderby \
             \"LastActivityDate asc\" (follow next_skip when truncated).\n\
             3. Group them per tenant (tenant_id, group_name) and list the 10 stalest overall with \
             their last activity and last backup.\n\
             Say which servers did not answer (_meta.errors)."
        )))
    }
}
