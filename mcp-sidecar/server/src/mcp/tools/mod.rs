//! The tools, one router per family, combined in [`super::server::NovaServer::new`].

mod agents;
mod connection;
mod groups;
mod health;
mod job_args;
mod jobs;
mod orientation;
mod storage;
mod users;

use novabackup_core::server_state::ServerState;
use schemars::JsonSchema;
use serde::Deserialize;

/// The word MCP results use for where a server stands (`presets[].state`, errors):
/// whether it is asked (`up`, `connecting`), retried (`down`), or what it waits for.
pub fn state_word(state: ServerState) -> &'static str {
    match state {
        ServerState::Healthy => "up",
        ServerState::Connecting => "connecting",
        ServerState::Unreachable | ServerState::ServerError => "down",
        ServerState::WrongPassword | ServerState::NoPassword => "needs_credentials",
        ServerState::Certificate => "needs_certificate",
        ServerState::BadAddress => "needs_address",
        ServerState::Other => "not_working",
    }
}

/// Arguments of tools that take one server and nothing else.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct OneServer {
    /// The configured server to ask (see list_servers).
    pub server_id: String,
}

/// Arguments of tools whose only argument is an optional server.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct MaybeServer {
    /// One configured server (see list_servers); omit to ask every configured server.
    pub server_id: Option<String>,
}

use novabackup_core::{Page, Query};
use rmcp::RoleServer;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use serde_json::{Value, json};

use super::asking::{Answers, answer};
use super::server::NovaServer;

impl NovaServer {
    /// A single-entity tool: `path` (e.g. `Users(5)`) from one server, answered as
    /// `{server_id, <key>: entity}`; a failure carries the server's own message.
    pub async fn entity_tool(&self, server_id: &str, path: &str, key: &str) -> CallToolResult {
        match self
            .on_one(server_id, |client, deadline| async move {
                client.get(path, &Query::new(), deadline).await
            })
            .await
        {
            Ok(entity) => answer(
                json!({"server_id": server_id, key: strip_context(entity)}),
                None,
            ),
            Err(result) => result,
        }
    }

    /// A list tool: one page of `path` matching `query` from one server or every
    /// server, each row shaped by `shape` under `key` (see [`list_answer`]).
    pub async fn list_tool(
        &self,
        server_id: Option<&str>,
        context: &RequestContext<RoleServer>,
        path: &str,
        query: &Query,
        key: &str,
        shape: impl Fn(&str, &Value) -> Value,
    ) -> CallToolResult {
        match self
            .fan_out(server_id, context, |_, client, deadline| async move {
                client.list(path, query, deadline).await
            })
            .await
        {
            Ok(answers) => list_answer(key, answers, shape),
            Err(result) => result,
        }
    }
}

/// The answer of a list tool: every server's rows shaped by `shape` under `key`,
/// `truncated` with the `$skip` that continues when more rows exist, and `_meta`.
pub fn list_answer(
    key: &str,
    answers: Answers<Page>,
    shape: impl Fn(&str, &Value) -> Value,
) -> CallToolResult {
    let mut rows = Vec::new();
    let mut continuations = Vec::new();
    for (server_id, page) in &answers.results {
        rows.extend(page.rows.iter().map(|row| shape(server_id.as_str(), row)));
        if page.more {
            continuations.push(json!({
                "server_id": server_id,
                "next_skip": page.next_skip,
                "total": page.count,
            }));
        }
    }
    let mut next_skips: Vec<Option<u64>> = continuations
        .iter()
        .map(|c| c["next_skip"].as_u64())
        .collect();
    next_skips.dedup();
    let returned = rows.len();
    let mut body = json!({
        key: rows,
        "returned": returned,
        "truncated": !continuations.is_empty(),
    });
    if let [Some(next_skip)] = next_skips.as_slice() {
        body["next_skip"] = json!(next_skip);
    }
    if !continuations.is_empty() {
        body["continue_with"] = Value::Array(continuations);
        body["truncation_note"] = json!(
            "More rows exist than were returned: call again with $skip set to next_skip \
             (per server in continue_with), or narrow the $filter."
        );
    }
    answer(body, Some(&answers.meta))
}

/// An entity without its `@odata.context` annotation.
pub fn strip_context(mut entity: Value) -> Value {
    if let Value::Object(map) = &mut entity {
        map.remove("@odata.context");
    }
    entity
}
