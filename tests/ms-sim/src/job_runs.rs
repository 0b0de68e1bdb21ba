//! Job runs (JobHistory rows) spread over the last days (60 by default) with every
//! status, shaped by their customers' health, and their logs, generated from the seed
//! so they never need storing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::SimConfig;
use crate::estate::SimEstate;
use crate::health::CustomerHealth;
use crate::log_lines::{
    CANCELLED, ERRORS, Place, S3_ACCESS_DENIED, WARNINGS, cancelled_line, error_line,
    usual_trouble, warning_line,
};
use crate::model::{JobLog, JobRun, LogMessage};

/// Adds `config.runs` runs of the estate's jobs, oldest first, and sets each
/// agent's last backup from its latest run.
pub(crate) fn build(
    config: &SimConfig,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
    e: &mut SimEstate,
) {
    if e.jobs.is_empty() {
        return;
    }
    let history = i64::from(config.history_days.max(1)) * 86_400_000;
    let mut runs = Vec::with_capacity(config.runs);
    for i in 0..config.runs {
        let job = &e.jobs[rng.random_range(0..e.jobs.len())];
        let status = if i < 7 {
            i as i64
        } else {
            match rng.random_range(0..100) {
                0..70 => 1,
                70..82 => 2,
                82..92 => 4,
                92..96 => 3,
                96..98 => 5,
                98 => 0,
                _ => 6,
            }
        };
        let fresh = matches!(status, 0 | 5 | 6);
        let start = if fresh {
            now - Duration::seconds(rng.random_range(1..7200))
        } else {
            now - Duration::milliseconds(rng.random_range(2 * 3_600_000..history))
        };
        let elapsed = rng.random_range(30..7200i64);
        let size = rng.random_range(1..500i64) * 1_048_576 * rng.random_range(1..50i64);
        let files = rng.random_range(10..200_000i64);
        let (processed, finished, files_done) = outcome(status, size, files, rng);
        let ended = !matches!(status, 0 | 5 | 6);
        runs.push(JobRun {
            job_log_id: 0,
            job_id: job.job_id,
            agent_id: job.agent_id,
            job_name: job.name.clone(),
            job_type: job.job_type.clone(),
            status,
            start_date_time: start,
            end_date_time: ended.then(|| start + Duration::seconds(elapsed)),
            elapsed_time_in_seconds: ended.then_some(elapsed),
            size_in_bytes: size,
            bytes_processed: processed,
            bytes_finished: finished,
            files_processed: files_done,
            files_finished: files_done / 10 * 9,
        });
    }
    e.customer_health = crate::health::shape(config, now, e, &mut runs);
    runs.sort_by_key(|r| r.start_date_time);
    for (i, run) in runs.iter_mut().enumerate() {
        run.job_log_id = 1_000_001 + i as i64;
    }
    e.unavailable_logs = runs
        .iter()
        .rev()
        .filter(|r| (2..=4).contains(&r.status))
        .take(config.unavailable_logs)
        .map(|r| r.job_log_id)
        .collect();
    let mut latest: HashMap<i64, (DateTime<Utc>, i64)> = HashMap::new();
    for run in &runs {
        latest.insert(run.agent_id, (run.start_date_time, run.status));
    }
    for agent in &mut e.agents {
        if let Some(&(start, status)) = latest.get(&agent.agent_id) {
            agent.last_backup_date = Some(start);
            agent.last_backup_status = Some(status);
        }
    }
    e.runs = runs;
}

/// Bytes read, bytes written and files done by a run of `status` over a selection of
/// `size` bytes and `files` files.
pub(crate) fn outcome(status: i64, size: i64, files: i64, rng: &mut ChaCha8Rng) -> (i64, i64, i64) {
    match status {
        0 | 6 => (0, 0, 0),
        1 => (size, size / rng.random_range(1..8), files),
        5 => (size / 3, size / 5, files / 3),
        _ if rng.random_bool(0.5) => (rng.random_range(0..size / 2), 0, 0),
        _ => (size / 2, size / 4, files / 2),
    }
}

