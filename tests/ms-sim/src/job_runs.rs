//! Job runs (JobHistory rows) spread over the last 60 days with every status, and
//! their logs, generated from the seed so they never need storing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::SimConfig;
use crate::estate::Estate;
use crate::model::{JobLog, JobRun, LogMessage};

/// Adds `config.runs` runs of the estate's jobs, oldest first, and sets each
/// agent's last backup from its latest run.
pub(crate) fn build(config: &SimConfig, now: DateTime<Utc>, rng: &mut ChaCha8Rng, e: &mut Estate) {
    if e.jobs.is_empty() {
        return;
    }
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
            now - Duration::milliseconds(rng.random_range(2 * 3_600_000..60 * 86_400_000))
        };
        let elapsed = rng.random_range(30..7200i64);
        let size = rng.random_range(1..500i64) * 1_048_576 * rng.random_range(1..50i64);
        let files = rng.random_range(10..200_000i64);
        let (processed, finished, files_done) = match status {
            0 | 6 => (0, 0, 0),
            1 => (size, size / rng.random_range(1..8), files),
            5 => (size / 3, size / 5, files / 3),
            _ if rng.random_bool(0.5) => (rng.random_range(0..size / 2), 0, 0),
            _ => (size / 2, size / 4, files / 2),
        };
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
    runs.sort_by_key(|r| r.start_date_time);
    for (i, run) in runs.iter_mut().enumerate() {
        run.job_log_id = 1_000_001 + i as i64;
    }
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

/// The log of a run, generated from the seed and the run (pending and queued runs have none).
pub(crate) fn log_of(seed: u64, run: &JobRun) -> Option<JobLog> {
    if matches!(run.status, 0 | 6) {
        return None;
    }
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed ^ (run.job_log_id as u64).wrapping_mul(0x9E37_79B9));
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
    let (warnings, errors) = match run.status {
        2 => (rng.random_range(1..4), 0),
        4 => (rng.random_range(0..3), rng.random_range(2..6)),
        _ => (0, 0),
    };
    for w in 0..warnings {
        at += step / 4;
        line(
            "Warning",
            format!("File C:\\Users\\Public\\Documents\\report{w}.xlsx is locked and was skipped"),
            at,
        );
    }
    for n in 0..errors {
        at += step / 4;
        let text = match n % 3 {
            0 => "Unable to connect to the backup device: the network path was not found".into(),
            1 => "Volume Shadow Copy Service error: VSS_E_WRITER_TIMEOUT".to_string(),
            _ => format!(
                "Error writing to destination: {} bytes not transferred",
                run.size_in_bytes
            ),
        };
        line("Error", text, at);
    }
    match run.status {
        1 => line("Information", "Job completed successfully".into(), end),
        2 => line("Warning", "Job completed with warnings".into(), end),
        3 => line("Warning", "Job was cancelled by the user".into(), end),
        4 => line("Error", "Job failed".into(), end),
        _ => line("Information", "Backing up files".into(), at + step),
    }
    Some(JobLog {
        script_file_path: format!(
            "C:\\ProgramData\\NovaStor\\NovaBACKUP\\Scripts\\{}.nsj",
            run.job_name.replace(' ', "_")
        ),
        messages,
    })
}
