//! Causes: the first problem lines of failing runs, grouped after what varies from
//! run to run is taken out (GUIDs, addresses, paths, drive letters, host names,
//! quoted names, numbers), worst first.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::model::{Cause, Customer, Severity};

/// One rewrite: what to find and what to put instead.
struct Rule {
    pattern: Regex,
    with: &'static str,
}

fn rule(pattern: &str, with: &'static str) -> Rule {
    Rule {
        pattern: Regex::new(pattern).expect("a valid pattern"),
        with,
    }
}

/// The rewrites, in order: the broad shapes (a URL contains a host, a path contains
/// numbers) before the narrow ones.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(
            r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
            "<guid>",
        ),
        rule(r#"(?i)\b[a-z][a-z0-9+.-]*://[^\s'"<>]+"#, "<url>"),
        rule(r#"\\\\[^\s'"]+"#, "<path>"),
        rule(r#"\b[A-Za-z]:\\[^\s'"]*"#, "<path>"),
        rule(r#"(?:^|\s)/[^\s'"/]+(?:/[^\s'"/]+)+"#, " <path>"),
        rule(r"'[^']*'", "'<name>'"),
        rule(r#""[^"]*""#, "\"<name>\""),
        rule(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", "<host>"),
        rule(
            r"(?i)\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}\b",
            "<host>",
        ),
        rule(r"\b[A-Za-z]:", "<drive>:"),
        rule(r"(?i)\b0x[0-9a-f]+\b", "<n>"),
        rule(r"\b\d+(?:[.,]\d+)*\b", "<n>"),
    ]
});

/// Trailing punctuation a path or address match may have swallowed.
const TRAILING: &[char] = &['.', ',', ';', ':', ')', ']'];

/// The cause a problem line reports: the line with what varies between runs replaced
/// by placeholders (`<guid>`, `<url>`, `<path>`, `<host>`, `<drive>`, `'<name>'`, `<n>`)
/// and its spaces collapsed, so lines that differ only there group together.
///
/// ```
/// use novabackup_core::digest::normalise;
/// assert_eq!(
///     normalise(r"Not enough free space on E:\Backups\FS02: 12.5 GB needed"),
///     "Not enough free space on <path>: <n> GB needed"
/// );
/// ```
pub fn normalise(line: &str) -> String {
    let mut text = line.trim().to_owned();
    for rule in RULES.iter() {
        if !rule.pattern.is_match(&text) {
            continue;
        }
        text = rule
            .pattern
            .replace_all(&text, |found: &Captures<'_>| {
                let whole = &found[0];
                if rule.with.ends_with("<path>") || rule.with == "<url>" {
                    let kept = whole.trim_end_matches(TRAILING);
                    format!("{}{}", rule.with, &whole[kept.len()..])
                } else {
                    rule.with.to_owned()
                }
            })
            .into_owned();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cause being counted.
#[derive(Default)]
struct Tally {
    severity: Option<Severity>,
    example: Option<(String, Option<chrono::DateTime<chrono::Utc>>)>,
    runs: usize,
    agents: BTreeSet<(String, Option<i64>)>,
    customers: BTreeSet<(String, Option<String>)>,
}

/// Groups the failing runs of `customers` whose first problem line is known by their
/// cause (each run's `cause`), worst first: errors before warnings, then by how many
/// customers, agents and runs they hit.
pub fn group(customers: &[Customer]) -> Vec<Cause> {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for customer in customers {
        for run in &customer.failing_runs {
            let (Some(cause), Some(line)) = (&run.cause, &run.first_error) else {
                continue;
            };
            let tally = tallies.entry(cause.clone()).or_default();
            tally.runs += 1;
            tally.severity = match (tally.severity, run.first_error_severity) {
                (Some(seen), Some(this)) => Some(seen.min(this)),
                (seen, this) => seen.or(this),
            };
            tally
                .agents
                .insert((run.server_id.to_string(), run.agent_id));
            tally
                .customers
                .insert((customer.server_id.to_string(), customer.tenant_id.clone()));
            let newer = match &tally.example {
                None => true,
                Some((_, at)) => run.start_date_time > *at,
            };
            if newer {
                tally.example = Some((line.clone(), run.start_date_time));
            }
        }
    }
    let mut causes: Vec<Cause> = tallies
        .into_iter()
        .map(|(cause, tally)| Cause {
            cause,
            example: tally.example.map(|(line, _)| line).unwrap_or_default(),
            severity: tally.severity.unwrap_or(Severity::Warning),
            runs: tally.runs,
            agents: tally.agents.len(),
            customers: tally.customers.len(),
        })
        .collect();
    causes.sort_by(|a, b| {
        (a.severity, b.customers, b.agents, b.runs, &a.cause).cmp(&(
            b.severity,
            a.customers,
            a.agents,
            a.runs,
            &b.cause,
        ))
    });
    causes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_varies_is_taken_out() {
        let cases = [
            (
                r"Unable to connect to the backup device \\nas02.contoso.local\backup1: the network path was not found (error 53)",
                "Unable to connect to the backup device <path>: the network path was not found (error <n>)",
            ),
            (
                "S3 upload to https://s3.example.net/nb-acme-5012 failed: 403 AccessDenied after 3 attempts",
                "S3 upload to <url> failed: <n> AccessDenied after <n> attempts",
            ),
            (
                "Volume Shadow Copy Service error on volume D: VSS_E_WRITER_TIMEOUT (writer 'System Writer')",
                "Volume Shadow Copy Service error on volume <drive>: VSS_E_WRITER_TIMEOUT (writer '<name>')",
            ),
            (
                r"Access is denied to C:\Users\jdoe\AppData\jdoe.ost (0x80070005)",
                "Access is denied to <path> (<n>)",
            ),
            (
                "The connection to fs02.acme.local was slow; retried 4 times",
                "The connection to <host> was slow; retried <n> times",
            ),
            (
                "Agent 3f2504e0-4f89-11d3-9a0c-0305e82c3301 at 10.0.0.12 lost   contact",
                "Agent <guid> at <host> lost contact",
            ),
            (
                "Copy of /var/backups/db.tar failed",
                "Copy of <path> failed",
            ),
        ];
        for (line, cause) in cases {
            assert_eq!(normalise(line), cause, "{line}");
        }
    }

    #[test]
    fn lines_that_differ_only_in_what_varies_share_a_cause_and_others_do_not() {
        let a = normalise(r"Not enough free space on E:\Backups\PC1: 12.4 GB needed, 3.1 GB free");
        let b =
            normalise(r"Not enough free space on F:\Backups\SRV-9: 800.0 GB needed, 0.5 GB free");
        assert_eq!(a, b);
        let c = normalise("S3 upload to https://x/nb-1 failed: 403 AccessDenied after 2 attempts");
        let d = normalise("S3 upload to https://x/nb-2 failed: 404 NoSuchBucket after 2 attempts");
        assert_ne!(c, d, "a different error stays apart");
        assert_ne!(a, c);
        assert_eq!(
            normalise("S3 is fine"),
            "S3 is fine",
            "a digit inside a word stays"
        );
    }
}
