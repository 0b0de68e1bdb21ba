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
             1. Call get_backup_health with window \"{window}\". One call covers every connected \
             Management Server and customer: exact run counts by status, the failing runs with the \
             first error line of their logs, the computers with no recent successful backup, and \
             the causes grouped across customers.\n\
             2. When it says complete: false, say why (incomplete_reasons). For one customer in full, \
             call it again with that customer's server_id and tenant_id (and a larger \
             max_failing_runs); for one run's whole log, call get_job_run_log with job_id = its \
             job_log_id.\n\
             Report the top 3 to 5 causes (causes: runs, agents, customers), each with the affected \
             customers and computers and what to do; then the failing customers and the stale \
             computers. Say which servers did not answer (from _meta.errors)."
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
             1. Call get_backup_health (window 24h): per customer its agents and how many are \
             connected, its failing runs, and its stale agents (no successful backup in stale_hours, \
             48 by default, with when each last succeeded).\n\
             2. Put each agent in one bucket: backed up in the last 24 h; last backup failed (a \
             failing run with status failed); stale; disconnected (for each agent's connection and \
             last activity, call list_agents and follow next_skip when truncated).\n\
             3. Count the buckets per customer (tenant_id, name).\n\
             4. Name the 5 most worrying agents and why (the first_error of their failing runs).\n\
             Say so plainly when a server did not answer (_meta.errors, complete: false)."
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
