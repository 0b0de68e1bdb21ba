//! Running one operation across many Management Servers at once: the one way every
//! face asks servers (the MCP tools, the tray's health round, the command line's
//! `test`, the backup-health digest).
//!
//! At most `concurrency` servers are asked at a time; each is bounded by the same
//! [`Deadline`]; a server that cannot be asked (it could not log in, or is known to be
//! down) is reported with its typed state and error, never left out. Results keep the
//! order of the targets. Every request runs inside the returned future, so dropping it
//! cancels them all.

use std::future::Future;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde::Serialize;

use crate::client::Deadline;
use crate::error::ApiError;
use crate::limits;
use crate::server_id::ServerId;
use crate::server_state::{ServerState, classify};

/// Why a server cannot be asked now: its state and the error that put it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// Where it stands.
    pub state: ServerState,
    /// The stable code of the failure (an [`ApiError::kind`], or `no_credentials`,
    /// `connecting`, ...).
    pub kind: String,
    /// What went wrong and what to do, for people. Never holds a secret.
    pub message: String,
    /// When it was last tried.
    pub last_tried: Option<DateTime<Utc>>,
}

impl Unavailable {
    /// A server that `error` keeps from answering, tried last at `last_tried`.
    pub fn from_error(error: &ApiError, last_tried: Option<DateTime<Utc>>) -> Self {
        Self {
            state: classify(error),
            kind: error.kind().to_owned(),
            message: error.to_string(),
            last_tried,
        }
    }
}

/// Why a server is missing from a fan-out's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// It was asked and failed.
    Failed(ApiError),
    /// It could not be asked.
    Unavailable(Unavailable),
}

impl Miss {
    /// The stable error code.
    pub fn kind(&self) -> &str {
        match self {
            Self::Failed(error) => error.kind(),
            Self::Unavailable(unavailable) => &unavailable.kind,
        }
    }

    /// What went wrong and what to do, for people.
    pub fn message(&self) -> String {
        match self {
            Self::Failed(error) => error.to_string(),
            Self::Unavailable(unavailable) => unavailable.message.clone(),
        }
    }

    /// The state the failure leaves the server in.
    pub fn state(&self) -> ServerState {
        match self {
            Self::Failed(error) => classify(error),
            Self::Unavailable(unavailable) => unavailable.state,
        }
    }
}

impl From<ApiError> for Miss {
    fn from(error: ApiError) -> Self {
        Self::Failed(error)
    }
}

impl From<Unavailable> for Miss {
    fn from(unavailable: Unavailable) -> Self {
        Self::Unavailable(unavailable)
    }
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// One server to ask: a handle (a `ManagementClient`, an enrolled server, a saved
/// profile), or why it cannot be asked.
#[derive(Debug, Clone)]
pub struct FanOutTarget<H> {
    /// The server's id.
    pub server_id: ServerId,
    /// The handle to call, or why there is none.
    pub handle: Result<H, Unavailable>,
}

impl<H> FanOutTarget<H> {
    /// A server that can be asked.
    pub fn ready(server_id: ServerId, handle: H) -> Self {
        Self {
            server_id,
            handle: Ok(handle),
        }
    }

    /// A server that already failed (e.g. its login did), tried last at `last_tried`.
    pub fn failed(server_id: ServerId, error: ApiError, last_tried: Option<DateTime<Utc>>) -> Self {
        Self::unavailable(server_id, Unavailable::from_error(&error, last_tried))
    }

    /// A server that cannot be asked, for the reason given.
    pub fn unavailable(server_id: ServerId, unavailable: Unavailable) -> Self {
        Self {
            server_id,
            handle: Err(unavailable),
        }
    }
}

/// One server's result.
#[derive(Debug, Clone)]
pub struct ServerOutcome<T> {
    /// The server's id.
    pub server_id: ServerId,
    /// What the operation returned, or why there is nothing.
    pub result: Result<T, Miss>,
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
    /// The state the failure leaves the server in (for faces; not part of `_meta`).
    #[serde(skip)]
    pub state: ServerState,
}

impl ServerFailure {
    /// The entry for `server_id` missing for `miss`, last tried at `last_tried`.
    pub fn new(server_id: ServerId, miss: &Miss, last_tried: Option<DateTime<Utc>>) -> Self {
        let last_tried = match miss {
            Miss::Unavailable(unavailable) => unavailable.last_tried.or(last_tried),
            Miss::Failed(_) => last_tried,
        };
        Self {
            server_id,
            kind: miss.kind().to_owned(),
            message: miss.message(),
            last_tried,
            state: miss.state(),
        }
    }
}

impl FanOutMeta {
    /// The coverage of `failures` among `queried` servers.
    pub fn new(queried: usize, errors: Vec<ServerFailure>) -> Self {
        let servers_failed = errors.len();
        Self {
            servers_queried: queried,
            servers_succeeded: queried.saturating_sub(servers_failed),
            servers_failed,
            partial: servers_failed > 0,
            errors,
        }
    }

