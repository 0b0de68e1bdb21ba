//! The MCP server's settings: the environment variables of the tool surface, parsed
//! and validated once at start-up. An out-of-range or malformed value stops the server
//! with a message naming the variable.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use novabackup_core::limits::{self, Limit};
use novabackup_core::registration;

/// The Node server's plaintext credentials file, read when set.
pub const CREDENTIALS_FILE: &str = "MCP_CREDENTIALS_FILE";
/// A file of server presets; overrides the profiles file path.
pub const SERVERS_FILE: &str = registration::SERVERS_FILE_VARIABLE;
/// `1/true/yes/on` registers write tools (none exist yet).
pub const ALLOW_WRITES: &str = "MCP_ALLOW_WRITES";
/// Comma-separated tenant GUIDs outside which writes fail closed.
pub const ALLOWED_TENANT_IDS: &str = "MCP_ALLOWED_TENANT_IDS";
/// The log level (logs go to stderr only).
pub const LOG_LEVEL: &str = limits::LOG_LEVEL_VARIABLE;
/// The time budget of one HTTP request to a Management Server, in seconds.
pub const REQUEST_TIMEOUT_SECONDS: &str = limits::REQUEST_TIMEOUT_SECONDS.variable;

/// Validated settings of one MCP server process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The Node server's plaintext credentials file, when `MCP_CREDENTIALS_FILE` is set.
    pub credentials_file: Option<PathBuf>,
    /// The profiles/presets file named by `MCP_SERVERS_FILE`, when set.
    pub servers_file: Option<PathBuf>,
    /// Whether write tools are registered (`MCP_ALLOW_WRITES`).
    pub allow_writes: bool,
    /// Tenants writes are limited to (`MCP_ALLOWED_TENANT_IDS`); empty means no limit set.
    pub allowed_tenant_ids: Vec<String>,
    /// The tracing filter directive (`MCP_LOG_LEVEL`), e.g. `info`.
    pub log_level: String,
    /// The time budget of one tool call.
    pub operation_timeout: Duration,
    /// Parallel server requests in a fan-out.
    pub fanout_concurrency: usize,
    /// The time budget of one HTTP request to a Management Server.
    pub request_timeout: Duration,
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment in production, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let value = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        Ok(Self {
            credentials_file: value(CREDENTIALS_FILE).map(PathBuf::from),
            servers_file: value(SERVERS_FILE).map(PathBuf::from),
            allow_writes: match value(ALLOW_WRITES) {
                None => false,
                Some(raw) => parse_flag(ALLOW_WRITES, &raw)?,
            },
            allowed_tenant_ids: match value(ALLOWED_TENANT_IDS) {
                None => Vec::new(),
                Some(raw) => parse_tenant_ids(&raw)?,
            },
            log_level: match value(LOG_LEVEL) {
                None => "info".to_owned(),
                Some(raw) => parse_log_level(&raw)?,
            },
            operation_timeout: limits::seconds(parse_limit(
                limits::OPERATION_TIMEOUT_SECONDS,
                &lookup,
            )?),
            fanout_concurrency: usize::try_from(parse_limit(limits::FANOUT_CONCURRENCY, &lookup)?)
                .context("fan-out concurrency does not fit this platform")?,
            request_timeout: limits::seconds(parse_limit(
                limits::REQUEST_TIMEOUT_SECONDS,
                &lookup,
            )?),
        })
    }
}

fn parse_flag(name: &str, raw: &str) -> anyhow::Result<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{name} is {raw:?}: set it to 1/true/yes/on or 0/false/no/off, or unset it"),
    }
}

fn parse_limit(limit: Limit, lookup: &impl Fn(&str) -> Option<String>) -> anyhow::Result<u32> {
    Ok(limit.parse(lookup(limit.variable).as_deref())?)
}

fn parse_log_level(raw: &str) -> anyhow::Result<String> {
    let level = raw.trim().to_ascii_lowercase();
    // The Node server took pino levels; map the two that tracing lacks.
    let level = match level.as_str() {
        "fatal" => "error",
        "silent" => "off",
        other => other,
    };
    match level {
        "trace" | "debug" | "info" | "warn" | "error" | "off" => Ok(level.to_owned()),
        _ => bail!(
            "{LOG_LEVEL} is {raw:?}: use one of trace, debug, info, warn, error, off (default info)"
        ),
    }
}

