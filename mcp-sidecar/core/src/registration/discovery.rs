//! Where each client keeps its configuration on each platform, and whether it is installed.

use std::fs;
use std::path::{Path, PathBuf};

use super::client::Client;
use super::platform::Platform;
use crate::profiles::Os;

/// Claude Desktop's settings file name.
pub const CLAUDE_DESKTOP_FILE: &str = "claude_desktop_config.json";

/// One configuration file a client may read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigLocation {
    /// The file.
    pub path: PathBuf,
    /// Which install it belongs to ("Microsoft Store", "Insiders", ...), empty for the usual one.
    pub variant: &'static str,
    /// The file exists now.
    pub exists: bool,
}

impl ConfigLocation {
    fn new(path: PathBuf, variant: &'static str) -> Self {
        let exists = path.is_file();
        Self {
            path,
            variant,
            exists,
        }
    }
}

/// What was found for one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovery {
    /// The client.
    pub client: Client,
    /// The client seems installed (its program or its folders exist).
    pub installed: bool,
    /// The files to write, the one the client most likely reads first. One file for
    /// most clients; VS Code stable and Insiders each have their own.
    pub targets: Vec<ConfigLocation>,
    /// Other copies the client may read instead of the first target (Claude Desktop
    /// on Windows: the classic `%APPDATA%` file next to the Microsoft Store one).
    pub alternatives: Vec<ConfigLocation>,
    /// Claude Code's `claude` command line, when it is on `PATH`.
    pub claude_cli: Option<PathBuf>,
}

impl Discovery {
    /// The copies that exist, differ from the first target and may be read instead of it.
    /// Non-empty means the caller must choose (or write all of them).
    pub fn conflicting_copies(&self) -> Vec<PathBuf> {
        let Some(first) = self.targets.first().filter(|t| t.exists) else {
            return Vec::new();
        };
        let first_bytes = fs::read(&first.path).ok();
        let differing: Vec<PathBuf> = self
            .alternatives
            .iter()
            .filter(|alt| alt.exists && fs::read(&alt.path).ok() != first_bytes)
            .map(|alt| alt.path.clone())
            .collect();
        if differing.is_empty() {
            return differing;
        }
        std::iter::once(first.path.clone())
            .chain(differing)
            .collect()
    }
}

/// Finds where `client` keeps its configuration on `platform`.
pub fn discover(client: Client, platform: &Platform) -> Discovery {
    let home = platform.home().map(Path::to_path_buf).unwrap_or_default();
    let config = platform
        .config_dir()
        .unwrap_or_else(|| home.join(".config"));
    let mut discovery = Discovery {
        client,
        installed: false,
        targets: Vec::new(),
        alternatives: Vec::new(),
        claude_cli: None,
    };
    match client {
        Client::ClaudeDesktop => discover_claude_desktop(platform, &home, &config, &mut discovery),
        Client::ClaudeCode => {
            let dir = platform.claude_config_dir.clone().unwrap_or(home.clone());
            let file = ConfigLocation::new(dir.join(".claude.json"), "");
            discovery.claude_cli = platform.find_program("claude");
            discovery.installed =
                discovery.claude_cli.is_some() || file.exists || home.join(".claude").is_dir();
            discovery.targets.push(file);
        }
        Client::Cursor => {
            let dir = home.join(".cursor");
            discovery.installed = dir.is_dir();
            discovery
                .targets
                .push(ConfigLocation::new(dir.join("mcp.json"), ""));
        }
        Client::VsCode => {
            for (folder, variant) in [("Code", ""), ("Code - Insiders", "Insiders")] {
                let user = config.join(folder).join("User");
                if user.is_dir() {
                    discovery.installed = true;
                    discovery
                        .targets
                        .push(ConfigLocation::new(user.join("mcp.json"), variant));
                }
            }
            if discovery.targets.is_empty() {
                let file = config.join("Code").join("User").join("mcp.json");
                discovery.targets.push(ConfigLocation::new(file, ""));
            }
        }
        Client::Windsurf => {
            let dir = home.join(".codeium").join("windsurf");
            discovery.installed = dir.is_dir();
            discovery
                .targets
                .push(ConfigLocation::new(dir.join("mcp_config.json"), ""));
        }
    }
    discovery.installed |= discovery.targets.iter().any(|t| t.exists);
    discovery
}

fn discover_claude_desktop(
    platform: &Platform,
    home: &Path,
    config: &Path,
    discovery: &mut Discovery,
) {
    let classic_dir = config.join("Claude");
    let classic = ConfigLocation::new(classic_dir.join(CLAUDE_DESKTOP_FILE), "");
    let mut installed = classic_dir.is_dir();
    match platform.os() {
        Os::Windows => {
            let local = platform.local_appdata.clone();
            let packages = msix_packages(local.as_deref());
            let store: Vec<ConfigLocation> = packages
                .iter()
                .map(|package| {
                    let dir = package.join("LocalCache").join("Roaming").join("Claude");
                    ConfigLocation::new(dir.join(CLAUDE_DESKTOP_FILE), "Microsoft Store")
                })
                .collect();
            installed |=
                !packages.is_empty() || local.is_some_and(|l| l.join("AnthropicClaude").is_dir());
            // The Store build reads its private copy; prefer it whenever it is installed,
            // unless only the classic file exists.
            let mut all: Vec<ConfigLocation> = store.into_iter().chain([classic]).collect();
            let store_installed = !packages.is_empty();
            all.sort_by_key(|loc| {
                let is_store = !loc.variant.is_empty();
                (!loc.exists, !(is_store && store_installed))
            });
            let mut all = all.into_iter();
            discovery.targets.extend(all.next());
            discovery.alternatives.extend(all);
        }
        Os::MacOs => {
            installed |= Path::new("/Applications/Claude.app").is_dir()
                || home.join("Applications").join("Claude.app").is_dir();
            discovery.targets.push(classic);
        }
        Os::Linux => {
            installed |= platform.find_program("claude-desktop").is_some();
            discovery.targets.push(classic);
        }
    }
    discovery.installed = installed;
}

/// The Microsoft Store packages of Claude: folders `Claude_*` under `%LOCALAPPDATA%\Packages`.
fn msix_packages(local_appdata: Option<&Path>) -> Vec<PathBuf> {
    let Some(packages) = local_appdata.map(|l| l.join("Packages")) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&packages) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.len() > "Claude_".len()
                && name
                    .get(..7)
                    .is_some_and(|p| p.eq_ignore_ascii_case("Claude_"))
                && entry.path().is_dir()
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}
