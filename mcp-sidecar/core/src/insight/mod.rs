//! The pure computations behind the MCP tools: status labels and run triage, row
//! shaping, storage and cloud-storage summaries, run-log views, the group tree and
//! history windows. Everything here works on JSON rows as the Management Server sends
//! them (every field optional) and reads neither the clock nor the network.

pub mod csa;
pub mod fields;
pub mod groups;
pub mod rows;
pub mod runlog;
pub mod status;
pub mod storage;
pub mod window;
