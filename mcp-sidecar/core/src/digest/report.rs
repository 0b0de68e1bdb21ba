//! The digest as a short report a model (or a person) reads in one go: totals, what
//! is missing, the causes, the customers that need attention worst first, then "N more
//! customers, all OK" and how to see more. At most [`REPORT_LIMIT`] bytes whatever the
//! estate: what does not fit is counted, never silently left out.

use std::fmt::Write as _;

use super::model::{Customer, Digest, FailingRun, Severity, Verdict};

/// The most bytes a report takes.
pub const REPORT_LIMIT: usize = 6000;
/// Causes listed before "N more causes".
const CAUSES_SHOWN: usize = 8;
/// Failing runs shown per customer.
const RUNS_SHOWN: usize = 2;
/// Stale agents named per customer.
const STALE_SHOWN: usize = 3;

/// How a face tells its reader to see more, in its own words (a tool call, a command).
#[derive(Debug, Clone, Copy)]
pub struct Advice {
    /// How to see one customer in full, given its server id and tenant id.
    pub one_customer: &'static str,
    /// How to read a failing run's whole log, given its server id and `job_log_id`.
    pub one_log: &'static str,
    /// How to have more logs read.
    pub more_logs: &'static str,
    /// Where every customer, run and cause is.
    pub whole: &'static str,
}

/// `n` and a noun, plural unless `n` is 1 ("1 run", "3 runs").
fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{n} {}", plural(n, noun))
}

/// The noun, plural unless `n` is 1.
fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        noun.to_owned()
    } else {
        format!("{noun}s")
    }
}

/// A line cut to `max` characters, with `…` where it was cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The report's first line: the period and how many servers answered.
pub fn headline(digest: &Digest) -> String {
    let window = &digest.window;
    format!(
        "Backup health{}: {} to {} UTC; {} of {} servers answered.",
        window
            .name
            .as_ref()
            .map(|n| format!(" over {n}"))
            .unwrap_or_default(),
        window.since.format("%Y-%m-%d %H:%M"),
        window.until.format("%Y-%m-%d %H:%M"),
        digest.meta.servers_succeeded,
        digest.meta.servers_queried,
    )
}

/// The report of `digest`, at most [`REPORT_LIMIT`] bytes.
pub fn report(digest: &Digest, advice: &Advice) -> String {
    let mut head = headline(digest);
    head.push('\n');
    let t = &digest.totals;
    let v = &t.customers_by_verdict;
    let _ = writeln!(
        head,
        "Customers: {} ({} failing, {} warning, {} ok). Agents: {}, {} connected, {} stale \
         (no success in {} h).",
        t.customers,
        v.failing,
        v.warning,
        v.ok,
        t.agents,
        t.agents_connected,
        t.stale_agents,
        digest.stale_hours
    );
    let by_status: Vec<String> = t
        .runs_by_status
        .iter()
        .map(|(label, count)| format!("{label} {count}"))
        .collect();
    let _ = writeln!(
        head,
        "Runs: {} ({}). Failing runs: {}; their logs: {} read, {} unavailable, {} not read.",
        t.runs,
        if by_status.is_empty() {
            "none".to_owned()
        } else {
            by_status.join(", ")
        },
        t.failing_runs,
        t.logs.read,
        t.logs.unavailable,
        t.logs.not_read
    );
    if !digest.complete {
        let _ = writeln!(head, "INCOMPLETE:");
        for reason in digest.incomplete_reasons.iter().take(6) {
            let _ = writeln!(head, "- {}", clip(&reason.message, 300));
        }
        if digest.incomplete_reasons.len() > 6 {
            let _ = writeln!(
                head,
                "- and {} more reasons.",
                digest.incomplete_reasons.len() - 6
            );
        }
        if t.logs.not_read > 0 {
            let _ = writeln!(head, "  To read more logs: {}.", advice.more_logs);
        }
    }
    if !digest.causes.is_empty() {
        let _ = writeln!(head, "\nCauses (from the logs read), worst first:");
        for (i, cause) in digest.causes.iter().take(CAUSES_SHOWN).enumerate() {
            let kind = match cause.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                head,
                "{}. [{kind}] {}: {} on {} at {}. Example: {}",
                i + 1,
                clip(&cause.cause, 140),
                count(cause.runs as u64, "run"),
                count(cause.agents as u64, "agent"),
                count(cause.customers as u64, "customer"),
                clip(&cause.example, 140)
            );
        }
        if digest.causes.len() > CAUSES_SHOWN {
            let _ = writeln!(
                head,
                "and {} more causes.",
                digest.causes.len() - CAUSES_SHOWN
            );
        }
    }

    let attention: Vec<&Customer> = digest
        .customers
        .iter()
        .filter(|c| c.verdict != Verdict::Ok)
        .collect();
    let ok = digest.customers.len() - attention.len();
    let footer = format!(
        "\nOne customer in full: {}. A run's whole log: {}. {}\n",
        advice.one_customer, advice.one_log, advice.whole
    );
    let mut body = String::new();
    if !attention.is_empty() {
        body.push_str("\nCustomers that need attention, worst first:\n");
    }
    let mut shown = 0;
    for customer in &attention {
        let block = customer_block(customer);
        let rest = attention.len() - shown - 1;
        let tail = more_line(rest, ok, true).len() + footer.len();
        if head.len() + body.len() + block.len() + tail > REPORT_LIMIT {
            break;
        }
        body.push_str(&block);
        shown += 1;
    }
    let mut text = head;
    text.push_str(&body);
    text.push_str(&more_line(attention.len() - shown, ok, shown > 0));
    text.push_str(&footer);
    if text.len() > REPORT_LIMIT {
        // Only a header over the limit (very long reasons) can get here.
        let mut cut = REPORT_LIMIT.saturating_sub(footer.len() + 4);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("…\n");
        text.push_str(&footer);
    }
    text
}

