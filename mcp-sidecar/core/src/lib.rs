//! The core of NovaBACKUP MCP Companion: everything both programs share.
//!
//! Plain Rust with no dependency on `tauri` or `rmcp`: the MCP server and the tray
//! app are thin adapters over these modules.

pub mod credentials_file;
pub mod insight;
pub mod keychain;
pub mod profiles;
pub mod server_id;

pub use server_id::ServerId;
