//! Shared helpers of the MCP tests: simulators on loopback, a temporary profiles file
//! and plaintext credentials file, and the built `novabackup-mcp` binary spawned as a
//! real child process with an rmcp client talking to it over stdio.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use ms_sim::{DemoUser, Sim, SimConfig};
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, ElicitRequestParams,
    ElicitResult, ElicitationAction, Implementation, ProgressNotificationParam,
};
use rmcp::service::{NotificationContext, RequestContext, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::{Value, json};
use tempfile::TempDir;

/// One server the MCP server is configured with.
pub struct Configured {
    /// Its id.
    pub server_id: String,
    /// Its address.
    pub base_url: String,
    /// The user it logs in as.
    pub user: DemoUser,
}

impl Configured {
    /// The admin of `sim`, as `server_id`.
    pub fn admin(server_id: &str, sim: &Sim) -> Self {
        Self {
            server_id: server_id.to_owned(),
            base_url: sim.base_url(),
            user: sim.admin().clone(),
        }
    }
}

/// The admins of `sims` as servers `ms00`, `ms01`, ...
pub fn admins(sims: &[Sim]) -> Vec<Configured> {
    sims.iter()
        .enumerate()
        .map(|(i, sim)| Configured::admin(&format!("ms{i:02}"), sim))
        .collect()
}

/// A client that records the progress notifications it receives and, when given a
/// form answer, supports elicitation and fills every form with it.
#[derive(Clone, Default)]
pub struct Recorder {
    /// Progress notifications, in arrival order.
    pub progress: Arc<Mutex<Vec<ProgressNotificationParam>>>,
    /// What to answer to an elicitation form; `None`: elicitation is not supported.
    pub form_answer: Option<Value>,
    /// The messages and schemas of the forms shown.
    pub forms: Arc<Mutex<Vec<Value>>>,
}

impl ClientHandler for Recorder {
    fn get_info(&self) -> ClientConfig {
        let capabilities = if self.form_answer.is_some() {
            ClientCapabilities::builder().enable_elicitation().build()
        } else {
            ClientCapabilities::default()
        };
        ClientConfig::new(
            capabilities,
            Implementation::new("novabackup-mcp-tests", "1.0.0"),
        )
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, rmcp::ErrorData> {
        self.forms
            .lock()
            .unwrap()
            .push(serde_json::to_value(&request).unwrap());
        Ok(match &self.form_answer {
            Some(answer) => {
                ElicitResult::new(ElicitationAction::Accept).with_content(answer.clone())
            }
            None => ElicitResult::new(ElicitationAction::Decline),
        })
    }

    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.progress.lock().unwrap().push(params);
    }
}

/// A running `novabackup-mcp` with its client, files and stderr log.
pub struct Harness {
    /// The connected client.
    pub client: RunningService<RoleClient, Recorder>,
    /// What the client recorded.
    pub recorder: Recorder,
    /// The temporary home of the server's files.
    pub dir: TempDir,
    /// Where the server's stderr goes.
    pub stderr: PathBuf,
}

/// Writes the profiles and credentials files for `servers` into `dir`.
pub fn write_files(dir: &TempDir, servers: &[Configured]) -> (PathBuf, PathBuf) {
    let profiles = json!({
        "version": 1,
        "servers": servers.iter().map(|s| json!({
            "server_id": s.server_id, "label": format!("{} label", s.server_id),
            "base_url": s.base_url, "username": s.user.user_name,
        })).collect::<Vec<_>>(),
    });
    let credentials = json!({
        "version": 1,
        "servers": servers.iter().map(|s| json!({
            "server_id": s.server_id, "label": format!("{} label", s.server_id),
            "base_url": s.base_url, "username": s.user.user_name, "password": s.user.password,
        })).collect::<Vec<_>>(),
    });
    let profiles_path = dir.path().join("servers.json");
    let credentials_path = dir.path().join("credentials.json");
    std::fs::write(&profiles_path, profiles.to_string()).unwrap();
    std::fs::write(&credentials_path, credentials.to_string()).unwrap();
    (profiles_path, credentials_path)
}

/// The binary as a command with a clean environment pointing at `dir`'s files.
pub fn command(
    dir: &TempDir,
    servers: &[Configured],
    env: &[(&str, &str)],
) -> tokio::process::Command {
    let (profiles, credentials) = write_files(dir, servers);
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_novabackup-mcp"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("MCP_SERVERS_FILE", profiles)
        .env("MCP_CREDENTIALS_FILE", credentials)
        .env("MCP_REQUEST_TIMEOUT_SECONDS", "2")
        .env("MCP_OPERATION_TIMEOUT_SECONDS", "20");
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// Spawns the binary configured with `servers` and connects a client to it.
pub async fn start(servers: &[Configured], env: &[(&str, &str)]) -> Harness {
    start_with(Recorder::default(), servers, env).await
}

/// [`start`] with a client of one's own.
pub async fn start_with(
    recorder: Recorder,
    servers: &[Configured],
    env: &[(&str, &str)],
) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let stderr = dir.path().join("stderr.log");
    let log = std::fs::File::create(&stderr).unwrap();
    let (transport, _) = TokioChildProcess::builder(command(&dir, servers, env))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("the built binary starts");
    let client = recorder
        .clone()
        .serve(transport)
        .await
        .expect("the MCP handshake succeeds");
    Harness {
        client,
        recorder,
        dir,
        stderr,
    }
}

/// Starts a simulator with `config`.
pub async fn sim(config: SimConfig) -> Sim {
    Sim::start(config)
        .await
        .expect("the simulator starts on loopback")
}

impl Harness {
    /// Calls `tool` with `arguments` and returns the result.
    pub async fn call(&self, tool: &'static str, arguments: Value) -> CallToolResult {
        let arguments = arguments.as_object().cloned().unwrap_or_default();
        self.client
            .call_tool(CallToolRequestParams::new(tool).with_arguments(arguments))
            .await
            .unwrap_or_else(|e| panic!("{tool} answers at the protocol level: {e}"))
    }

    /// Calls `tool` and returns its structured content, failing the test on `isError`.
    pub async fn ok(&self, tool: &'static str, arguments: Value) -> Value {
        let result = self.call(tool, arguments).await;
        let content = result
            .structured_content
            .clone()
            .expect("structured content");
        assert_ne!(result.is_error, Some(true), "{tool} failed: {content}");
        content
    }

    /// Everything the server wrote on stderr so far.
    pub fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

/// The Node.js server this project replaces (`@novabackup/management-server-mcp`
/// 0.5.1), when installed: `NOVABACKUP_NODE_SERVER`, else the pinned copy
/// `npm ci --prefix tests/node-reference` installs (tests/run-all.sh runs it), else
/// the benchmark's `target/bench-node`.
pub fn node_server() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NOVABACKUP_NODE_SERVER") {
        return Some(PathBuf::from(path)).filter(|p| p.exists());
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let package = "node_modules/@novabackup/management-server-mcp/dist/index.js";
    [
        repo.join("tests/node-reference").join(package),
        repo.join("target/bench-node").join(package),
    ]
    .into_iter()
    .find(|path| path.exists())
}

/// The Node.js server as a command with a clean environment pointing at `dir`'s
/// files (its presets and its plaintext credentials file).
pub fn node_command(
    node_server: &std::path::Path,
    dir: &TempDir,
    servers: &[Configured],
    env: &[(&str, &str)],
) -> tokio::process::Command {
    let (presets, credentials) = write_files(dir, servers);
    let mut command = tokio::process::Command::new("node");
    command
        .arg(node_server)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("MCP_SERVERS_FILE", presets)
        .env("MCP_CREDENTIALS_FILE", credentials)
        .env("MCP_LOG_LEVEL", "error");
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// A spawned MCP server with its client, for measurements.
pub struct Spawned {
    /// The connected client.
    pub client: RunningService<RoleClient, Recorder>,
    /// The server's process id.
    pub pid: u32,
    /// How long spawning and the handshake took.
    pub handshake: std::time::Duration,
}

/// Spawns `command` (stderr discarded) and connects a client, timing the handshake.
pub async fn spawn(command: tokio::process::Command) -> Spawned {
    let started = std::time::Instant::now();
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = transport.id().unwrap_or(0);
    let client = Recorder::default()
        .serve(transport)
        .await
        .expect("handshake");
    Spawned {
        client,
        pid,
        handshake: started.elapsed(),
    }
}

/// Calls `tool` and returns its answer as JSON (structured content, else the text
/// parsed), the bytes of its text content (what a model reads) and how long it took.
pub async fn timed_call(
    client: &RunningService<RoleClient, Recorder>,
    tool: &'static str,
    args: Value,
) -> (Value, usize, std::time::Duration) {
    let started = std::time::Instant::now();
    let result = client
        .call_tool(
            CallToolRequestParams::new(tool)
                .with_arguments(args.as_object().cloned().unwrap_or_default()),
        )
        .await
        .expect("tool call");
    let took = started.elapsed();
    let text: String = result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect();
    let value = result
        .structured_content
        .clone()
        .or_else(|| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    (value, text.len(), took)
}
