//! The lines a run's log carries when it has trouble: a handful of errors and
//! warnings, each filled in per run with what varies in real logs (numbers, paths,
//! host names, drive letters, quoted names), so that a reader has to see past those
//! to group them.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The kinds of error a failed run starts with, by stable name (for tests).
pub(crate) const ERRORS: [&str; 7] = [
    "network_path_not_found",
    "s3_access_denied",
    "vss_writer_timeout",
    "destination_full",
    "access_denied",
    "sql_login_failed",
    "license_expired",
];

/// The kinds of warning a run that completed with warnings starts with.
pub(crate) const WARNINGS: [&str; 3] = ["file_locked", "files_changed", "slow_connection"];

/// The kind of line a cancelled run carries.
pub(crate) const CANCELLED: &str = "cancelled_by_user";

/// The index of the S3 refusal in [`ERRORS`].
pub(crate) const S3_ACCESS_DENIED: usize = 1;

const USERS: &[&str] = &["jdoe", "asmith", "mkhan", "lgarcia", "tnguyen", "backup"];
const FILES: &[&str] = &["report", "budget", "invoices", "timesheet", "forecast"];
const WRITERS: &[&str] = &[
    "SqlServerWriter",
    "Microsoft Exchange Writer",
    "System Writer",
];
const DATABASES: &[&str] = &["Sales", "Payroll", "Inventory", "Patients", "CRM"];
const DRIVES: &[char] = &['C', 'D', 'E', 'F', 'G', 'H'];

/// Where a run happened, for the names its lines mention.
pub(crate) struct Place<'a> {
    /// The customer's name as one lower-case word (`contosodental`).
    pub slug: &'a str,
    /// The agent's machine name (`CONTOSODENTAL-FS02`).
    pub machine: &'a str,
}

/// The troubles an agent usually has (an index into [`ERRORS`] and one into
/// [`WARNINGS`]), the same for a seed and agent on every run.
pub(crate) fn usual_trouble(seed: u64, agent_id: i64) -> (usize, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (agent_id as u64).wrapping_mul(0x2545_F491));
    (
        rng.random_range(0..ERRORS.len()),
        rng.random_range(0..WARNINGS.len()),
    )
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

/// The text of error `kind` (an index into [`ERRORS`]) for a run at `place`.
pub(crate) fn error_line(kind: usize, place: &Place<'_>, rng: &mut ChaCha8Rng) -> String {
    let slug = place.slug;
    match kind % ERRORS.len() {
        0 => format!(
            "Unable to connect to the backup device \\\\nas{:02}.{slug}.local\\backup{}: the network \
             path was not found (error 53)",
            rng.random_range(1..6),
            rng.random_range(1..4)
        ),
        1 => format!(
            "S3 upload to https://s3.storage-west.example.net/nb-{slug}-{} failed: 403 AccessDenied \
             after {} attempts",
            rng.random_range(5001..9999),
            rng.random_range(2..6)
        ),
        2 => format!(
            "Volume Shadow Copy Service error on volume {}: VSS_E_WRITER_TIMEOUT (writer '{}')",
            DRIVES.choose(rng).copied().unwrap_or('C'),
            pick(rng, WRITERS)
        ),
        3 => format!(
            "Not enough free space on {}:\\Backups\\{}: {}.{} GB needed, {}.{} GB free",
            DRIVES[1..].choose(rng).copied().unwrap_or('E'),
            place.machine,
            rng.random_range(20..900),
            rng.random_range(0..10),
            rng.random_range(0..20),
            rng.random_range(0..10)
        ),
        4 => {
            let user = pick(rng, USERS);
            format!(
                "Access is denied to C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Outlook\\{user}.ost \
                 (0x80070005)"
            )
        }
        5 => format!(
            "SQL Server database '{}{}' on sql{:02}.{slug}.local could not be backed up: login failed \
             (error 18456)",
            pick(rng, DATABASES),
            rng.random_range(2019..2027),
            rng.random_range(1..4)
        ),
        _ => format!(
            "The backup license NB-{:05}-{:05} expired on 2026-{:02}-{:02}; renew it in the \
             Management Server",
            rng.random_range(0..100_000),
            rng.random_range(0..100_000),
            rng.random_range(1..13),
            rng.random_range(1..29)
        ),
    }
}

/// The text of warning `kind` (an index into [`WARNINGS`]) for a run at `place`.
pub(crate) fn warning_line(kind: usize, place: &Place<'_>, rng: &mut ChaCha8Rng) -> String {
    match kind % WARNINGS.len() {
        0 => format!(
            "File C:\\Users\\{}\\Documents\\{}{}.xlsx is locked and was skipped",
            pick(rng, USERS),
            pick(rng, FILES),
            rng.random_range(1..40)
        ),
        1 => format!(
            "{} files changed while they were being backed up and were skipped",
            rng.random_range(2..400)
        ),
        _ => format!(
            "The connection to {}.{}.local was slow; the transfer was retried {} times",
            place.machine.to_ascii_lowercase(),
            place.slug,
            rng.random_range(2..9)
        ),
    }
}

/// The line of a cancelled run at `place`.
pub(crate) fn cancelled_line(place: &Place<'_>, rng: &mut ChaCha8Rng) -> String {
    format!(
        "Job was cancelled by user '{}\\{}'",
        place.slug.to_ascii_uppercase(),
        pick(rng, USERS)
    )
}
