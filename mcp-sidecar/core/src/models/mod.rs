//! Typed views of the entities the Management Server API returns (see ms-api.md).
//!
//! Every field is optional because the server may leave any of them out or send
//! `null`; fields this program does not know are kept in `extra` so nothing a caller
//! asked for is lost. Names are the PascalCase names on the wire. Callers that pass
//! rows through unchanged can use the raw `serde_json::Value` rows instead. Status
//! codes and their labels live in `crate::insight`.

mod decode;
mod entities;

pub use decode::{decode, decode_rows};
pub use entities::{
    Agent, CloudStorageAccount, Device, Group, Job, JobHistory, LogMessage, RunLog, StorageServer,
    User,
};