/// The log of a run, generated from the seed, the run and its customer (pending and
/// queued runs have none), with the kind of trouble its first error line (else its
/// first warning line) reports.
pub(crate) fn log_of(e: &SimEstate, run: &JobRun) -> Option<(JobLog, Option<&'static str>)> {
    if matches!(run.status, 0 | 6) {
        return None;
    }
    let mut rng =
        ChaCha8Rng::seed_from_u64(e.seed ^ (run.job_log_id as u64).wrapping_mul(0x9E37_79B9));
    let machine = e
        .agents
        .binary_search_by_key(&run.agent_id, |a| a.agent_id)
        .map(|i| e.agents[i].machine_name.as_str())
        .unwrap_or("UNKNOWN");
    let tenant = e.tenant_of_agent(run.agent_id);
    let slug: String = tenant
        .map(|t| t.name.as_str())
        .unwrap_or("customer")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let place = Place {
        slug: &slug,
        machine,
    };
    let (usual_error, usual_warning) = usual_trouble(e.seed, run.agent_id);
    let every_agent_failing = tenant.is_some_and(|t| {
        e.customer_health.get(t.index) == Some(&CustomerHealth::EveryAgentFailing)
    });
    let mut at = run.start_date_time;
    let mut messages = vec![];
    let mut line = |kind: &str, text: String, at: DateTime<Utc>| {
        messages.push(LogMessage {
            kind: kind.into(),
            message: text,
            date_time: at,
        })
    };
    line("Information", format!("Job '{}' started", run.job_name), at);
    let end = run
        .end_date_time
        .unwrap_or(run.start_date_time + Duration::minutes(5));
    let step = (end - run.start_date_time) / 8;
    at += step;
    line("Information", "Collecting files to back up".into(), at);
    let usual_or_other = |rng: &mut ChaCha8Rng, usual: usize, kinds: usize| {
        if rng.random_bool(0.8) {
            usual
        } else {
            rng.random_range(0..kinds)
        }
    };
    let mut trouble = None;
    match run.status {
        2 => {
            for w in 0..rng.random_range(1..4) {
                at += step / 4;
                let kind = if w == 0 {
                    usual_or_other(&mut rng, usual_warning, WARNINGS.len())
                } else {
                    rng.random_range(0..WARNINGS.len())
                };
                trouble.get_or_insert(WARNINGS[kind]);
                line("Warning", warning_line(kind, &place, &mut rng), at);
            }
            line("Warning", "Job completed with warnings".into(), end);
        }
        3 => {
            trouble = Some(CANCELLED);
            line("Warning", cancelled_line(&place, &mut rng), end);
        }
        4 => {
            for _ in 0..rng.random_range(0..3) {
                at += step / 4;
                let kind = rng.random_range(0..WARNINGS.len());
                line("Warning", warning_line(kind, &place, &mut rng), at);
            }
            let kind = if every_agent_failing {
                S3_ACCESS_DENIED
            } else {
                usual_or_other(&mut rng, usual_error, ERRORS.len())
            };
            trouble = Some(ERRORS[kind]);
            at += step / 4;
            line("Error", error_line(kind, &place, &mut rng), at);
            for _ in 0..rng.random_range(1..4) {
                at += step / 4;
                line(
                    "Error",
                    format!("{} files could not be backed up", rng.random_range(1..5000)),
                    at,
                );
            }
            line("Error", "Job failed".into(), end);
        }
        1 => line("Information", "Job completed successfully".into(), end),
        _ => line("Information", "Backing up files".into(), at + step),
    }
    Some((
        JobLog {
            script_file_path: format!(
                "C:\\ProgramData\\NovaStor\\NovaBACKUP\\Scripts\\{}.nsj",
                run.job_name.replace(' ', "_")
            ),
            messages,
        },
        trouble,
    ))
}
