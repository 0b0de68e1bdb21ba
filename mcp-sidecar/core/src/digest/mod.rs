//! Backup health: the digest that answers "did my customers' backups work, and if
//! not, why?" over a window, for every server (or one) and every customer (or one).
//!
//! Two steps, so that every face (the MCP tool, the tray app, the command line) runs
//! the first through the fan-out it already has and calls the second:
//! - [`gather`]: one server's share ([`ServerPart`]): its customers named by their root
//!   groups, the window's runs counted by status (every row read: exact), the failing
//!   runs newest first with the first problem line of each log read (concurrently,
//!   bounded per server), and the agents with no success for `stale_hours`;
//! - [`combine`]: the parts and the fan-out's `_meta` into one [`Digest`]: customers
//!   worst first, causes grouped across servers ([`normalise`]), totals, and
//!   `complete` with each reason it is not.
//!
//! [`LogMemory`] keeps the first problem lines read, so a face that asks again reads
//! each finished run's log once.
//!
//! [`digest_over`] runs both through the core's fan-out for a face that holds its own
//! clients. [`report`] words a digest for a model in at most [`REPORT_LIMIT`] bytes. Nothing
//! here reads the clock: the request carries `now`.

mod causes;
mod combine;
mod gather;
mod memory;
mod model;
mod report;
mod request;
mod run;

pub use causes::{group as group_causes, normalise};
pub use combine::combine;
pub use gather::{NO_CUSTOMER, gather};
pub use memory::LogMemory;
pub use model::{
    Cause, Customer, Digest, DigestWindow, FailingRun, IncompleteReason, LogCounts, LogState,
    ServerPart, Severity, StaleAgent, Totals, Verdict, VerdictCounts,
};
pub use report::{Advice, REPORT_LIMIT, headline, report};
pub use request::{
    DEFAULT_LOOKUP_CONCURRENCY, DEFAULT_MAX_FAILING_RUNS, DEFAULT_MAX_LOGS, DEFAULT_STALE_HOURS,
    DigestRequest, MAX_FAILING_RUNS_RANGE, MAX_LAST_SUCCESS_LOOKUPS, MAX_LOGS_RANGE, Period,
    RequestError, STALE_HOURS_RANGE,
};
pub use run::digest_over;
