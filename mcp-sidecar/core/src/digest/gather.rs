//! One server's share of the digest: its customers (tenants, named by their root
//! groups), the window's runs counted by status per customer (every row read, so the
//! counts are exact), the failing runs newest first with the first problem line of
//! each log read (concurrently, bounded, one per agent before a second), and the
//! agents with no recent success and when they last had one.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use futures::StreamExt;
use serde_json::Value;

use super::causes::normalise;
use super::memory::LogMemory;
use super::model::{
    Customer, FailingRun, IncompleteReason, LogCounts, LogState, ServerPart, Severity, StaleAgent,
    Verdict,
};
use super::request::{DigestRequest, MAX_LAST_SUCCESS_LOOKUPS, parse_moment};
use crate::client::{Deadline, ManagementClient};
use crate::error::ApiError;
use crate::insight::collection::{Collection, read_collection};
use crate::insight::fields::{int, text};
use crate::insight::runlog::{Problem, first_problem};
use crate::insight::status::{characterize, duration_seconds, status_label};
use crate::insight::storage::tenant_names;
use crate::odata::Query;
use crate::server_id::ServerId;

/// The most groups or agents read from one server.
const MAX_ROWS: usize = 500_000;
/// The most runs read from one server.
const MAX_RUNS: usize = 2_000_000;
/// The fields of a failing run the digest shows.
const RUN_FIELDS: &str = "JobLogId,JobId,AgentId,JobName,Status,StartDateTime,EndDateTime,\
    ElapsedTimeInSeconds,SizeInBytes,BytesProcessed,BytesFinished";
/// The name of the customer that holds agents no visible tenant owns.
pub const NO_CUSTOMER: &str = "(agents in no customer)";

