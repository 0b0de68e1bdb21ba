//! The backup health of the estate: customers whose backups are all well, a customer
//! whose every agent failed, and agents that have not succeeded for days. Applied to
//! the generated runs before they are sorted, with a random stream of its own, so the
//! rest of the estate (tenants, agents, devices, jobs) stays exactly as the seed made it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::SimConfig;
use serde::Serialize;

use crate::estate::SimEstate;
use crate::job_runs::outcome;
use crate::model::JobRun;

/// How a customer's backups are doing by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerHealth {
    /// Most runs succeed; some fail or warn; some agents have not succeeded for days.
    Mixed,
    /// Every run of the last 31 days succeeded and every agent succeeded in the last
    /// 22 hours (an agent with no run at all is the exception: it never succeeded).
    AllWell,
    /// Every run of the last 3 days failed, and every agent with runs failed in the
    /// last 22 hours (all for the same reason: the S3 destination refuses access).
    EveryAgentFailing,
}

impl CustomerHealth {
    /// The health of tenant `index`: the second tenant and every third after it are
    /// all well, the third fails on every agent, the others are mixed.
    pub fn of_tenant(index: usize) -> Self {
        match index {
            2 => CustomerHealth::EveryAgentFailing,
            i if i % 3 == 1 => CustomerHealth::AllWell,
            _ => CustomerHealth::Mixed,
        }
    }
}

/// The share of a mixed customer's agents that stop succeeding for some days.
const STALE_SHARE: f64 = 0.15;
/// Runs the seed forces to one status each (0..=6): left as they are, so every status
/// is present even in a tiny estate.
const FORCED: usize = 7;

/// The seed of the health stream, apart from the estate's own.
fn stream(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ 0x4845_414C_5448)
}

/// Gives the runs (in generation order, the first [`FORCED`] forced) the health of
/// their customers and returns each tenant's health, by tenant index.
pub(crate) fn shape(
    config: &SimConfig,
    now: DateTime<Utc>,
    e: &SimEstate,
    runs: &mut [JobRun],
) -> Vec<CustomerHealth> {
    let (seed, history_days) = (config.seed, config.history_days);
    let mut rng = stream(seed);
    let health: Vec<CustomerHealth> = e
        .tenants
        .iter()
        .map(|t| {
            config
                .customers
                .unwrap_or_else(|| CustomerHealth::of_tenant(t.index))
        })
        .collect();
    let of_agent = |agent_id: i64| {
        e.agent_tenant
            .get(&agent_id)
            .map_or(CustomerHealth::Mixed, |&t| health[t])
    };
    // Mixed customers: some agents have failed for 3 to 9 days.
    let mut failing_for: HashMap<i64, Duration> = HashMap::new();
    for agent in &e.agents {
        if of_agent(agent.agent_id) == CustomerHealth::Mixed && rng.random_bool(STALE_SHARE) {
            failing_for.insert(agent.agent_id, Duration::days(rng.random_range(3..=9)));
        }
    }
    let month = now - Duration::days(31);
    let oldest = now - Duration::days(i64::from(history_days.max(1)));
    for (i, run) in runs.iter_mut().enumerate() {
        if !(1..=4).contains(&run.status) {
            continue;
        }
        // The period in which this run's customer (or agent) has one outcome only.
        let period = match of_agent(run.agent_id) {
            CustomerHealth::AllWell => Some((month, Outcome::Success)),
            CustomerHealth::EveryAgentFailing => Some((now - Duration::days(3), Outcome::Failure)),
            CustomerHealth::Mixed => failing_for
                .get(&run.agent_id)
                .map(|days| (now - *days, Outcome::Problem)),
        };
        let Some((since, wanted)) = period else {
            continue;
        };
        if run.start_date_time <= since || wanted.fits(run.status) {
            continue;
        }
        if i < FORCED {
            // A forced status stays; the run moves before the period, when there is room.
            let room = (since - oldest).num_minutes().min(40_000);
            if room > 1 {
                let at = since - Duration::minutes(rng.random_range(1..room));
                retime(run, at);
            }
            continue;
        }
        let status = match wanted {
            Outcome::Success => 1,
            Outcome::Failure => 4,
            Outcome::Problem => *[4, 4, 2, 3].choose(&mut rng).unwrap_or(&4),
        };
        set_status(run, status, &mut rng);
    }
    // Each agent's newest finished run (not a forced one) decides what it last did.
    let mut newest: HashMap<i64, usize> = HashMap::new();
    for (i, run) in runs.iter().enumerate().skip(FORCED) {
        if (1..=4).contains(&run.status) {
            let slot = newest.entry(run.agent_id).or_insert(i);
            if runs[*slot].start_date_time < run.start_date_time {
                *slot = i;
            }
        }
    }
    let mut agents: Vec<(i64, usize)> = newest.into_iter().collect();
    agents.sort_unstable();
    let recent = |rng: &mut ChaCha8Rng| {
        now - Duration::milliseconds(rng.random_range(7_200_000..79_200_000))
    };
    for (agent_id, i) in agents {
        match (of_agent(agent_id), failing_for.get(&agent_id)) {
            (CustomerHealth::EveryAgentFailing, _) => {
                let at = recent(&mut rng);
                retime(&mut runs[i], at);
                set_status(&mut runs[i], 4, &mut rng);
            }
            (CustomerHealth::Mixed, Some(days)) => {
                // Its last success lies before the failures began, when it had one.
                let before = now - *days;
                let last_good = runs
                    .iter()
                    .enumerate()
                    .skip(FORCED)
                    .filter(|(_, r)| r.agent_id == agent_id && r.start_date_time <= before)
                    .filter(|(_, r)| (1..=4).contains(&r.status))
                    .max_by_key(|(_, r)| r.start_date_time)
                    .map(|(j, _)| j);
                if let Some(j) = last_good {
                    set_status(&mut runs[j], 1, &mut rng);
                }
            }
            _ => {
                let run = &runs[i];
                if run.status != 1 || run.start_date_time < now - Duration::hours(22) {
                    let at = recent(&mut rng);
                    retime(&mut runs[i], at);
                    set_status(&mut runs[i], 1, &mut rng);
                }
            }
        }
    }
    health
}

/// What a period allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Only successes.
    Success,
    /// Only failures.
    Failure,
    /// Anything but a success.
    Problem,
}

impl Outcome {
    fn fits(self, status: i64) -> bool {
        match self {
            Outcome::Success => status == 1,
            Outcome::Failure => status == 4,
            Outcome::Problem => status != 1,
        }
    }
}

/// Gives a finished run another status, with bytes that fit it.
fn set_status(run: &mut JobRun, status: i64, rng: &mut ChaCha8Rng) {
    if run.status == status {
        return;
    }
    let files = rng.random_range(10..200_000i64);
    let (processed, finished, files_done) = outcome(status, run.size_in_bytes, files, rng);
    run.status = status;
    run.bytes_processed = processed;
    run.bytes_finished = finished;
    run.files_processed = files_done;
    run.files_finished = files_done / 10 * 9;
}

/// Moves a finished run to start at `start`, keeping its duration.
fn retime(run: &mut JobRun, start: DateTime<Utc>) {
    let elapsed = run.elapsed_time_in_seconds.unwrap_or(0);
    run.start_date_time = start;
    run.end_date_time = Some(start + Duration::seconds(elapsed));
}
