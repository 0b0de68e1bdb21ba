//! Reaching servers from a tool: the fan-out over every server (or one), with
//! progress notifications and down-tracking, and the shape of answers and failures.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use novabackup_core::ServerId;
use novabackup_core::estate::{Member, Target};
use novabackup_core::fanout::{FanOutMeta, ServerFailure};
use novabackup_core::{ApiError, Deadline, FanOutTarget, ManagementClient, fan_out};
use rmcp::RoleServer;
use rmcp::model::{CallToolResult, ProgressNotificationParam};
use rmcp::service::RequestContext;
use serde_json::{Value, json};

use super::server::NovaServer;

/// What a fan-out gathered: each answering server's result, and the `_meta`.
#[derive(Debug)]
pub struct Gathered<T> {
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

    /// Runs `operation` on one server (`server_id`) or on every configured server,
    /// at most `MCP_FANOUT_CONCURRENCY` at once. Servers known to be down are
    /// reported at once in `_meta.errors`; servers still logging in are waited for
    /// within the call's deadline. Sends progress as servers finish when the request
    /// carries a progress token. Fails (as a tool result) only when no server is
    /// configured or `server_id` is unknown.
    pub async fn fan_out<T, F, Fut>(
        &self,
        server_id: Option<&str>,
        context: &RequestContext<RoleServer>,
        operation: F,
    ) -> Result<Gathered<T>, CallToolResult>
    where
        F: Fn(ServerId, ManagementClient, Deadline) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let deadline = self.deadline();
        let targets = self.targets(server_id, deadline).await?;
        let total = targets.len();
        let mut ready = Vec::new();
        let mut members: Vec<Arc<Member>> = Vec::new();
        let mut unavailable = Vec::new();
        for target in targets {
            match target {
                Target::Ready(member, client) => {
                    ready.push(FanOutTarget::ready(member.server_id.clone(), client));
                    members.push(member);
                }
                Target::Unavailable(member, entry) => unavailable.push((member, entry)),
            }
        }
        let progress = Progress::new(context, total);
        for (member, _) in &unavailable {
            progress.step(member.server_id.as_str()).await;
        }
        let concurrency = self.settings().fanout_concurrency;
        let operation = &operation;
        let progress_ref = &progress;
        let fanned = fan_out(
            ready,
            concurrency,
            deadline,
            |id: ServerId, client| async move {
                let result = operation(id.clone(), client, deadline).await;
                progress_ref.step(id.as_str()).await;
                result
            },
        )
        .await;
        let mut meta = fanned.meta;
        let mut results = Vec::new();
        for (outcome, member) in fanned.outcomes.into_iter().zip(&members) {
            member.record(outcome.result.as_ref().map(|_| ()));
            if let Ok(value) = outcome.result {
                results.push((outcome.server_id, value));
            }
        }
        for (member, entry) in unavailable {
            meta.servers_queried += 1;
            meta.servers_failed += 1;
            meta.errors.push(unavailable_failure(&member, &entry));
        }
        meta.partial = meta.servers_failed > 0;
        Ok(Gathered { results, meta })
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
        use futures::StreamExt;
        let deadline = self.deadline();
        let targets = self.targets(None, deadline).await?;
        let progress = Progress::new(context, targets.len());
        let mut meta = FanOutMeta {
            servers_queried: targets.len(),
            servers_succeeded: 0,
            servers_failed: 0,
            partial: false,
            errors: Vec::new(),
        };
        let mut pending = futures::stream::FuturesUnordered::new();
        for target in targets {
            match target {
                Target::Ready(member, client) => {
                    let call = operation(member.server_id.clone(), client, deadline);
                    pending.push(async move {
                        let result = match tokio::time::timeout_at(deadline.instant(), call).await {
                            Ok(result) => result,
                            Err(_) => Err(ApiError::Timeout {
                                server: member.base_url.clone(),
                                after: deadline.budget(),
                            }),
                        };
                        (member, result)
                    });
                }
                Target::Unavailable(member, entry) => {
                    meta.errors.push(unavailable_failure(&member, &entry))
                }
            }
        }
        let mut hit = None;
        while let Some((member, result)) = pending.next().await {
            progress.step(member.server_id.as_str()).await;
            member.record(result.as_ref().map(|_| ()));
            match result {
                Ok(Some(value)) => {
                    meta.servers_succeeded += 1;
                    hit = Some((member.server_id.clone(), value));
                    break;
                }
                Ok(None) => meta.servers_succeeded += 1,
                Err(error) => meta.errors.push(ServerFailure {
                    server_id: member.server_id.clone(),
                    kind: error.kind().to_owned(),
                    message: error.to_string(),
                    last_tried: member.health().last_tried,
                }),
            }
        }
        meta.servers_queried -= pending.len();
        meta.servers_failed = meta.errors.len();
        meta.partial = meta.servers_failed > 0;
        Ok((hit, meta))
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
        let deadline = self.deadline();
        let mut targets = self.targets(Some(server_id), deadline).await?;
        match targets.pop() {
            Some(Target::Ready(member, client)) => {
                let result =
                    match tokio::time::timeout_at(deadline.instant(), operation(client, deadline))
                        .await
                    {
                        Ok(result) => result,
                        Err(_) => Err(ApiError::Timeout {
                            server: member.base_url.clone(),
                            after: deadline.budget(),
                        }),
                    };
                member.record(result.as_ref().map(|_| ()));
                result.map_err(|error| {
                    failure(
                        &error.to_string(),
                        json!({"server_id": server_id, "kind": error.kind()}),
                    )
                })
            }
            Some(Target::Unavailable(_, entry)) => {
                let message = entry["message"]
                    .as_str()
                    .unwrap_or("The server is unavailable.")
                    .to_owned();
                Err(failure(&message, entry))
            }
            None => Err(self.no_servers()),
        }
    }

    async fn targets(
        &self,
        server_id: Option<&str>,
        deadline: Deadline,
    ) -> Result<Vec<Target>, CallToolResult> {
        let only = match server_id.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => Some(
                ServerId::new(text)
                    .map_err(|error| failure(&error.to_string(), json!({"server_id": text})))?,
            ),
        };
        let targets = self.estate().targets(only.as_ref(), deadline).await;
        match (targets, only) {
            (Some(targets), _) if !targets.is_empty() => Ok(targets),
            (None, Some(id)) => Err(self.unknown_server(id.as_str())),
            _ => Err(self.no_servers()),
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

    fn no_servers(&self) -> CallToolResult {
        failure(
            "No Management Server is configured. Add one in the NovaBACKUP MCP Companion app, \
             or run `novabackup-mcp login` in a terminal and restart the MCP client; \
             connect_server adds one for this session only.",
            json!({"next_step": NEXT_STEP}),
        )
    }
}

/// The `_meta.errors` entry of a server that was not asked (down, or no credentials).
fn unavailable_failure(member: &Member, entry: &Value) -> ServerFailure {
    ServerFailure {
        server_id: member.server_id.clone(),
        kind: entry["kind"].as_str().unwrap_or("unavailable").to_owned(),
        message: entry["message"].as_str().unwrap_or_default().to_owned(),
        last_tried: member.health().last_tried,
    }
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

    async fn step(&self, server_id: &str) {
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
    let nothing_answered = meta.is_some_and(|m| m.servers_succeeded == 0 && m.servers_queried > 0);
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