/// Gathers one server's share of the digest asked for by `request`, within
/// `deadline` (lookups stop a little before it, so what was read is kept). Logs in
/// `memory` are not read again; the logs read are kept there.
pub async fn gather(
    server_id: ServerId,
    client: &ManagementClient,
    request: &DigestRequest,
    deadline: Deadline,
    memory: &LogMemory,
) -> Result<ServerPart, ApiError> {
    let since = request.since();
    let from = since.min(request.stale_cutoff());
    let groups = Query::new().select("GroupId,GroupName,ParentGroupId,TenantId");
    let mut agents = Query::new()
        .select("AgentId,FriendlyName,MachineName,Connected,GroupId")
        .expand("Group($select=GroupId,TenantId)");
    if let Some(tenant) = &request.tenant_id {
        agents = agents.filter(format!(
            "Group/TenantId eq '{}'",
            tenant.replace('\'', "''")
        ));
    }
    let runs = Query::new()
        .filter(format!("StartDateTime ge {}", literal(from)))
        .select("AgentId,Status,StartDateTime");
    let failing = Query::new()
        .filter(format!(
            "StartDateTime ge {} and Status ge 2 and Status le 4",
            literal(since)
        ))
        .select(RUN_FIELDS)
        .orderby("StartDateTime desc");
    let (groups, agents, runs, failing) = futures::try_join!(
        read_collection(client, "Groups", &groups, MAX_ROWS, deadline),
        read_collection(client, "Agents", &agents, MAX_ROWS, deadline),
        read_collection(client, "JobHistories", &runs, MAX_RUNS, deadline),
        read_collection(client, "JobHistories", &failing, MAX_RUNS, deadline),
    )?;
    let mut book = Book::new(&server_id, request, &groups.rows, &agents.rows);
    let mut reasons = Vec::new();
    for (what, read) in [
        ("groups", &groups),
        ("agents", &agents),
        ("runs", &runs),
        ("failing runs", &failing),
    ] {
        if !read.complete {
            reasons.push(capped(&server_id, what, read));
        }
    }
    let fresh = book.count_runs(&runs.rows, since, request.stale_cutoff());
    let mut failing_runs = book.failing_runs(&failing.rows);
    let mut stale = book.stale_agents(&fresh);

    for (_, run) in &mut failing_runs {
        if let Some(problem) = run
            .job_log_id
            .and_then(|key| memory.recall(&server_id, key))
        {
            read_into(run, problem);
        }
    }
    let lookups = plan_lookups(&failing_runs, &stale, request.max_logs);
    let skipped_lookups = stale.len().saturating_sub(MAX_LAST_SUCCESS_LOOKUPS);
    let found = run_lookups(client, lookups, request, deadline).await;
    let mut logs = LogCounts::default();
    for found in found {
        match found {
            Found::Log(_, LogOutcome::NotRead) => {}
            Found::Log(index, LogOutcome::Unavailable) => {
                failing_runs[index].1.log = LogState::Unavailable;
            }
            Found::Log(index, LogOutcome::Read(problem)) => {
                let run = &mut failing_runs[index].1;
                if let Some(key) = run.job_log_id {
                    memory.remember(&server_id, key, problem.clone());
                }
                read_into(run, problem);
            }
            Found::LastSuccess(index, last) => {
                let agent = &mut stale[index].1;
                agent.last_success_checked = last.is_some();
                agent.last_success = last.flatten();
                agent.hours_since_success = agent
                    .last_success
                    .map(|at| (request.until() - at).num_hours().max(0));
            }
        }
    }
    for (_, run) in &failing_runs {
        match run.log {
            LogState::Read => logs.read += 1,
            LogState::Unavailable => logs.unavailable += 1,
            LogState::NotRead => logs.not_read += 1,
        }
    }
    if logs.not_read > 0 {
        reasons.push(IncompleteReason {
            kind: "logs_not_read".to_owned(),
            server_id: Some(server_id.clone()),
            message: format!(
                "{} of the {} failing runs' logs on {server_id} were not read (at most {} per \
                 server, newest failures first): their first_error is null and their causes \
                 are not counted.",
                logs.not_read,
                failing_runs.len(),
                request.max_logs
            ),
        });
    }
    let unchecked = stale
        .iter()
        .filter(|(_, agent)| !agent.last_success_checked)
        .count();
    if unchecked > 0 {
        reasons.push(IncompleteReason {
            kind: "last_success_not_checked".to_owned(),
            server_id: Some(server_id.clone()),
            message: format!(
                "The last success of {unchecked} of the {} stale agents on {server_id} is not \
                 known ({skipped_lookups} over the limit of {MAX_LAST_SUCCESS_LOOKUPS} lookups, \
                 the others failed or ran out of time); they are stale all the same.",
                stale.len()
            ),
        });
    }
    let current = failing_runs
        .iter()
        .filter_map(|(_, run)| run.job_log_id)
        .collect();
    memory.keep_only(&server_id, &current);
    Ok(ServerPart {
        customers: book.finish(failing_runs, stale),
        server_id,
        incomplete_reasons: reasons,
        logs,
    })
}

/// Puts a log's first problem line (if it has one) into its run.
fn read_into(run: &mut FailingRun, problem: Option<Problem>) {
    run.log = LogState::Read;
    if let Some(problem) = problem {
        run.cause = Some(normalise(&problem.text));
        run.first_error_severity = Some(if problem.is_error {
            Severity::Error
        } else {
            Severity::Warning
        });
        run.first_error = Some(problem.text);
    }
}

/// A moment as an OData date-time literal.
fn literal(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn capped(server_id: &ServerId, what: &str, read: &Collection) -> IncompleteReason {
    IncompleteReason {
        kind: "rows_capped".to_owned(),
        server_id: Some(server_id.clone()),
        message: format!(
            "Reading {what} on {server_id} stopped after {} rows (the server has {}): counts \
             from it are short. Narrow the window or ask for one customer.",
            read.rows.len(),
            read.count
                .map_or_else(|| "more".to_owned(), |count| count.to_string())
        ),
    }
}

/// What the digest knows of one agent.
struct AgentInfo {
    name: Option<String>,
    connected: Option<bool>,
    customer: Option<String>,
}

/// One server's customers as they are being filled in.
struct Book<'a> {
    server_id: &'a ServerId,
    scoped: bool,
    customers: BTreeMap<Option<String>, Customer>,
    agents: BTreeMap<i64, AgentInfo>,
}

