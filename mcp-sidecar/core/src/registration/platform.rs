//! The machine as registration sees it: platform folders, the program search path,
//! temporary folders. Built once by a binary from the real machine and passed in, so
//! discovery can be tested for every platform on any machine.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::profiles::{HostEnvironment, Os, config_dir};

/// Replaces the temporary folders `register` refuses to point a client into (a list of
/// paths, as `PATH` is written). For machines whose system temporary folder holds
/// programs on purpose, and for tests that run from a checkout in a temporary folder.
pub const TEMP_DIRS_VARIABLE: &str = "NOVABACKUP_MCP_TEMP_DIRS";

/// Everything registration needs to know about the machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    /// OS, home, `XDG_CONFIG_HOME`, `APPDATA`, the profiles file override.
    pub host: HostEnvironment,
    /// `LOCALAPPDATA` (Windows): where Microsoft Store apps keep their private folders.
    pub local_appdata: Option<PathBuf>,
    /// `CLAUDE_CONFIG_DIR`: where Claude Code keeps `.claude.json` instead of the home folder.
    pub claude_config_dir: Option<PathBuf>,
    /// The folders of `PATH`, in order.
    pub path: Vec<PathBuf>,
    /// Temporary folders (`TMPDIR`/`TEMP`/`TMP` and the system's), which are emptied at will.
    pub temp_dirs: Vec<PathBuf>,
    /// `APPDIR`: the mount point of the AppImage this program runs from, if any.
    pub appimage_mount: Option<PathBuf>,
}

impl Platform {
    /// Reads the values above from this process's environment.
    pub fn from_process() -> Self {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v: &OsString| !v.is_empty())
                .map(PathBuf::from)
        };
        let host = HostEnvironment::from_process();
        let mut temp_dirs = match std::env::var_os(TEMP_DIRS_VARIABLE) {
            Some(list) => std::env::split_paths(&list)
                .filter(|dir| !dir.as_os_str().is_empty())
                .collect(),
            None => {
                let mut dirs = vec![std::env::temp_dir()];
                dirs.extend(["TMPDIR", "TEMP", "TMP"].iter().filter_map(|n| var(n)));
                if host.os != Os::Windows {
                    dirs.extend(["/tmp", "/var/tmp"].map(PathBuf::from));
                }
                dirs
            }
        };
        // A program's path is compared once resolved (macOS: /var -> /private/var).
        let resolved: Vec<PathBuf> = temp_dirs
            .iter()
            .filter_map(|dir| dir.canonicalize().ok())
            .collect();
        temp_dirs.extend(resolved);
        temp_dirs.sort();
        temp_dirs.dedup();
        Self {
            host,
            local_appdata: var("LOCALAPPDATA"),
            claude_config_dir: var("CLAUDE_CONFIG_DIR"),
            path: std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).collect())
                .unwrap_or_default(),
            temp_dirs,
            appimage_mount: var("APPDIR"),
        }
    }

    /// A platform with only an OS and a home folder, for tests and callers that fill in the rest.
    pub fn with_home(os: Os, home: &Path) -> Self {
        Self {
            host: HostEnvironment {
                os,
                home: Some(home.to_path_buf()),
                xdg_config_home: None,
                appdata: None,
                servers_file: None,
                credentials_file: None,
            },
            local_appdata: None,
            claude_config_dir: None,
            path: Vec::new(),
            temp_dirs: Vec::new(),
            appimage_mount: None,
        }
    }

    /// The OS whose conventions apply.
    pub fn os(&self) -> Os {
        self.host.os
    }

    /// The user's home folder.
    pub fn home(&self) -> Option<&Path> {
        self.host.home.as_deref()
    }

    /// The per-user configuration folder (`~/.config`, `~/Library/Application Support`, `%APPDATA%`).
    pub fn config_dir(&self) -> Option<PathBuf> {
        config_dir(
            self.host.os,
            self.host.home.as_deref(),
            self.host.xdg_config_home.as_deref(),
            self.host.appdata.as_deref(),
        )
    }

    /// The first program called `name` on `PATH` (on Windows also `name.exe` and `name.cmd`).
    pub fn find_program(&self, name: &str) -> Option<PathBuf> {
        let names: Vec<String> = match self.host.os {
            Os::Windows => ["exe", "cmd", "bat"]
                .iter()
                .map(|ext| format!("{name}.{ext}"))
                .collect(),
            _ => vec![name.to_owned()],
        };
        self.path
            .iter()
            .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
            .find(|candidate| candidate.is_file())
    }
}
