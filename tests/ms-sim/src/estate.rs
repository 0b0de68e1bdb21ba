//! The ground truth of a simulated server: every row it serves, plus the helpers
//! tests use to compute the answer a given user should get.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use crate::config::SimConfig;
use crate::health::CustomerHealth;
use crate::model::{
    Agent, CloudStorageAccount, DemoUser, Device, Group, Job, JobLog, JobRun, StorageServer,
    Tenant, User,
};

/// Every row of one simulated Management Server, in key order.
#[derive(Debug, Clone, PartialEq)]
pub struct SimEstate {
    /// The seed it was built from.
    pub seed: u64,
    /// The moment it was built relative to.
    pub now: DateTime<Utc>,
    /// Customers.
    pub tenants: Vec<Tenant>,
    /// Groups (root and child groups of every tenant).
    pub groups: Vec<Group>,
    /// Agents.
    pub agents: Vec<Agent>,
    /// Devices of all agents (`Device::agent_id` says whose).
    pub devices: Vec<Device>,
    /// Jobs of all agents.
    pub jobs: Vec<Job>,
    /// Job runs (JobHistory rows), oldest first; `JobLogId` ascending.
    pub runs: Vec<JobRun>,
    /// Cloud storage accounts.
    pub cloud_storage_accounts: Vec<CloudStorageAccount>,
    /// Storage servers.
    pub storage_servers: Vec<StorageServer>,
    /// Console users (including the demo users).
    pub users: Vec<User>,
    /// Users that can log in, with their passwords and scopes.
    pub demo_users: Vec<DemoUser>,
    /// How each customer's backups are doing by construction, by tenant index.
    pub customer_health: Vec<CustomerHealth>,
    /// The runs (`JobLogId`) whose log the server cannot fetch: their `Log` answers 503.
    pub unavailable_logs: BTreeSet<i64>,
    pub(crate) group_tenant: HashMap<i64, usize>,
    pub(crate) agent_tenant: HashMap<i64, usize>,
}

impl SimEstate {
    /// Builds the estate a server with `config` serves, relative to `now`.
    pub fn build(config: &SimConfig, now: DateTime<Utc>) -> SimEstate {
        crate::seed::build(config, now)
    }

    /// The tenant owning a group.
    pub fn tenant_of_group(&self, group_id: i64) -> Option<&Tenant> {
        self.group_tenant.get(&group_id).map(|&i| &self.tenants[i])
    }

    /// The tenant owning an agent.
    pub fn tenant_of_agent(&self, agent_id: i64) -> Option<&Tenant> {
        self.agent_tenant.get(&agent_id).map(|&i| &self.tenants[i])
    }

    /// Whether `user` sees the tenant with this index.
    pub fn sees_tenant(&self, user: &DemoUser, tenant_index: usize) -> bool {
        user.is_admin
            || self
                .tenants
                .get(tenant_index)
                .is_some_and(|t| user.tenant_ids.contains(&t.tenant_id))
    }

    /// The tenants `user` sees.
    pub fn visible_tenants(&self, user: &DemoUser) -> Vec<&Tenant> {
        self.tenants
            .iter()
            .filter(|t| self.sees_tenant(user, t.index))
            .collect()
    }

    /// Whether `user` sees the agent.
    pub fn sees_agent(&self, user: &DemoUser, agent_id: i64) -> bool {
        self.agent_tenant
            .get(&agent_id)
            .is_some_and(|&t| self.sees_tenant(user, t))
    }

    /// The agents `user` sees.
    pub fn agents_visible_to(&self, user: &DemoUser) -> Vec<&Agent> {
        self.agents
            .iter()
            .filter(|a| self.sees_agent(user, a.agent_id))
            .collect()
    }

    /// Ids of the agents `user` sees, ascending.
    pub fn agent_ids_visible_to(&self, user: &DemoUser) -> Vec<i64> {
        self.agents_visible_to(user)
            .iter()
            .map(|a| a.agent_id)
            .collect()
    }

