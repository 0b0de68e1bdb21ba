//! The whole digest through the core's fan-out, for a face that holds its clients
//! itself (the command line, the tray): [`gather`] on every target, then [`combine`].

use super::combine::combine;
use super::gather::gather;
use super::memory::LogMemory;
use super::model::Digest;
use super::request::DigestRequest;
use crate::client::{Deadline, ManagementClient};
use crate::fanout::{FanOutTarget, fan_out};

/// The digest `request` asks for over `targets`, at most `concurrency` servers at
/// once, within `deadline`. Targets that cannot be asked (no password saved, known to
/// be down) are reported in `_meta` and as reasons the digest is incomplete. Logs in
/// `memory` are not read again.
pub async fn digest_over(
    targets: Vec<FanOutTarget<ManagementClient>>,
    concurrency: usize,
    request: &DigestRequest,
    deadline: Deadline,
    memory: &LogMemory,
) -> Digest {
    let fanned = fan_out(
        targets,
        concurrency,
        deadline,
        |server_id, client: ManagementClient| async move {
            gather(server_id, &client, request, deadline, memory).await
        },
    )
    .await;
    let parts = fanned.outcomes.into_iter().filter_map(|o| o.result.ok());
    combine(request, parts, fanned.meta)
}
