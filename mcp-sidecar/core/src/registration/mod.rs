//! Registering novabackup-mcp in MCP clients' configurations (Claude Desktop first,
//! then Claude Code, Cursor, VS Code and Windsurf) without ever losing a byte of the
//! user's settings.
//!
//! - [`discover`] finds each client's files on a [`Platform`] passed in;
//! - [`register_in_file`] / [`unregister_from_file`] change only our entry, through
//!   [`update_file`]: a lock, backups ([`restore`]), an atomic replace and a re-read;
//! - [`client_status`] says where things stand, including whether Claude Desktop runs
//!   and whether it has novabackup-mcp as an extension ([`claude_desktop_extension`]);
//! - [`check_stable`] refuses to register a program that lives in a place that moves.

mod backup;
mod claude_code;
mod client;
mod config_edit;
mod discovery;
mod document;
mod entry;
mod error;
mod extension;
mod file_update;
mod platform;
mod processes;
mod splice;
mod stable_path;
mod status;

pub use backup::{KEPT_VERSIONS, RestorePoint, backups_dir, original_copy_path, restore, versions};
pub use claude_code::{add_commands, add_with_cli, remove_command, remove_with_cli};
pub use client::Client;
pub use config_edit::{
    FileChange, Registration, register_in_bytes, register_in_file, unregister_from_file,
    unregister_in_bytes,
};
pub use discovery::{CLAUDE_DESKTOP_FILE, ConfigLocation, Discovery, discover};
pub use document::{ConfigDocument, TextStyle};
pub use entry::{
    ENTRY_NAME, LogDetail, NODE_PACKAGE, SERVERS_FILE_VARIABLE, ServerEntry, Tuning, node_entries,
    runs_node_package,
};
pub use error::RegistrationError;
pub use extension::{
    EXTENSION_NAME, INSTALLATIONS_FILE, InstalledExtension, claude_desktop_extension,
    installed_extension,
};
pub use file_update::{Update, update_file};
pub use platform::{Platform, TEMP_DIRS_VARIABLE};
pub use processes::{
    CLAUDE_DESKTOP_PROCESS_NAMES, ProcessLister, SystemProcesses, claude_desktop_running,
};
pub use stable_path::check_stable;
pub use status::{ClientStatus, EntryState, client_status, inspect_file};
