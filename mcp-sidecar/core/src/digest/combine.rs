//! The digest over every server: the servers' customers worst first with their lists
//! capped, the causes grouped across servers, the totals, and whether it is complete
//! (each server that could not be asked is a reason, with its error as in `_meta`).

use super::causes::group;
use super::model::{
    Customer, Digest, DigestWindow, IncompleteReason, LogCounts, ServerPart, Totals, Verdict,
};
use super::request::DigestRequest;
use crate::fanout::FanOutMeta;
use crate::server_state::Retry;

/// Combines the parts of the servers that answered with the fan-out's `meta` (which
/// names the servers that did not) into the digest `request` asked for.
pub fn combine(
    request: &DigestRequest,
    parts: impl IntoIterator<Item = ServerPart>,
    meta: FanOutMeta,
) -> Digest {
    let mut customers: Vec<Customer> = Vec::new();
    let mut reasons: Vec<IncompleteReason> = meta
        .errors
        .iter()
        .map(|failure| IncompleteReason {
            kind: "server_failed".to_owned(),
            server_id: Some(failure.server_id.clone()),
            message: format!(
                "{} {}, so its customers are missing ({}): {}",
                failure.server_id,
                // Retried in the background: it did not answer. Otherwise it answered,
                // but not with data: a refused login, no password, a certificate not
                // trusted, an address that cannot be used.
                if failure.state.retry() == Retry::Backoff {
                    "did not answer"
                } else {
                    "could not be asked"
                },
                failure.kind,
                failure.message
            ),
        })
        .collect();
    let mut logs = LogCounts::default();
    for part in parts {
        customers.extend(part.customers);
        reasons.extend(part.incomplete_reasons);
        logs.add(part.logs);
    }
    let causes = group(&customers);
    let mut totals = Totals {
        customers: customers.len(),
        logs,
        ..Totals::default()
    };
    for customer in &mut customers {
        customer.verdict = customer.judge();
        totals.agents += customer.agents;
        totals.agents_connected += customer.agents_connected;
        totals.runs += customer.runs;
        for (label, count) in &customer.runs_by_status {
            *totals.runs_by_status.entry(label.clone()).or_default() += count;
        }
        totals.failing_runs += customer.failing_runs_total;
        totals.stale_agents += customer.stale_agents.len();
        let tally = &mut totals.customers_by_verdict;
        match customer.verdict {
            Verdict::Failing => tally.failing += 1,
            Verdict::Warning => tally.warning += 1,
            Verdict::Ok => tally.ok += 1,
        }
        if customer.failing_runs.len() > request.max_failing_runs {
            customer.failing_runs.truncate(request.max_failing_runs);
            customer.failing_runs_truncated = true;
        }
    }
    customers.sort_by(|a, b| worst_first(a).cmp(&worst_first(b)));
    Digest {
        window: DigestWindow {
            since: request.since(),
            until: request.until(),
            name: request.period.name().map(str::to_owned),
        },
        stale_hours: request.stale_hours,
        totals,
        customers,
        causes,
        complete: reasons.is_empty(),
        incomplete_reasons: reasons,
        meta,
    }
}

/// The order customers are listed in: verdict, then failed runs, stale agents and
/// failing runs (most first), then name and server.
fn worst_first(
    customer: &Customer,
) -> (Verdict, std::cmp::Reverse<(u64, usize, usize)>, &str, &str) {
    (
        customer.verdict,
        std::cmp::Reverse((
            customer.runs_with("failed"),
            customer.stale_agents.len(),
            customer.failing_runs_total,
        )),
        customer.name.as_str(),
        customer.server_id.as_str(),
    )
}