    /// The groups `user` sees.
    pub fn groups_visible_to(&self, user: &DemoUser) -> Vec<&Group> {
        self.groups
            .iter()
            .filter(|g| {
                self.group_tenant
                    .get(&g.group_id)
                    .is_some_and(|&t| self.sees_tenant(user, t))
            })
            .collect()
    }

    /// The runs `user` sees, oldest first.
    pub fn runs_visible_to(&self, user: &DemoUser) -> Vec<&JobRun> {
        self.runs
            .iter()
            .filter(|r| self.sees_agent(user, r.agent_id))
            .collect()
    }

    /// The cloud storage accounts `user` sees.
    pub fn cloud_storage_accounts_visible_to(&self, user: &DemoUser) -> Vec<&CloudStorageAccount> {
        self.cloud_storage_accounts
            .iter()
            .filter(|c| {
                self.group_tenant
                    .get(&c.group_id)
                    .is_some_and(|&t| self.sees_tenant(user, t))
            })
            .collect()
    }

    /// The console users `user` sees (MSP staff are visible to everyone).
    pub fn users_visible_to(&self, user: &DemoUser) -> Vec<&User> {
        self.users
            .iter()
            .filter(|u| match u.group_id {
                None => true,
                Some(g) => self
                    .group_tenant
                    .get(&g)
                    .is_some_and(|&t| self.sees_tenant(user, t)),
            })
            .collect()
    }

    /// The devices on the agents `user` sees.
    pub fn devices_visible_to(&self, user: &DemoUser) -> Vec<&Device> {
        self.devices
            .iter()
            .filter(|d| self.sees_agent(user, d.agent_id))
            .collect()
    }

    /// The jobs on the agents `user` sees.
    pub fn jobs_visible_to(&self, user: &DemoUser) -> Vec<&Job> {
        self.jobs
            .iter()
            .filter(|j| self.sees_agent(user, j.agent_id))
            .collect()
    }

    /// How many of the runs `user` sees started after `since`, per status code.
    pub fn status_counts_since(
        &self,
        user: &DemoUser,
        since: DateTime<Utc>,
    ) -> BTreeMap<i64, usize> {
        let mut counts = BTreeMap::new();
        for run in self.runs_visible_to(user) {
            if run.start_date_time > since {
                *counts.entry(run.status).or_default() += 1;
            }
        }
        counts
    }

    /// Sum of `UsedBytes` and of `QuotaBytes` over the cloud storage accounts `user` sees.
    pub fn storage_totals(&self, user: &DemoUser) -> (i64, i64) {
        self.cloud_storage_accounts_visible_to(user)
            .iter()
            .fold((0, 0), |(used, quota), c| {
                (used + c.used_bytes, quota + c.quota_bytes)
            })
    }

    /// The devices of one agent.
    pub fn devices_of(&self, agent_id: i64) -> Vec<&Device> {
        self.devices
            .iter()
            .filter(|d| d.agent_id == agent_id)
            .collect()
    }

    /// The jobs of one agent.
    pub fn jobs_of(&self, agent_id: i64) -> Vec<&Job> {
        self.jobs
            .iter()
            .filter(|j| j.agent_id == agent_id)
            .collect()
    }

    /// The runs of one agent, oldest first.
    pub fn runs_of(&self, agent_id: i64) -> Vec<&JobRun> {
        self.runs
            .iter()
            .filter(|r| r.agent_id == agent_id)
            .collect()
    }

    /// The run with this `JobLogId`.
    pub fn run(&self, job_log_id: i64) -> Option<&JobRun> {
        self.runs
            .binary_search_by_key(&job_log_id, |r| r.job_log_id)
            .ok()
            .map(|i| &self.runs[i])
    }

    /// The log of a run; `None` for pending and queued runs (they have not executed)
    /// and for unknown keys.
    pub fn log(&self, job_log_id: i64) -> Option<JobLog> {
        let run = self.run(job_log_id)?;
        crate::job_runs::log_of(self, run).map(|(log, _)| log)
    }

    /// The demo user with this name.
    pub fn demo_user(&self, user_name: &str) -> Option<&DemoUser> {
        self.demo_users.iter().find(|u| u.user_name == user_name)
    }
}