impl<'a> Book<'a> {
    /// The customers of `groups` (only `request.tenant_id` when set) and the agents.
    fn new(
        server_id: &'a ServerId,
        request: &DigestRequest,
        groups: &[Value],
        agents: &[Value],
    ) -> Self {
        let names = tenant_names(groups);
        let mut group_tenant: HashMap<i64, String> = HashMap::new();
        let mut any_name: HashMap<String, String> = HashMap::new();
        for group in groups {
            let (Some(id), Some(tenant)) = (int(group, "GroupId"), text(group, "TenantId")) else {
                continue;
            };
            group_tenant.insert(id, tenant.to_owned());
            if let Some(name) = text(group, "GroupName") {
                any_name
                    .entry(tenant.to_owned())
                    .or_insert_with(|| name.to_owned());
            }
        }
        let wanted = |tenant: &Option<String>| match &request.tenant_id {
            Some(only) => tenant.as_ref() == Some(only),
            None => true,
        };
        let mut book = Self {
            server_id,
            scoped: request.tenant_id.is_some(),
            customers: BTreeMap::new(),
            agents: BTreeMap::new(),
        };
        let name_of = |tenant: &Option<String>| match tenant {
            None => NO_CUSTOMER.to_owned(),
            Some(id) => names
                .get(id)
                .or_else(|| any_name.get(id))
                .cloned()
                .unwrap_or_else(|| id.clone()),
        };
        for tenant in group_tenant.values() {
            let tenant = Some(tenant.clone());
            if wanted(&tenant) && !book.customers.contains_key(&tenant) {
                let name = name_of(&tenant);
                book.customers
                    .insert(tenant.clone(), empty_customer(server_id, tenant, name));
            }
        }
        for agent in agents {
            let Some(id) = int(agent, "AgentId") else {
                continue;
            };
            let tenant = agent
                .get("Group")
                .and_then(|g| text(g, "TenantId"))
                .map(str::to_owned)
                .or_else(|| int(agent, "GroupId").and_then(|g| group_tenant.get(&g).cloned()));
            if !wanted(&tenant) {
                continue;
            }
            let connected = agent.get("Connected").and_then(Value::as_bool);
            let customer = book.customers.entry(tenant.clone()).or_insert_with(|| {
                let name = name_of(&tenant);
                empty_customer(server_id, tenant.clone(), name)
            });
            customer.agents += 1;
            if connected == Some(true) {
                customer.agents_connected += 1;
            }
            book.agents.insert(
                id,
                AgentInfo {
                    name: text(agent, "FriendlyName")
                        .or_else(|| text(agent, "MachineName"))
                        .map(str::to_owned),
                    connected,
                    customer: tenant,
                },
            );
        }
        book
    }

    /// The customer a run of `agent_id` counts for: its agent's, or the one of agents
    /// in no customer (`None` when only one customer is asked for).
    fn customer_of(&mut self, agent_id: Option<i64>) -> Option<&mut Customer> {
        let known = agent_id.and_then(|id| self.agents.get(&id));
        let key = match known {
            Some(agent) => agent.customer.clone(),
            None if self.scoped => return None,
            None => None,
        };
        let server_id = self.server_id;
        Some(
            self.customers
                .entry(key)
                .or_insert_with(|| empty_customer(server_id, None, NO_CUSTOMER.to_owned())),
        )
    }

    /// Counts the runs since `since` per customer and status; returns the agents with
    /// a success since `cutoff`.
    fn count_runs(
        &mut self,
        runs: &[Value],
        since: DateTime<Utc>,
        cutoff: DateTime<Utc>,
    ) -> HashSet<i64> {
        let mut fresh = HashSet::new();
        for run in runs {
            let Some(start) = text(run, "StartDateTime").and_then(parse_moment) else {
                continue;
            };
            let agent = int(run, "AgentId");
            let status = int(run, "Status");
            if status == Some(1)
                && start >= cutoff
                && let Some(agent) = agent
            {
                fresh.insert(agent);
            }
            if start < since {
                continue;
            }
            if let Some(customer) = self.customer_of(agent) {
                let label = status.map_or_else(|| "unknown".to_owned(), status_label);
                *customer.runs_by_status.entry(label).or_default() += 1;
                customer.runs += 1;
            }
        }
        fresh
    }

