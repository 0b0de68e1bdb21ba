//! Running the built `novabackup-mcp` in a private HOME, as a user would.
#![allow(dead_code)] // each test binary uses a different part

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A home folder of its own and the session bus the program may talk to.
pub struct Home {
    dir: tempfile::TempDir,
    bus: Option<String>,
    extra_env: Vec<(String, String)>,
}

/// What one run of the program did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for messages in assertions.
    pub fn both(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Home {
    /// A fresh home that reaches the session bus of this test process (the Secret
    /// Service that `tests/keychain/run.sh` started), if any.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            bus: std::env::var("DBUS_SESSION_BUS_ADDRESS").ok(),
            extra_env: Vec::new(),
        }
    }

    /// A fresh home whose session bus address leads nowhere: no keychain at all.
    pub fn without_keychain() -> Self {
        let mut home = Self::new();
        let nowhere = home.path().join("no-bus-here");
        home.bus = Some(format!("unix:path={}", nowhere.display()));
        home
    }

    /// Sets one more environment variable for every run.
    pub fn env(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.extra_env.push((name.to_owned(), value.into()));
        self
    }

    /// The home folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where the program keeps saved servers in this home (Linux layout).
    pub fn servers_file(&self) -> PathBuf {
        self.path().join(".config/novabackup-mcp/servers.json")
    }

    /// Runs the program with `args`, feeding `stdin` (closed right after).
    pub fn run(&self, args: &[&str], stdin: &str) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_novabackup-mcp"));
        command
            .args(args)
            .env_clear()
            .env("HOME", self.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(bus) = &self.bus {
            command.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        for (name, value) in &self.extra_env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the built binary starts");
        let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        // A program that fails before reading its input closes the pipe early: fine.
        if let Err(error) = written {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Every file under this home whose bytes contain `needle`.
    pub fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = fs::read(&path)
                    && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
                {
                    found.push(path);
                }
            }
        }
        found
    }
}
