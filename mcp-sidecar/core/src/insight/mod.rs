//! The computations behind the MCP tools: status labels and run triage, row shaping,
//! storage and cloud-storage summaries, run-log views, the group tree and history
//! windows work on JSON rows as the Management Server sends them (every field
//! optional) and read neither the clock nor the network; reading a whole collection
//! ([`collection`]) and counting runs exactly ([`run_counts`]) ask one server.

pub mod collection;
pub mod csa;
pub mod fields;
pub mod groups;
pub mod rows;
pub mod run_counts;
pub mod runlog;
pub mod status;
pub mod storage;
pub mod window;