    /// The failing runs in the customers' words, newest first, each with its customer.
    fn failing_runs(&mut self, rows: &[Value]) -> Vec<(Option<String>, FailingRun)> {
        let mut runs = Vec::with_capacity(rows.len());
        for row in rows {
            let agent_id = int(row, "AgentId");
            let Some(customer) = self.customer_of(agent_id) else {
                continue;
            };
            customer.failing_runs_total += 1;
            let key = customer.tenant_id.clone();
            let status = int(row, "Status").unwrap_or_default();
            runs.push((
                key,
                FailingRun {
                    server_id: self.server_id.clone(),
                    agent_id,
                    agent_name: agent_id
                        .and_then(|id| self.agents.get(&id))
                        .and_then(|a| a.name.clone()),
                    job_name: text(row, "JobName").map(str::to_owned),
                    status,
                    status_label: status_label(status),
                    characterization: characterize(row).as_str().map(str::to_owned),
                    start_date_time: text(row, "StartDateTime").and_then(parse_moment),
                    duration_seconds: duration_seconds(row),
                    bytes_processed: int(row, "BytesProcessed"),
                    bytes_finished: int(row, "BytesFinished"),
                    job_log_id: int(row, "JobLogId"),
                    first_error: None,
                    first_error_severity: None,
                    cause: None,
                    log: LogState::NotRead,
                },
            ));
        }
        runs.sort_by(|(_, a), (_, b)| {
            (b.start_date_time, b.job_log_id).cmp(&(a.start_date_time, a.job_log_id))
        });
        runs
    }

    /// The agents with no success in `fresh`, in id order, each with its customer.
    fn stale_agents(&self, fresh: &HashSet<i64>) -> Vec<(Option<String>, StaleAgent)> {
        self.agents
            .iter()
            .filter(|(id, _)| !fresh.contains(id))
            .map(|(id, agent)| {
                (
                    agent.customer.clone(),
                    StaleAgent {
                        agent_id: Some(*id),
                        agent_name: agent.name.clone(),
                        connected: agent.connected,
                        last_success: None,
                        hours_since_success: None,
                        last_success_checked: false,
                    },
                )
            })
            .collect()
    }

    /// The customers with their failing runs and stale agents, each judged.
    fn finish(
        mut self,
        runs: Vec<(Option<String>, FailingRun)>,
        stale: Vec<(Option<String>, StaleAgent)>,
    ) -> Vec<Customer> {
        for (key, run) in runs {
            if let Some(customer) = self.customers.get_mut(&key) {
                customer.failing_runs.push(run);
            }
        }
        for (key, agent) in stale {
            if let Some(customer) = self.customers.get_mut(&key) {
                customer.stale_agents.push(agent);
            }
        }
        self.customers
            .into_values()
            .map(|mut customer| {
                customer.verdict = customer.judge();
                customer
            })
            .collect()
    }
}

fn empty_customer(server_id: &ServerId, tenant_id: Option<String>, name: String) -> Customer {
    Customer {
        server_id: server_id.clone(),
        tenant_id,
        name,
        verdict: Verdict::Ok,
        agents: 0,
        agents_connected: 0,
        runs: 0,
        runs_by_status: BTreeMap::new(),
        failing_runs_total: 0,
        failing_runs: Vec::new(),
        failing_runs_truncated: false,
        stale_agents: Vec::new(),
    }
}

/// One request of the lookup phase.
enum Lookup {
    /// The log of the failing run at this index, by its key.
    Log(usize, i64),
    /// The last success of the stale agent at this index, by agent id.
    LastSuccess(usize, i64),
}

