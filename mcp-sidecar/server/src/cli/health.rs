//! `health`: the backup-health digest for people without Claude and for monitoring
//! scripts: a table by default, the whole digest as JSON with `--json`, and an exit
//! code that says what it found (0 all ok, 1 warnings only, 2 a customer failing,
//! 3 could not tell).

use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Utc;
use clap::Args;
use novabackup_core::digest::{Digest, DigestRequest, LogMemory, Period, digest_over, headline};
use novabackup_core::{ClientSettings, Deadline, limits};

use super::accounts::{parse_server_id, runtime, saved_clients};

/// Arguments of `health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// How far back to look: 24h (default), 7d or 30d.
    #[arg(long)]
    pub window: Option<String>,
    /// Instead of a window: runs that started at or after this ISO 8601 date or
    /// date-time (for example 2026-04-22 or 2026-04-22T06:00:00Z; UTC when no zone).
    #[arg(long)]
    pub since: Option<String>,
    /// Only this saved server.
    #[arg(long = "server", value_name = "ID")]
    pub server: Option<String>,
    /// Only this customer (its tenant id).
    #[arg(long = "tenant", value_name = "ID")]
    pub tenant: Option<String>,
    /// Hours without a successful backup after which a computer counts as stale (default 48).
    #[arg(long, value_name = "HOURS")]
    pub stale_hours: Option<u32>,
    /// Print the whole digest as JSON (one line) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// What the check found, as its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// Every customer is ok.
    Ok = 0,
    /// Warnings or cancellations, nothing failing.
    Warnings = 1,
    /// A customer is failing.
    Failing = 2,
    /// It could not tell: no server answered, a server that did not answer may hold
    /// failures, or the command could not run.
    Unknown = 3,
}

impl Finding {
    /// What a digest comes to: failing wins; then a server that did not answer makes
    /// it unknown; then warnings.
    pub fn of(digest: &Digest) -> Self {
        let verdicts = &digest.totals.customers_by_verdict;
        if verdicts.failing > 0 {
            Finding::Failing
        } else if digest.meta.servers_failed > 0 || digest.meta.servers_succeeded == 0 {
            Finding::Unknown
        } else if verdicts.warning > 0 {
            Finding::Warnings
        } else {
            Finding::Ok
        }
    }

    fn words(self) -> &'static str {
        match self {
            Finding::Ok => "every customer ok",
            Finding::Warnings => "warnings only",
            Finding::Failing => "a customer is failing",
            Finding::Unknown => "could not tell",
        }
    }
}

/// Runs the check; every failure to run it is exit code 3 ("could not tell"), never
/// one a monitoring script would read as a finding about the backups.
pub fn run(args: HealthArgs) -> ExitCode {
    match check(args) {
        Ok(finding) => ExitCode::from(finding as u8),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(Finding::Unknown as u8)
        }
    }
}

/// A number setting from the environment, in its range.
fn setting(limit: limits::Limit) -> anyhow::Result<u32> {
    Ok(limit.parse(std::env::var(limit.variable).ok().as_deref())?)
}

fn check(args: HealthArgs) -> anyhow::Result<Finding> {
    let period = Period::parse(args.window.as_deref(), args.since.as_deref())?;
    let only = args.server.as_deref().map(parse_server_id).transpose()?;
    let mut request = DigestRequest::new(period, Utc::now());
    request.tenant_id = args
        .tenant
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    if let Some(hours) = args.stale_hours {
        request.stale_hours = hours;
    }
    request.validate()?;
    let concurrency = setting(limits::FANOUT_CONCURRENCY)?;
    let timeout = limits::seconds(setting(limits::REQUEST_TIMEOUT_SECONDS)?);
    let budget = limits::seconds(setting(limits::OPERATION_TIMEOUT_SECONDS)?);
    let settings = ClientSettings {
        request_timeout: timeout,
        connect_timeout: timeout.min(ClientSettings::default().connect_timeout),
        ..ClientSettings::default()
    };
    let targets = saved_clients(only.as_ref(), &settings)?;
    if targets.is_empty() {
        anyhow::bail!("no saved servers to check. Add one with `novabackup-mcp login`");
    }
    let digest = runtime()?.block_on(digest_over(
        targets,
        concurrency as usize,
        &request,
        Deadline::after(budget),
        &LogMemory::new(),
    ));
    let finding = Finding::of(&digest);
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&digest).context("the digest did not serialise")?
        );
    } else {
        print!("{}", table(&digest, finding));
    }
    Ok(finding)
}

/// A text cut to `max` characters.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// `text` padded with spaces to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// The digest as a table for a terminal: one line per customer, worst first, then
/// the causes, what is missing, and the finding.
fn table(digest: &Digest, finding: Finding) -> String {
    let mut out = format!("{}\n\n", headline(digest));
    // One heading per cell (the array types keep the two the same length).
    let header: [&str; 10] = [
        "VERDICT",
        "CUSTOMER",
        "SERVER",
        "AGENTS",
        "CONNECTED",
        "STALE",
        "FAILED",
        "WARNING",
        "CANCELLED",
        "NEWEST PROBLEM",
    ];
    let rows: Vec<[String; 10]> = digest
        .customers
        .iter()
        .map(|c| {
            let problem = c
                .failing_runs
                .first()
                .map(|run| {
                    let why = run.first_error.as_deref().unwrap_or("(log not read)");
                    format!(
                        "{} {}: {why}",
                        run.status_label,
                        run.agent_name.as_deref().unwrap_or("?")
                    )
                })
                .or_else(|| {
                    c.stale_agents.first().map(|a| {
                        format!(
                            "{} has not succeeded for {}",
                            a.agent_name.as_deref().unwrap_or("?"),
                            a.hours_since_success
                                .map_or_else(|| "ever".to_owned(), |h| format!("{h} h"))
                        )
                    })
                })
                .unwrap_or_default();
            [
                c.verdict.as_str().to_uppercase(),
                clip(&c.name, 32),
                c.server_id.to_string(),
                c.agents.to_string(),
                c.agents_connected.to_string(),
                c.stale_agents.len().to_string(),
                c.runs_with("failed").to_string(),
                c.runs_with("warning").to_string(),
                c.runs_with("cancelled").to_string(),
                clip(&problem, 70),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| pad(cell, *width))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    out.push_str(&line(header.to_vec()));
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    if !digest.causes.is_empty() {
        out.push_str("\nCauses, worst first:\n");
        for cause in digest.causes.iter().take(10) {
            out.push_str(&format!(
                "  {} runs, {} agents, {} customers: {}\n",
                cause.runs,
                cause.agents,
                cause.customers,
                clip(&cause.example, 110)
            ));
        }
        if digest.causes.len() > 10 {
            out.push_str(&format!(
                "  and {} more (see --json)\n",
                digest.causes.len() - 10
            ));
        }
    }
    if !digest.complete {
        out.push_str("\nIncomplete:\n");
        for reason in &digest.incomplete_reasons {
            out.push_str(&format!("  {}\n", reason.message));
        }
    }
    let t = &digest.totals;
    let v = &t.customers_by_verdict;
    out.push_str(&format!(
        "\n{} customers: {} failing, {} warning, {} ok; {} agents, {} stale; {} failing runs of {}. \
         Exit {} ({}).\n",
        t.customers,
        v.failing,
        v.warning,
        v.ok,
        t.agents,
        t.stale_agents,
        t.failing_runs,
        t.runs,
        finding as u8,
        finding.words()
    ));
    out
}
