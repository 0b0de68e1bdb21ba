//! Running one operation across many Management Servers at once.
//!
//! At most `concurrency` servers are asked at a time; each is bounded by the same
//! [`Deadline`]; a server that failed before the fan-out started (it could not log
//! in, or is known to be down) is reported with its error, never left out. Results
//! keep the order of the targets. Every request runs inside the returned future, so
//! dropping it cancels them all.

use std::future::Future;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde::Serialize;

use crate::client::Deadline;
use crate::error::ApiError;
use crate::limits;
use crate::server_id::ServerId;

/// One server to ask: a handle (usually a `ManagementClient`), or the error that
/// already keeps it from answering.
#[derive(Debug, Clone)]
pub struct FanOutTarget<H> {
    /// The server's id.
    pub server_id: ServerId,
    /// The handle to call, or why there is none.
    pub handle: Result<H, ApiError>,
    /// When the server was last tried, for a target that comes in failed.
    pub last_tried: Option<DateTime<Utc>>,
}

impl<H> FanOutTarget<H> {
    /// A server that can be asked.
    pub fn ready(server_id: ServerId, handle: H) -> Self {
        Self {
            server_id,
            handle: Ok(handle),
            last_tried: None,
        }
    }

    /// A server that already failed (e.g. its login did), tried last at `last_tried`.
    pub fn failed(server_id: ServerId, error: ApiError, last_tried: Option<DateTime<Utc>>) -> Self {
        Self {
            server_id,
            handle: Err(error),
            last_tried,
        }
    }
}

/// One server's result.
#[derive(Debug, Clone)]
pub struct ServerOutcome<T> {
    /// The server's id.
    pub server_id: ServerId,
    /// What the operation returned, or why it failed.
    pub result: Result<T, ApiError>,
}

/// The results of a fan-out, in target order, with a summary.
#[derive(Debug, Clone)]
pub struct FanOut<T> {
    /// One outcome per target, in the order the targets were given.
    pub outcomes: Vec<ServerOutcome<T>>,
    /// Counts and errors, ready to send as `_meta`.
    pub meta: FanOutMeta,
}

impl<T> FanOut<T> {
    /// The successful results with their server ids, in target order.
    pub fn successes(&self) -> impl Iterator<Item = (&ServerId, &T)> {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().ok().map(|value| (&o.server_id, value)))
    }
}

/// What a fan-out covered: how many servers were asked, answered and failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FanOutMeta {
    /// Every target, including those that came in failed.
    pub servers_queried: usize,
    /// Targets that answered.
    pub servers_succeeded: usize,
    /// Targets that failed (see `errors`).
    pub servers_failed: usize,
    /// `true` when any server failed: the answer is missing that server's data.
    pub partial: bool,
    /// One entry per failed server.
    pub errors: Vec<ServerFailure>,
}

/// Why one server is missing from a fan-out's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerFailure {
    /// The server's id.
    pub server_id: ServerId,
    /// The stable error code ([`ApiError::kind`]).
    pub kind: String,
    /// What went wrong and what to do, for people.
    pub message: String,
    /// When the server was last tried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_tried: Option<DateTime<Utc>>,
}

/// The concurrency actually used for a requested one: within the range of
/// [`limits::FANOUT_CONCURRENCY`] (`1..=50`).
pub fn clamp_concurrency(requested: usize) -> usize {
    let limit = limits::FANOUT_CONCURRENCY;
    requested.clamp(limit.min as usize, limit.max as usize)
}

/// Runs `operation` for every ready target, at most `concurrency` at a time (clamped
/// to `1..=50`), each within `deadline`, and collects one outcome per target.
pub async fn fan_out<H, T, F, Fut>(
    targets: Vec<FanOutTarget<H>>,
    concurrency: usize,
    deadline: Deadline,
    operation: F,
) -> FanOut<T>
where
    F: Fn(ServerId, H) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let operation = &operation;
    let mut finished: Vec<(usize, ServerOutcome<T>, Option<DateTime<Utc>>)> =
        futures::stream::iter(targets.into_iter().enumerate())
            .map(|(index, target)| async move {
                let FanOutTarget {
                    server_id,
                    handle,
                    last_tried,
                } = target;
                let (result, last_tried) = match handle {
                    Err(error) => (Err(error), last_tried),
                    Ok(handle) => {
                        let started = Utc::now();
                        let call = operation(server_id.clone(), handle);
                        let result = match tokio::time::timeout_at(deadline.instant(), call).await {
                            Ok(result) => result,
                            Err(_) => Err(ApiError::Timeout {
                                server: server_id.to_string(),
                                after: deadline.budget(),
                            }),
                        };
                        (result, Some(started))
                    }
                };
                (index, ServerOutcome { server_id, result }, last_tried)
            })
            .buffer_unordered(clamp_concurrency(concurrency))
            .collect()
            .await;
    finished.sort_by_key(|(index, _, _)| *index);

    let errors: Vec<ServerFailure> = finished
        .iter()
        .filter_map(|(_, outcome, last_tried)| {
            outcome.result.as_ref().err().map(|error| ServerFailure {
                server_id: outcome.server_id.clone(),
                kind: error.kind().to_owned(),
                message: error.to_string(),
                last_tried: *last_tried,
            })
        })
        .collect();
    let servers_queried = finished.len();
    let servers_failed = errors.len();
    FanOut {
        outcomes: finished
            .into_iter()
            .map(|(_, outcome, _)| outcome)
            .collect(),
        meta: FanOutMeta {
            servers_queried,
            servers_succeeded: servers_queried - servers_failed,
            servers_failed,
            partial: servers_failed > 0,
            errors,
        },
    }
}
