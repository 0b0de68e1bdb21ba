//! Whether novabackup-mcp is installed in Claude Desktop as an extension (the MCP
//! Bundle, `.mcpb`), in which case Claude manages its own entry and a second one in
//! `claude_desktop_config.json` would start a second copy.
//!
//! Claude Desktop keeps its extensions next to its settings file. The layout is not a
//! documented interface; it is what Claude Desktop writes and what other tools read:
//! - `extensions-installations.json`: `{"extensions": {"<id>": {"id", "version",
//!   "manifest": {"name", "version", ...}, ...}}}`, one record per installed extension;
//! - `Claude Extensions/<id>/`: the unpacked bundle;
//! - `Claude Extensions Settings/<id>.json`: `{"isEnabled": true|false, "userConfig": ...}`.
//!
//! An extension is recognised by its manifest's `name`, whatever id Claude gave it.
//! A file that cannot be read or understood counts as "no extension": this only decides
//! whether to offer an entry, and reading never changes anything.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::client::Client;
use super::discovery::{Discovery, discover};
use super::platform::Platform;

/// The `name` in the bundle's `manifest.json` (packaging/mcpb/manifest.json).
pub const EXTENSION_NAME: &str = "novabackup-mcp";

/// Claude Desktop's record of its installed extensions, next to its settings file.
pub const INSTALLATIONS_FILE: &str = "extensions-installations.json";

/// The folder of per-extension settings (`<id>.json`), next to the settings file.
const SETTINGS_FOLDER: &str = "Claude Extensions Settings";

/// novabackup-mcp as a Claude Desktop extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstalledExtension {
    /// Claude's id for it (`local.mcpb.novabackup.novabackup-mcp` for a bundle opened from a file).
    pub id: String,
    /// The installed version, when recorded.
    pub version: Option<String>,
    /// Whether it is switched on in Claude's Settings → Extensions, when recorded.
    pub enabled: Option<bool>,
}

/// The novabackup-mcp extension recorded in the Claude Desktop folder `claude_dir`, if any.
pub fn installed_extension(claude_dir: &Path) -> Option<InstalledExtension> {
    let record = read_json(&claude_dir.join(INSTALLATIONS_FILE))?;
    let (id, entry) = record
        .get("extensions")?
        .as_object()?
        .iter()
        .find(|(_, entry)| {
            entry.pointer("/manifest/name").and_then(Value::as_str) == Some(EXTENSION_NAME)
        })?;
    let version = entry
        .get("version")
        .or_else(|| entry.pointer("/manifest/version"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    // Only our own extension's settings are read, and only the switch in them.
    let enabled = safe_file_name(id)
        .then(|| read_json(&claude_dir.join(SETTINGS_FOLDER).join(format!("{id}.json"))))
        .flatten()
        .and_then(|settings| settings.get("isEnabled").and_then(Value::as_bool));
    Some(InstalledExtension {
        id: id.clone(),
        version,
        enabled,
    })
}

/// The novabackup-mcp extension of Claude Desktop on `platform`, looked for next to each
/// settings file Claude Desktop may read (on Windows the classic and the Microsoft Store one).
pub fn claude_desktop_extension(platform: &Platform) -> Option<InstalledExtension> {
    extension_beside(&discover(Client::ClaudeDesktop, platform))
}

/// The extension recorded next to any of the settings files `discovery` found.
pub(crate) fn extension_beside(discovery: &Discovery) -> Option<InstalledExtension> {
    discovery
        .targets
        .iter()
        .chain(&discovery.alternatives)
        .filter_map(|location| location.path.parent())
        .find_map(installed_extension)
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&fs::read(path).ok()?).ok()
}

/// An id that names a file in the settings folder, not a path out of it.
fn safe_file_name(id: &str) -> bool {
    !id.is_empty() && !id.contains(['/', '\\']) && id != "." && id != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_leave_the_folder_are_not_file_names() {
        assert!(safe_file_name("local.mcpb.novabackup.novabackup-mcp"));
        for id in ["", ".", "..", "../x", "a/b", "a\\b"] {
            assert!(!safe_file_name(id), "{id:?}");
        }
    }
}