fn parse_tenant_ids(raw: &str) -> anyhow::Result<Vec<String>> {
    raw.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| {
            if is_guid(id) {
                Ok(id.to_ascii_lowercase())
            } else {
                bail!(
                    "{ALLOWED_TENANT_IDS} holds {id:?}, which is not a tenant GUID \
                     (like 3f2504e0-4f89-11d3-9a0c-0305e82c3301); fix the list or unset it"
                )
            }
        })
        .collect()
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    /// What the companion app writes into a client's entry is what this program reads.
    #[test]
    fn a_tuned_entry_from_the_app_is_read_back() {
        use registration::{LogDetail, ServerEntry, Tuning};
        for (concurrency, timeout, level) in [(1, 1, LogDetail::Error), (50, 300, LogDetail::Trace)]
        {
            let entry = ServerEntry::new("/usr/bin/novabackup-mcp", "/home/tech/servers.json")
                .with_tuning(Tuning {
                    fanout_concurrency: Some(concurrency),
                    request_timeout_seconds: Some(timeout),
                    log_level: Some(level),
                });
            let env = entry.env();
            let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let s = settings(&pairs).expect("an entry the app writes is valid");
            assert_eq!(s.fanout_concurrency, usize::from(concurrency));
            assert_eq!(s.request_timeout, Duration::from_secs(u64::from(timeout)));
            assert_eq!(s.log_level, level.as_str());
            assert_eq!(
                s.servers_file,
                Some(PathBuf::from("/home/tech/servers.json"))
            );
        }
    }

    #[test]
    fn defaults_match_the_tool_surface() {
        let s = settings(&[]).expect("no variables is valid");
        assert_eq!(s.operation_timeout, Duration::from_secs(60));
        assert_eq!(s.fanout_concurrency, 50);
        assert_eq!(s.request_timeout, Duration::from_secs(10));
        assert_eq!(s.log_level, "info");
        assert!(!s.allow_writes);
        assert!(s.allowed_tenant_ids.is_empty());
        assert_eq!(s.credentials_file, None);
        assert_eq!(s.servers_file, None);
    }

    #[test]
    fn out_of_range_values_name_the_variable() {
        for (name, bad) in [
            (limits::OPERATION_TIMEOUT_SECONDS.variable, "0"),
            (limits::OPERATION_TIMEOUT_SECONDS.variable, "601"),
            (limits::FANOUT_CONCURRENCY.variable, "51"),
            (limits::FANOUT_CONCURRENCY.variable, "-1"),
            (REQUEST_TIMEOUT_SECONDS, "ten"),
            (ALLOW_WRITES, "maybe"),
            (LOG_LEVEL, "loud"),
            (ALLOWED_TENANT_IDS, "not-a-guid"),
        ] {
            let error = settings(&[(name, bad)]).expect_err("a bad value must be refused");
            assert!(
                error.to_string().contains(name),
                "the error for {name}={bad} must name the variable: {error}"
            );
        }
    }

    #[test]
    fn accepted_values_are_parsed() {
        let s = settings(&[
            (limits::OPERATION_TIMEOUT_SECONDS.variable, "600"),
            (limits::FANOUT_CONCURRENCY.variable, "1"),
            (ALLOW_WRITES, "Yes"),
            (
                ALLOWED_TENANT_IDS,
                "3F2504E0-4F89-11D3-9A0C-0305E82C3301, 11111111-2222-3333-4444-555555555555",
            ),
            (LOG_LEVEL, "fatal"),
            (SERVERS_FILE, "/tmp/servers.json"),
        ])
        .expect("valid values");
        assert_eq!(s.operation_timeout, Duration::from_secs(600));
        assert_eq!(s.fanout_concurrency, 1);
        assert!(s.allow_writes);
        assert_eq!(
            s.allowed_tenant_ids,
            vec![
                "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                "11111111-2222-3333-4444-555555555555"
            ]
        );
        assert_eq!(s.log_level, "error");
        assert_eq!(s.servers_file, Some(PathBuf::from("/tmp/servers.json")));
    }
}