/// What one lookup found.
enum Found {
    /// What became of the run's log.
    Log(usize, LogOutcome),
    /// The agent's last success (`Some(None)`: never), or `None` when not found out.
    LastSuccess(usize, Option<Option<DateTime<Utc>>>),
}

/// What became of one log.
enum LogOutcome {
    /// Read: its first problem, if it has one.
    Read(Option<Problem>),
    /// The server could not give it.
    Unavailable,
    /// Not asked for in time.
    NotRead,
}

/// The logs to read (at most `max_logs`: every agent's newest failure first, failed
/// runs before warnings, newer before older, then each agent's second, ...) and the
/// last successes to look up (at most [`MAX_LAST_SUCCESS_LOOKUPS`]).
fn plan_lookups(
    runs: &[(Option<String>, FailingRun)],
    stale: &[(Option<String>, StaleAgent)],
    max_logs: usize,
) -> Vec<Lookup> {
    let mut seen: HashMap<Option<i64>, usize> = HashMap::new();
    let mut ranked: Vec<(usize, bool, usize)> = runs
        .iter()
        .enumerate()
        .filter(|(_, (_, run))| run.job_log_id.is_some() && run.log == LogState::NotRead)
        .map(|(index, (_, run))| {
            let rank = seen.entry(run.agent_id).or_default();
            *rank += 1;
            (*rank, run.status != 4, index)
        })
        .collect();
    ranked.sort_unstable();
    let logs = ranked
        .into_iter()
        .take(max_logs)
        .filter_map(|(_, _, index)| runs[index].1.job_log_id.map(|key| Lookup::Log(index, key)));
    let successes = stale
        .iter()
        .enumerate()
        .take(MAX_LAST_SUCCESS_LOOKUPS)
        .filter_map(|(index, (_, agent))| agent.agent_id.map(|id| Lookup::LastSuccess(index, id)));
    logs.chain(successes).collect()
}

/// Runs the lookups, `request.lookup_concurrency` at a time, each bounded by a
/// deadline a little before `deadline` (so what the server part read is not lost).
async fn run_lookups(
    client: &ManagementClient,
    lookups: Vec<Lookup>,
    request: &DigestRequest,
    deadline: Deadline,
) -> Vec<Found> {
    let margin = (deadline.remaining() / 5).min(std::time::Duration::from_secs(2));
    let until = Deadline::at(deadline.instant() - margin);
    futures::stream::iter(lookups)
        .map(|lookup| async move {
            if until.is_expired() {
                return match lookup {
                    Lookup::Log(index, _) => Found::Log(index, LogOutcome::NotRead),
                    Lookup::LastSuccess(index, _) => Found::LastSuccess(index, None),
                };
            }
            match lookup {
                Lookup::Log(index, key) => {
                    let path = format!("JobHistories({key})/Log");
                    match tokio::time::timeout_at(
                        until.instant(),
                        client.get(&path, &Query::new(), until),
                    )
                    .await
                    {
                        Ok(Ok(log)) => Found::Log(index, LogOutcome::Read(first_problem(&log))),
                        Ok(Err(error)) => {
                            tracing::debug!("log {key} not available: {error}");
                            Found::Log(index, LogOutcome::Unavailable)
                        }
                        Err(_) => Found::Log(index, LogOutcome::NotRead),
                    }
                }
                Lookup::LastSuccess(index, agent) => {
                    let query = Query::new()
                        .filter(format!("AgentId eq {agent} and Status eq 1"))
                        .select("StartDateTime")
                        .orderby("StartDateTime desc")
                        .top(1);
                    let found = tokio::time::timeout_at(
                        until.instant(),
                        client.list("JobHistories", &query, until),
                    )
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .map(|page| {
                        page.rows
                            .first()
                            .and_then(|row| text(row, "StartDateTime"))
                            .and_then(parse_moment)
                    });
                    Found::LastSuccess(index, found)
                }
            }
        })
        .buffer_unordered(request.lookup_concurrency.max(1))
        .collect()
        .await
}