    /// Whether servers were asked and none answered.
    pub fn nothing_answered(&self) -> bool {
        self.servers_queried > 0 && self.servers_succeeded == 0
    }
}

/// The concurrency actually used for a requested one: within the range of
/// [`limits::FANOUT_CONCURRENCY`] (`1..=50`).
pub fn clamp_concurrency(requested: usize) -> usize {
    let limit = limits::FANOUT_CONCURRENCY;
    requested.clamp(limit.min as usize, limit.max as usize)
}

/// Runs `operation` for every ready target, at most `concurrency` at a time (clamped
/// to `1..=50`), each within `deadline`, and collects one outcome per target.
pub async fn fan_out<H, T, E, F, Fut>(
    targets: Vec<FanOutTarget<H>>,
    concurrency: usize,
    deadline: Deadline,
    operation: F,
) -> FanOut<T>
where
    F: Fn(ServerId, H) -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: Into<Miss>,
{
    let operation = &operation;
    let mut finished: Vec<(usize, ServerOutcome<T>, Option<DateTime<Utc>>)> =
        futures::stream::iter(targets.into_iter().enumerate())
            .map(|(index, target)| async move {
                let FanOutTarget { server_id, handle } = target;
                let (result, last_tried) = match handle {
                    Err(unavailable) => (Err(Miss::Unavailable(unavailable)), None),
                    Ok(handle) => {
                        let started = Utc::now();
                        let call = operation(server_id.clone(), handle);
                        (within(&server_id, deadline, call).await, Some(started))
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
            outcome
                .result
                .as_ref()
                .err()
                .map(|miss| ServerFailure::new(outcome.server_id.clone(), miss, *last_tried))
        })
        .collect();
    let meta = FanOutMeta::new(finished.len(), errors);
    FanOut {
        outcomes: finished
            .into_iter()
            .map(|(_, outcome, _)| outcome)
            .collect(),
        meta,
    }
}

/// Asks every ready target (at most `concurrency` at a time, each within `deadline`)
/// and returns the first that answers `Some`, dropping (and so cancelling) the
/// requests still under way. The coverage counts the servers that had answered or
/// failed by then, those that could not be asked included.
pub async fn first_answer<H, T, E, F, Fut>(
    targets: Vec<FanOutTarget<H>>,
    concurrency: usize,
    deadline: Deadline,
    operation: F,
) -> (Option<(ServerId, T)>, FanOutMeta)
where
    F: Fn(ServerId, H) -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
    E: Into<Miss>,
{
    let operation = &operation;
    let mut errors = Vec::new();
    let mut ready = Vec::new();
    for target in targets {
        match target.handle {
            Ok(handle) => ready.push((target.server_id, handle)),
            Err(unavailable) => errors.push(ServerFailure::new(
                target.server_id,
                &Miss::Unavailable(unavailable),
                None,
            )),
        }
    }
    let mut queried = errors.len();
    let mut answers = futures::stream::iter(ready)
        .map(|(server_id, handle)| async move {
            let started = Utc::now();
            let call = operation(server_id.clone(), handle);
            let result = within(&server_id, deadline, call).await;
            (server_id, result, started)
        })
        .buffer_unordered(clamp_concurrency(concurrency));
    let mut hit = None;
    while let Some((server_id, result, started)) = answers.next().await {
        queried += 1;
        match result {
            Ok(Some(value)) => {
                hit = Some((server_id, value));
                break;
            }
            Ok(None) => {}
            Err(miss) => errors.push(ServerFailure::new(server_id, &miss, Some(started))),
        }
    }
    (hit, FanOutMeta::new(queried, errors))
}

/// One server's call, given up at `deadline` as a timeout.
pub(crate) async fn within<T, E: Into<Miss>>(
    server_id: &ServerId,
    deadline: Deadline,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, Miss> {
    match tokio::time::timeout_at(deadline.instant(), call).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(Miss::Failed(ApiError::Timeout {
            server: server_id.to_string(),
            after: deadline.budget(),
        })),
    }
}
