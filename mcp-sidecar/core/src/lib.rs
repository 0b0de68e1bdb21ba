//! The core of NovaBACKUP MCP Companion: everything both programs share.
//!
//! Plain Rust with no dependency on `tauri` or `rmcp`: the MCP server and the tray
//! app are thin adapters over these modules.

pub mod client;
pub mod credentials_file;
pub mod digest;
pub mod error;
pub mod estate;
pub mod fanout;
pub mod health;
pub mod insight;
mod json_mistake;
pub mod keychain;
pub mod limits;
pub mod odata;
pub mod profiles;
pub mod registration;
pub mod remedy;
pub mod saved;
pub mod saving;
pub mod server_id;
pub mod server_state;

pub use client::{ClientSettings, Credentials, Deadline, ManagementClient, Page, TokenInfo};
pub use error::{ApiError, TlsProblem};
pub use fanout::{FanOut, FanOutMeta, FanOutTarget, fan_out};
pub use odata::Query;
pub use server_id::ServerId;
