//! The entry novabackup-mcp adds to a client's server list, and how existing entries
//! are recognised (ours, an older path, the Node.js package).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::client::Client;
use crate::limits;

/// The name of our entry in every client's server list.
pub const ENTRY_NAME: &str = "novabackup";

/// The npm package of the Node.js server this product replaces.
pub const NODE_PACKAGE: &str = "@novabackup/management-server-mcp";

/// The environment variable that tells the sidecar where the profiles file is.
pub const SERVERS_FILE_VARIABLE: &str = "MCP_SERVERS_FILE";

/// The few settings of the sidecar that an entry may carry: typed, so that nothing
/// else (least of all a password) fits in. `None` leaves the sidecar's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tuning {
    /// Servers asked at the same time in a fan-out.
    pub fanout_concurrency: Option<u16>,
    /// Seconds before a request to a server is given up.
    pub request_timeout_seconds: Option<u16>,
    /// How much the sidecar logs.
    pub log_level: Option<LogDetail>,
}

/// A log level the sidecar understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogDetail {
    /// Failures only.
    Error,
    /// Failures and warnings.
    Warn,
    /// What happens, in outline (the default).
    Info,
    /// More, for support.
    Debug,
    /// Everything.
    Trace,
}

impl LogDetail {
    /// The word the sidecar reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
            Self::Trace => "trace",
        }
    }
}

/// What gets registered: the program and the non-secret settings it needs. There is
/// deliberately no way to add free-form variables, so no password can end up in a
/// client's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerEntry {
    command: PathBuf,
    servers_file: PathBuf,
    tuning: Tuning,
}

impl ServerEntry {
    /// The entry for the program at `command` (an absolute path) reading the profiles
    /// file at `servers_file` (an absolute path: under the Microsoft Store build of
    /// Claude a child sees a private copy of `%APPDATA%`, so it must be told).
    pub fn new(command: impl Into<PathBuf>, servers_file: impl Into<PathBuf>) -> Self {
        Self {
            command: command.into(),
            servers_file: servers_file.into(),
            tuning: Tuning::default(),
        }
    }

    /// The same entry carrying `tuning` in its environment.
    pub fn with_tuning(mut self, tuning: Tuning) -> Self {
        self.tuning = tuning;
        self
    }

    /// The program.
    pub fn command(&self) -> &Path {
        &self.command
    }

    /// The environment the entry sets, as `(name, value)` pairs.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let Tuning {
            fanout_concurrency,
            request_timeout_seconds,
            log_level,
        } = self.tuning;
        let mut env = vec![(
            SERVERS_FILE_VARIABLE,
            self.servers_file.to_string_lossy().into_owned(),
        )];
        env.extend(
            fanout_concurrency.map(|n| (limits::FANOUT_CONCURRENCY.variable, n.to_string())),
        );
        env.extend(
            request_timeout_seconds
                .map(|n| (limits::REQUEST_TIMEOUT_SECONDS.variable, n.to_string())),
        );
        env.extend(log_level.map(|l| (limits::LOG_LEVEL_VARIABLE, l.as_str().to_owned())));
        env
    }

    /// The entry's JSON for `client` (VS Code also wants `"type": "stdio"`).
    pub fn to_json(&self, client: Client) -> Value {
        let env: Map<String, Value> = self
            .env()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect();
        let mut entry = Map::new();
        if client == Client::VsCode {
            entry.insert("type".to_owned(), json!("stdio"));
        }
        entry.insert("command".to_owned(), json!(self.command.to_string_lossy()));
        entry.insert("args".to_owned(), json!([]));
        entry.insert("env".to_owned(), Value::Object(env));
        Value::Object(entry)
    }
}

/// Whether an existing server entry runs the Node.js package (`npx -y
/// @novabackup/management-server-mcp`, `cmd /c npx ...`, a pinned version, ...).
pub fn runs_node_package(entry: &Value) -> bool {
    let mentions = |s: &str| s.contains(NODE_PACKAGE);
    let command = entry.get("command").and_then(Value::as_str).unwrap_or("");
    let args = entry.get("args").and_then(Value::as_array);
    mentions(command) || args.is_some_and(|a| a.iter().filter_map(Value::as_str).any(mentions))
}

/// The names of the entries in `servers` that run the Node.js package.
pub fn node_entries(servers: &Map<String, Value>) -> Vec<String> {
    servers
        .iter()
        .filter(|(_, entry)| runs_node_package(entry))
        .map(|(name, _)| name.clone())
        .collect()
}
