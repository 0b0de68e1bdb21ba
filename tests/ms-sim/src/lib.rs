//! A Management Server simulator: a real HTTP server on loopback implementing the
//! API in ms-api.md (login with expiring JWTs, tenant-scoped users, a seeded estate,
//! the OData query subset, server paging, `$top` caps and faults on request).
//! A library for tests and, through the `ms-sim` binary, a demo.

mod answer;
mod auth;
mod backup_sources;
mod config;
mod counters;
mod error;
mod estate;
mod eval;
mod faults;
mod filter;
mod health;
mod hostile;
mod job_runs;
mod log_lines;
mod login;
mod model;
mod options;
mod routes;
mod schema;
mod seed;
mod server;
mod table;
mod tls;
mod truth;

pub use config::{CertificateFault, SimConfig};
pub use counters::Counters;
pub use estate::SimEstate;
pub use faults::{Faults, Hostile};
pub use health::CustomerHealth;
pub use model::{
    Agent, CloudStorageAccount, DemoUser, Device, Group, Job, JobLog, JobRun, LogMessage,
    S3Settings, StorageServer, Tenant, User, format_date,
};
pub use server::Sim;
