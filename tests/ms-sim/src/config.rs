//! The simulator's settings: estate size, paging, caps, faults at start and TLS.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::health::CustomerHealth;

/// How a simulated Management Server is built and how it behaves at start.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seed of the estate: the same seed (and `now`) always yields the same estate.
    pub seed: u64,
    /// Number of tenants (customers), each a root group with 1..3 child groups.
    pub tenants: usize,
    /// Number of agents (backup clients) per tenant.
    pub agents_per_tenant: usize,
    /// Total number of job runs (JobHistory rows) across the estate.
    pub runs: usize,
    /// How many days back the runs reach (runs start within the last this many days;
    /// at least 1). With `runs` about one per job and 1 day, the estate is "a day of runs".
    pub history_days: u32,
    /// How many of the newest warning, cancelled and failed runs have a log the server
    /// cannot fetch right now: `JobHistories(key)/Log` answers 503 for them (as a
    /// server that proxies logs from an agent that is offline does).
    pub unavailable_logs: usize,
    /// Delay added to every answer.
    pub latency: Duration,
    /// Random extra delay, up to this much, added on top of `latency`.
    pub jitter: Duration,
    /// Server-side page size: at most this many rows per answer, with an `@odata.nextLink`.
    pub page_size: Option<usize>,
    /// ASP.NET's MaxTop: a `$top` above it is answered with 400.
    pub max_top: Option<usize>,
    /// Lifetime of the JWTs handed out by `Account/Authenticate`.
    pub token_lifetime: Duration,
    /// Serve HTTPS with a certificate issued by a CA generated at start.
    pub tls: bool,
    /// What is wrong with that certificate, if anything (with `tls`).
    pub certificate: CertificateFault,
    /// The moment the estate is built relative to (run dates, activity dates);
    /// `None` means the current time. Fix it to compare estates across runs.
    pub now: Option<DateTime<Utc>>,
    /// How every customer's backups are doing; `None`: each tenant as
    /// [`CustomerHealth::of_tenant`] builds it (mixed, all well, every agent failing).
    pub customers: Option<CustomerHealth>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            tenants: 3,
            agents_per_tenant: 4,
            runs: 600,
            history_days: 60,
            unavailable_logs: 0,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            page_size: None,
            max_top: None,
            token_lifetime: Duration::from_secs(3600),
            tls: false,
            certificate: CertificateFault::None,
            now: None,
            customers: None,
        }
    }
}

impl SimConfig {
    /// One server of the benchmarks of the morning question (the MCP server's and the
    /// app's): 20 customers of 20 computers (400 agents), 2,400 runs over three days
    /// (about a day of them in the last 24 hours), every answer after 100 ms; `seed`
    /// tells the servers apart.
    pub fn morning_benchmark(seed: u64) -> Self {
        SimConfig {
            seed,
            tenants: 20,
            agents_per_tenant: 20,
            history_days: 3,
            runs: 2400,
            latency: Duration::from_millis(100),
            ..SimConfig::default()
        }
    }
}

/// A fault in the served certificate, to see how clients explain it. The CA is the
/// same either way, so a client that trusts it meets only this fault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CertificateFault {
    /// A good certificate for `127.0.0.1` and `localhost`.
    #[default]
    None,
    /// Issued for another host name (`wrong-host.invalid`).
    WrongHost,
    /// Valid only in the past (expired a year before the simulator started).
    Expired,
}
