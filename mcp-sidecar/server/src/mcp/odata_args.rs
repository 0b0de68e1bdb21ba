//! The OData pass-through arguments of the list tools, and the query they make.

use novabackup_core::Query;
use rmcp::ErrorData;
use schemars::JsonSchema;
use serde::Deserialize;

/// `$filter`, `$select`, `$expand`, `$orderby`, `$top`, `$skip`, forwarded to the
/// Management Server.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct ODataArgs {
    /// OData filter, e.g. `Connected eq false`, `contains(FriendlyName,'SQL')`,
    /// `StartDateTime ge 2026-04-22T00:00:00Z` (dates unquoted; quoted dates are fixed
    /// for you), `Group/TenantId eq '...'`. Field names are PascalCase.
    #[serde(rename = "$filter")]
    pub filter: Option<String>,
    /// Comma-separated fields to return, e.g. `AgentId,FriendlyName`.
    #[serde(rename = "$select")]
    pub select: Option<String>,
    /// Navigations to expand, with nested options, e.g. `Group($select=GroupName,TenantId),Devices`.
    #[serde(rename = "$expand")]
    pub expand: Option<String>,
    /// Sort order, e.g. `LastActivityDate desc`.
    #[serde(rename = "$orderby")]
    pub orderby: Option<String>,
    /// Rows per server, 1..1000. When more rows exist the answer says `truncated: true`
    /// and gives the `$skip` that continues.
    #[serde(rename = "$top")]
    #[schemars(range(min = 1, max = 1000))]
    pub top: Option<u64>,
    /// Rows to skip per server (>= 0), to continue a truncated answer.
    #[serde(rename = "$skip")]
    pub skip: Option<u64>,
}

/// The defaults a tool applies when the caller leaves an option out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Defaults {
    /// Default `$top`.
    pub top: u64,
    /// Default `$expand`.
    pub expand: Option<&'static str>,
    /// Default `$orderby`.
    pub orderby: Option<&'static str>,
    /// Default `$select`.
    pub select: Option<&'static str>,
}

impl ODataArgs {
    /// The query to send, with the tool's defaults; `$count` is always asked so a
    /// truncated answer can say how many rows exist.
    pub fn query(&self, defaults: Defaults) -> Result<Query, ErrorData> {
        let top = self.top.unwrap_or(defaults.top);
        if !(1..=1000).contains(&top) {
            return Err(ErrorData::invalid_params(
                format!("$top is {top}: use 1..1000, and $skip to read further"),
                None,
            ));
        }
        let mut query = Query::new().top(top).count(true);
        if let Some(skip) = self.skip.filter(|s| *s > 0) {
            query = query.skip(skip);
        }
        if let Some(filter) = non_empty(&self.filter) {
            query = query.filter(filter);
        }
        if let Some(select) = non_empty(&self.select).or(defaults.select) {
            query = query.select(select);
        }
        if let Some(expand) = non_empty(&self.expand).or(defaults.expand) {
            query = query.expand(expand);
        }
        if let Some(orderby) = non_empty(&self.orderby).or(defaults.orderby) {
            query = query.orderby(orderby);
        }
        Ok(query)
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}
