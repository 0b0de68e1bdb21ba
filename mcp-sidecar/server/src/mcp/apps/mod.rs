//! MCP Apps (the official extension `io.modelcontextprotocol/ui`, SEP-1865): the
//! backup health report as an interactive view. The view is one self-contained HTML
//! file built from `ui/health-view` and embedded at build time; it is served as the
//! resource `ui://novabackup/backup-health.html`, and `get_backup_health` points at it only for clients that
//! announce the extension. Other clients see the tools exactly as before.

mod link;
mod view;

pub use link::tool_list;
pub use view::{read_resource, resource_list};
