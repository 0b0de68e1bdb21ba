//! Where the product's files live on each platform, computed from values the caller
//! passes in (the binaries read the environment once, with [`HostEnvironment::from_process`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The operating system whose conventions decide where configuration lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// Linux and other Unix-like systems that follow the XDG base directories.
    Linux,
    /// macOS (`~/Library/Application Support`).
    MacOs,
    /// Windows (`%APPDATA%`).
    Windows,
}

impl Os {
    /// The system this program was built for.
    pub fn current() -> Self {
        if cfg!(target_os = "macos") {
            Self::MacOs
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::Linux
        }
    }
}

/// The folder, inside the platform's configuration folder, that holds the product's files.
pub const APP_FOLDER: &str = "novabackup-mcp";

/// The name of the profiles file inside [`APP_FOLDER`].
pub const SERVERS_FILE_NAME: &str = "servers.json";

/// The platform's per-user configuration folder: `$XDG_CONFIG_HOME` or `~/.config` on
/// Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
///
/// `None` when the values given do not determine it (no home folder known).
/// An `xdg_config_home` or `appdata` that is empty or relative is ignored, as the
/// XDG specification asks.
pub fn config_dir(
    os: Os,
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    appdata: Option<&Path>,
) -> Option<PathBuf> {
    let usable = |p: Option<&Path>| p.filter(|p| p.is_absolute()).map(Path::to_path_buf);
    let home = usable(home);
    match os {
        Os::Linux => usable(xdg_config_home).or_else(|| home.map(|h| h.join(".config"))),
        Os::MacOs => home.map(|h| h.join("Library").join("Application Support")),
        Os::Windows => usable(appdata).or_else(|| home.map(|h| h.join("AppData").join("Roaming"))),
    }
}

/// The default profiles file: `<config dir>/novabackup-mcp/servers.json`
/// (see [`config_dir`]); `None` when no home folder is known.
pub fn default_servers_file(
    os: Os,
    home: Option<&Path>,
    xdg_config_home: Option<&Path>,
    appdata: Option<&Path>,
) -> Option<PathBuf> {
    config_dir(os, home, xdg_config_home, appdata)
        .map(|dir| dir.join(APP_FOLDER).join(SERVERS_FILE_NAME))
}

/// The Node.js server's default plaintext credentials file:
/// `~/.novabackup-mcp/credentials.json` on every platform.
pub fn default_credentials_file(home: &Path) -> PathBuf {
    home.join(".novabackup-mcp").join("credentials.json")
}

/// The environment values that decide where files live, read once by a binary and
/// passed to the core, so the core itself never reads the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostEnvironment {
    /// The platform's conventions to follow.
    pub os: Os,
    /// The user's home folder (`HOME`, or `USERPROFILE` on Windows).
    pub home: Option<PathBuf>,
    /// `XDG_CONFIG_HOME` (Linux).
    pub xdg_config_home: Option<PathBuf>,
    /// `APPDATA` (Windows).
    pub appdata: Option<PathBuf>,
    /// `MCP_SERVERS_FILE`: the profiles file to use instead of the default.
    pub servers_file: Option<PathBuf>,
    /// `MCP_CREDENTIALS_FILE`: the Node.js server's plaintext credentials file.
    pub credentials_file: Option<PathBuf>,
}

impl HostEnvironment {
    /// Reads the variables above from this process's environment (empty values count as unset).
    pub fn from_process() -> Self {
        let os = Os::current();
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v: &OsString| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = match os {
            Os::Windows => var("USERPROFILE").or_else(|| var("HOME")),
            _ => var("HOME"),
        };
        Self {
            os,
            home,
            xdg_config_home: var("XDG_CONFIG_HOME"),
            appdata: var("APPDATA"),
            servers_file: var("MCP_SERVERS_FILE"),
            credentials_file: var("MCP_CREDENTIALS_FILE"),
        }
    }

    /// The profiles file: `MCP_SERVERS_FILE` when set, else [`default_servers_file`].
    pub fn servers_file(&self) -> Option<PathBuf> {
        self.servers_file.clone().or_else(|| {
            default_servers_file(
                self.os,
                self.home.as_deref(),
                self.xdg_config_home.as_deref(),
                self.appdata.as_deref(),
            )
        })
    }

    /// The Node.js server's credentials file: `MCP_CREDENTIALS_FILE` when set, else
    /// [`default_credentials_file`].
    pub fn credentials_file(&self) -> Option<PathBuf> {
        self.credentials_file
            .clone()
            .or_else(|| self.home.as_deref().map(default_credentials_file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_prefers_an_absolute_xdg_config_home() {
        let home = Path::new("/home/alice");
        assert_eq!(
            default_servers_file(Os::Linux, Some(home), Some(Path::new("/cfg")), None),
            Some(PathBuf::from("/cfg/novabackup-mcp/servers.json"))
        );
        assert_eq!(
            default_servers_file(Os::Linux, Some(home), Some(Path::new("rel")), None),
            Some(PathBuf::from(
                "/home/alice/.config/novabackup-mcp/servers.json"
            )),
            "a relative XDG_CONFIG_HOME is ignored"
        );
        assert_eq!(default_servers_file(Os::Linux, None, None, None), None);
    }

    #[test]
    fn macos_and_windows_use_their_own_folders() {
        let home = Path::new("/Users/bob");
        assert_eq!(
            default_servers_file(Os::MacOs, Some(home), Some(Path::new("/cfg")), None),
            Some(PathBuf::from(
                "/Users/bob/Library/Application Support/novabackup-mcp/servers.json"
            ))
        );
        let appdata = Path::new("/appdata");
        assert_eq!(
            default_servers_file(Os::Windows, Some(home), None, Some(appdata)),
            Some(PathBuf::from("/appdata/novabackup-mcp/servers.json"))
        );
        assert_eq!(
            default_servers_file(Os::Windows, Some(home), None, None),
            Some(PathBuf::from(
                "/Users/bob/AppData/Roaming/novabackup-mcp/servers.json"
            ))
        );
    }

    #[test]
    fn overrides_win_over_defaults() {
        let env = HostEnvironment {
            os: Os::Linux,
            home: Some(PathBuf::from("/home/alice")),
            xdg_config_home: None,
            appdata: None,
            servers_file: Some(PathBuf::from("/etc/nb/servers.json")),
            credentials_file: None,
        };
        assert_eq!(
            env.servers_file(),
            Some(PathBuf::from("/etc/nb/servers.json"))
        );
        assert_eq!(
            env.credentials_file(),
            Some(PathBuf::from(
                "/home/alice/.novabackup-mcp/credentials.json"
            ))
        );
    }
}
