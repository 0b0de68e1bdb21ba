//! How a tool asks servers: the estate's one way of asking (`Estate::ask`, bounded,
//! within the call's deadline, each missing server reported with its state) with
//! progress notifications, and the shape of answers and failures.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use novabackup_core::estate::{Admission, Asking, NoServer, Scope};
use novabackup_core::fanout::{FanOut, FanOutMeta, Miss};
use novabackup_core::{ApiError, Deadline, ManagementClient, ServerId};
use rmcp::RoleServer;
use rmcp::model::{CallToolResult, ProgressNotificationParam};
use rmcp::service::RequestContext;
use serde_json::{Value, json};

use super::server::NovaServer;

/// What the servers asked answered: each answering server's result, and the `_meta`.
#[derive(Debug)]
pub struct Answers<T> {
    /// Results of the servers that answered, in server order.
    pub results: Vec<(ServerId, T)>,
    /// Coverage and errors, sent as `_meta`.
    pub meta: FanOutMeta,
}

impl NovaServer {
    /// The deadline of one tool call (`MCP_OPERATION_TIMEOUT_SECONDS`).
    pub fn deadline(&self) -> Deadline {
        Deadline::after(self.settings().operation_timeout)
    }

    /// How a tool call asks servers: `MCP_FANOUT_CONCURRENCY` at once, within the
    /// call's deadline, waiting for a first login at most one request's time.
    pub fn asking(&self, admission: Admission) -> Asking {
        Asking {
            concurrency: self.settings().fanout_concurrency,
            deadline: self.deadline(),
            login_wait: self.settings().request_timeout,
            admission,
        }
    }

    /// Runs `operation` on one server (`server_id`) or on every configured server.
    /// Servers known to be down are reported at once in `_meta.errors`; servers still
    /// logging in are waited for briefly. Sends progress as servers finish when the
    /// request carries a progress token. Fails (as a tool result) only when no server
    /// is configured or `server_id` is unknown.
    pub async fn fan_out<T, F, Fut>(
        &self,
        server_id: Option<&str>,
        context: &RequestContext<RoleServer>,
        operation: F,
    ) -> Result<Answers<T>, CallToolResult>
    where
        F: Fn(ServerId, ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let asking = self.asking(Admission::Healthy);
        let asked = self
            .fan_out_with(server_id, context, asking, operation)
            .await?;
        let results = asked
            .outcomes
            .into_iter()
            .filter_map(|outcome| outcome.result.ok().map(|value| (outcome.server_id, value)))
            .collect();
        Ok(Answers {
            results,
            meta: asked.meta,
        })
    }

    /// [`NovaServer::fan_out`] asking as `asking` says, with every server's outcome.
    pub async fn fan_out_with<T, F, Fut>(
        &self,
        server_id: Option<&str>,
        context: &RequestContext<RoleServer>,
        asking: Asking,
        operation: F,
    ) -> Result<FanOut<T>, CallToolResult>
    where
        F: Fn(ServerId, ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let only = self.scope(server_id)?;
        let scope = only.as_ref().map_or(Scope::All, Scope::One);
        let progress = Progress::new(context, self.servers_in(scope));
        self.estate()
            .ask(scope, asking, &progress, operation)
            .await
            .map_err(|none| self.no_server(none))
    }

    /// Asks every server at once and returns the first that answers `Some`, dropping
    /// (and so cancelling) the requests still under way. `_meta` covers the servers
    /// that had answered by then and those known to be unavailable.
    pub async fn first_hit<T, F, Fut>(
        &self,
        context: &RequestContext<RoleServer>,
        operation: F,
    ) -> Result<(Option<(ServerId, T)>, FanOutMeta), CallToolResult>
    where
        F: Fn(ServerId, ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<Option<T>, ApiError>>,
    {
        let progress = Progress::new(context, self.servers_in(Scope::All));
        self.estate()
            .ask_first(
                Scope::All,
                self.asking(Admission::Healthy),
                &progress,
                operation,
            )
            .await
            .map_err(|none| self.no_server(none))
    }

    /// Runs `operation` on one server; its failure becomes a tool error result that
    /// carries the server's own message.
    pub async fn on_one<T, F, Fut>(
        &self,
        server_id: &str,
        operation: F,
    ) -> Result<T, CallToolResult>
    where
        F: FnOnce(ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let Some(id) = self.scope(Some(server_id))? else {
            return Err(failure(
                "server_id is required here: name one configured server (see list_servers).",
                json!({"server_id": server_id}),
            ));
        };
        let result = self
            .estate()
            .ask_one(&id, self.asking(Admission::Healthy), operation)
            .await
            .map_err(|none| self.no_server(none))?;
        result.map_err(|miss| miss_failure(server_id, &miss))
    }

    /// The server a call names, checked: `None` for every server. A malformed id is a
    /// failure the model can correct.
    #[expect(
        clippy::result_large_err,
        reason = "tool results travel by value throughout the MCP face"
    )]
    fn scope(&self, server_id: Option<&str>) -> Result<Option<ServerId>, CallToolResult> {
        match server_id.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(text) => ServerId::new(text)
                .map(Some)
                .map_err(|error| failure(&error.to_string(), json!({"server_id": text}))),
        }
    }

    fn servers_in(&self, scope: Scope<'_>) -> usize {
        self.estate()
            .members_in(scope)
            .map_or(0, |members| members.len())
    }

    /// The tool result for a call with no server to ask.
    pub fn no_server(&self, none: NoServer) -> CallToolResult {
        match none {
            NoServer::Unknown(id) => self.unknown_server(id.as_str()),
            NoServer::NoneConfigured => no_servers(),
        }
    }

    fn unknown_server(&self, server_id: &str) -> CallToolResult {
        let known: Vec<String> = self
            .estate()
            .members()
            .iter()
            .map(|m| m.server_id.to_string())
            .collect();
        failure(
            &format!(
                "No server with server_id \"{server_id}\" is configured. Configured: {}. \
                 Call list_servers, or connect_server to add one.",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
            json!({"server_id": server_id, "configured": known}),
        )
    }
}