/// "N more customers need attention" and "M more customers, all OK".
fn more_line(attention: usize, ok: usize, listed: bool) -> String {
    let mut line = String::from("\n");
    if attention > 0 {
        let _ = write!(
            line,
            "{attention} more {} need attention. ",
            plural(attention as u64, "customer")
        );
    }
    match (ok, listed) {
        (0, _) => {}
        (ok, false) if attention == 0 => {
            let _ = write!(line, "All {ok} customers OK.");
        }
        (ok, _) => {
            let _ = write!(line, "{ok} more {}, all OK.", plural(ok as u64, "customer"));
        }
    }
    line.push('\n');
    line
}

/// A customer in a few lines: verdict, counts, stale agents, the newest failing runs.
fn customer_block(customer: &Customer) -> String {
    let mut block = String::new();
    let counts: Vec<String> = ["failed", "warning", "cancelled"]
        .iter()
        .filter_map(|label| {
            let n = customer.runs_with(label);
            (n > 0).then(|| format!("{n} {label}"))
        })
        .collect();
    let _ = writeln!(
        block,
        "* {} (server_id {}, tenant_id {}): {}. {} ({} connected); {}{}.",
        clip(&customer.name, 80),
        customer.server_id,
        customer.tenant_id.as_deref().unwrap_or("none"),
        customer.verdict.as_str().to_uppercase(),
        count(customer.agents as u64, "agent"),
        customer.agents_connected,
        count(customer.runs, "run"),
        if counts.is_empty() {
            String::new()
        } else {
            format!(": {}", counts.join(", "))
        }
    );
    if !customer.stale_agents.is_empty() {
        let named: Vec<String> = customer
            .stale_agents
            .iter()
            .take(STALE_SHOWN)
            .map(|agent| {
                let name = clip(agent.agent_name.as_deref().unwrap_or("?"), 40);
                match (agent.hours_since_success, agent.last_success_checked) {
                    (Some(hours), _) => format!("{name} ({} h ago)", hours),
                    (None, true) => format!("{name} (never)"),
                    (None, false) => format!("{name} (unknown)"),
                }
            })
            .collect();
        let more = customer.stale_agents.len().saturating_sub(STALE_SHOWN);
        let _ = writeln!(
            block,
            "  {} stale, last success: {}{}.",
            count(customer.stale_agents.len() as u64, "agent"),
            named.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    for run in customer.failing_runs.iter().take(RUNS_SHOWN) {
        let _ = writeln!(block, "  - {}", run_line(run));
    }
    if customer.failing_runs_total > RUNS_SHOWN {
        let more = (customer.failing_runs_total - RUNS_SHOWN) as u64;
        let _ = writeln!(block, "  ({more} more {})", plural(more, "failing run"));
    }
    block
}

/// One failing run: when, what, where, and its first problem line.
fn run_line(run: &FailingRun) -> String {
    let when = run
        .start_date_time
        .map(|at| at.format("%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "?".to_owned());
    let why = match (&run.first_error, run.log) {
        (Some(line), _) => clip(line, 150),
        (None, super::model::LogState::Read) => "no error or warning in its log".to_owned(),
        (None, super::model::LogState::Unavailable) => "log unavailable".to_owned(),
        (None, super::model::LogState::NotRead) => "log not read".to_owned(),
    };
    format!(
        "{when} {} {} \"{}\" (job_log_id {}): {why}",
        run.status_label,
        clip(run.agent_name.as_deref().unwrap_or("?"), 40),
        clip(run.job_name.as_deref().unwrap_or("?"), 40),
        run.job_log_id
            .map_or_else(|| "?".to_owned(), |id| id.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::super::model::{
        Cause, Customer, DigestWindow, IncompleteReason, LogState, StaleAgent, Totals,
    };
    use super::*;
    use crate::fanout::FanOutMeta;
    use crate::server_id::ServerId;

    const ADVICE: Advice = Advice {
        one_customer: "ask for it",
        one_log: "read it",
        more_logs: "raise the cap",
        whole: "Everything is in the digest.",
    };

    /// A digest far larger than any report: long names, many causes and reasons.
    fn huge() -> Digest {
        let server_id = ServerId::new("s").unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 6, 0, 0).unwrap();
        let run = FailingRun {
            server_id: server_id.clone(),
            agent_id: Some(1),
            agent_name: Some("A".repeat(500)),
            job_name: Some("J".repeat(500)),
            status: 4,
            status_label: "failed".into(),
            characterization: None,
            start_date_time: Some(at),
            duration_seconds: None,
            bytes_processed: None,
            bytes_finished: None,
            job_log_id: Some(7),
            first_error: Some("E".repeat(2000)),
            first_error_severity: Some(Severity::Error),
            cause: Some("E".repeat(2000)),
            log: LogState::Read,
        };
        let customer = |i: usize| Customer {
            server_id: server_id.clone(),
            tenant_id: Some(format!("tenant-{i}")),
            name: format!("{i} {}", "N".repeat(400)),
            verdict: if i.is_multiple_of(3) {
                Verdict::Ok
            } else {
                Verdict::Failing
            },
            agents: 3,
            agents_connected: 1,
            runs: 9,
            runs_by_status: [("failed".to_owned(), 9)].into(),
            failing_runs_total: 9,
            failing_runs: vec![run.clone(); 9],
            failing_runs_truncated: false,
            stale_agents: vec![
                StaleAgent {
                    agent_id: Some(1),
                    agent_name: Some("S".repeat(300)),
                    connected: None,
                    last_success: None,
                    hours_since_success: None,
                    last_success_checked: true,
                };
                5
            ],
        };
        Digest {
            window: DigestWindow {
                since: at,
                until: at,
                name: Some("24h".into()),
            },
            stale_hours: 48,
            totals: Totals::default(),
            customers: (0..3000).map(customer).collect(),
            causes: (0..400)
                .map(|i| Cause {
                    cause: format!("{i} {}", "C".repeat(900)),
                    example: "X".repeat(900),
                    severity: Severity::Error,
                    runs: 1,
                    agents: 1,
                    customers: 1,
                })
                .collect(),
            complete: false,
            incomplete_reasons: (0..50)
                .map(|_| IncompleteReason {
                    kind: "server_failed".into(),
                    server_id: Some(server_id.clone()),
                    message: "M".repeat(5000),
                })
                .collect(),
            meta: FanOutMeta {
                servers_queried: 1,
                servers_succeeded: 1,
                servers_failed: 0,
                partial: false,
                errors: Vec::new(),
            },
        }
    }

    #[test]
    fn the_report_is_bounded_whatever_the_digest() {
        let text = report(&huge(), &ADVICE);
        assert!(text.len() <= REPORT_LIMIT, "{} bytes", text.len());
        assert!(text.contains("more customers need attention"), "{text}");
        assert!(text.contains("1000 more customers, all OK"), "{text}");
        assert!(text.contains("and 392 more causes"), "{text}");
        assert!(text.contains("and 44 more reasons"), "{text}");
        assert!(
            text.ends_with("Everything is in the digest.\n"),
            "the way on is kept"
        );
    }

    #[test]
    fn an_estate_that_is_all_well_says_so() {
        let mut digest = huge();
        digest.customers.retain(|c| c.verdict == Verdict::Ok);
        digest.causes.clear();
        digest.incomplete_reasons.clear();
        digest.complete = true;
        let text = report(&digest, &ADVICE);
        assert!(text.contains("All 1000 customers OK."), "{text}");
        assert!(!text.contains("INCOMPLETE"));
        assert!(!text.contains("need attention"));
    }
}