/// The tool error of one server that did not answer: its own message and kind.
fn miss_failure(server_id: &str, miss: &Miss) -> CallToolResult {
    let mut details = json!({"server_id": server_id, "kind": miss.kind()});
    if let Miss::Unavailable(unavailable) = miss {
        details["state"] = json!(super::tools::state_word(unavailable.state));
        details["last_tried"] = json!(
            unavailable
                .last_tried
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        );
    }
    failure(&miss.message(), details)
}

fn no_servers() -> CallToolResult {
    failure(
        "No Management Server is configured. Add one in the NovaBACKUP MCP Companion app, \
         or run `novabackup-mcp login` in a terminal and restart the MCP client; \
         connect_server adds one for this session only.",
        json!({"next_step": NEXT_STEP}),
    )
}

/// What to do when nothing is connected.
pub const NEXT_STEP: &str = "Add your Management Server in the NovaBACKUP MCP Companion app \
    (or run `novabackup-mcp login` in a terminal), then restart your MCP client. For this \
    session only, call connect_server.";

/// Progress notifications for a fan-out, when the request carries a progress token.
struct Progress<'a> {
    context: &'a RequestContext<RoleServer>,
    token: Option<rmcp::model::ProgressToken>,
    total: usize,
    done: AtomicUsize,
}

impl<'a> Progress<'a> {
    fn new(context: &'a RequestContext<RoleServer>, total: usize) -> Self {
        Self {
            context,
            token: context.meta.get_progress_token(),
            total,
            done: AtomicUsize::new(0),
        }
    }
}

impl novabackup_core::estate::Progress for Progress<'_> {
    async fn done(&self, server_id: &ServerId) {
        let Some(token) = &self.token else { return };
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let param = ProgressNotificationParam::new(token.clone(), done as f64)
            .with_total(self.total as f64)
            .with_message(format!("{server_id} done ({done} of {})", self.total));
        if let Err(error) = self.context.peer.notify_progress(param).await {
            tracing::debug!("progress notification not sent: {error}");
        }
    }
}

/// The `_meta` object of a fan-out answer.
pub fn meta_value(meta: &FanOutMeta) -> Value {
    serde_json::to_value(meta).unwrap_or(Value::Null)
}

/// A normal answer: compact JSON text plus structured content. With a fan-out's
/// `meta`, `_meta` is added, and the answer is an error only when no server answered.
pub fn answer(mut body: Value, meta: Option<&FanOutMeta>) -> CallToolResult {
    let nothing_answered = meta.is_some_and(FanOutMeta::nothing_answered);
    if let (Some(meta), Value::Object(map)) = (meta, &mut body) {
        map.insert("_meta".to_owned(), meta_value(meta));
    }
    if nothing_answered {
        if let Value::Object(map) = &mut body {
            map.insert(
                "error".to_owned(),
                json!("No server could answer; see _meta.errors for each server's error."),
            );
        }
        CallToolResult::structured_error(body)
    } else {
        CallToolResult::structured(body)
    }
}

/// A failure the model can act on: `isError` with a message and details.
pub fn failure(message: &str, details: Value) -> CallToolResult {
    let mut body = json!({"error": message});
    if let Value::Object(extra) = details {
        for (key, value) in extra {
            body[key] = value;
        }
    }
    CallToolResult::structured_error(body)
}
