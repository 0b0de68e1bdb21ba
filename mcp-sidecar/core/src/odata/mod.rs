//! OData v4 query options for the Management Server API, encoded the way the server
//! reads them.
//!
//! Values are percent-encoded by hand rather than with `application/x-www-form-urlencoded`:
//! a space must travel as `%20` (never `+`) and a `+` in a date offset as `%2B`, or
//! the server reads a space.

mod dates;

pub use dates::{normalise_date_literal, normalise_filter_dates};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in a query value: RFC 3986 unreserved characters plus
/// the OData punctuation ASP.NET reads literally. Everything else (space, `+`, `&`,
/// `=`, `#`, `%`, `?`, `;`, quotes other than `'`, non-ASCII) is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'\'')
    .remove(b'/')
    .remove(b':')
    .remove(b'$')
    .remove(b'*')
    .remove(b'@')
    .remove(b'!');

/// The query part of one API request: OData system options plus plain parameters.
///
/// ```
/// use novabackup_core::odata::Query;
/// let query = Query::new().filter("StartDateTime gt '2026-04-22'").top(50).count(true);
/// assert_eq!(
///     query.to_query_string(),
///     "$filter=StartDateTime%20gt%202026-04-22T00:00:00Z&$top=50&$count=true"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    filter: Option<String>,
    select: Option<String>,
    expand: Option<String>,
    orderby: Option<String>,
    top: Option<u64>,
    skip: Option<u64>,
    count: Option<bool>,
    params: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `$filter`. Date-time literals in it are normalised to the bare ISO 8601
    /// form the server accepts (see [`normalise_filter_dates`]).
    pub fn filter(mut self, filter: impl AsRef<str>) -> Self {
        let filter = filter.as_ref().trim();
        self.filter = (!filter.is_empty()).then(|| normalise_filter_dates(filter));
        self
    }

    /// Sets `$select` (comma-separated property names).
    pub fn select(mut self, select: impl Into<String>) -> Self {
        self.select = non_empty(select.into());
        self
    }

    /// Sets `$expand`, nested options included
    /// (`Group($select=GroupId,GroupName),Devices`).
    pub fn expand(mut self, expand: impl Into<String>) -> Self {
        self.expand = non_empty(expand.into());
        self
    }

    /// Sets `$orderby` (`StartDateTime desc`).
    pub fn orderby(mut self, orderby: impl Into<String>) -> Self {
        self.orderby = non_empty(orderby.into());
        self
    }

    /// Sets `$top`.
    pub fn top(mut self, top: u64) -> Self {
        self.top = Some(top);
        self
    }

    /// Sets `$skip` (zero leaves it out).
    pub fn skip(mut self, skip: u64) -> Self {
        self.skip = (skip > 0).then_some(skip);
        self
    }

    /// Sets `$count` (`true` asks for `@odata.count`).
    pub fn count(mut self, count: bool) -> Self {
        self.count = Some(count);
        self
    }

    /// Adds a plain parameter, e.g. `path` for `BackupSources`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The `$filter` as it will be sent (after date normalisation).
    pub fn filter_text(&self) -> Option<&str> {
        self.filter.as_deref()
    }

    /// The `$top`, if set.
    pub fn top_value(&self) -> Option<u64> {
        self.top
    }

    /// The `$skip`, zero when not set.
    pub fn skip_value(&self) -> u64 {
        self.skip.unwrap_or(0)
    }

    /// Whether `$count=true` is set.
    pub fn counts(&self) -> bool {
        self.count == Some(true)
    }

    /// The encoded query string, without a leading `?` (empty when nothing is set).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let options = [
            ("$filter", self.filter.clone()),
            ("$select", self.select.clone()),
            ("$expand", self.expand.clone()),
            ("$orderby", self.orderby.clone()),
            ("$top", self.top.map(|n| n.to_string())),
            ("$skip", self.skip.map(|n| n.to_string())),
            ("$count", self.count.map(|b| b.to_string())),
        ];
        for (name, value) in options {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        }
        for (name, value) in &self.params {
            pairs.push((name.as_str(), value.clone()));
        }
        pairs
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes one query name or value the way the server expects.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_query_is_empty() {
        assert_eq!(Query::new().to_query_string(), "");
        assert_eq!(Query::new().filter("  ").skip(0).to_query_string(), "");
    }

    #[test]
    fn spaces_are_percent_twenty_never_plus() {
        let qs = Query::new()
            .filter("FriendlyName eq 'a b'")
            .to_query_string();
        assert_eq!(qs, "$filter=FriendlyName%20eq%20'a%20b'");
        assert!(!qs.contains('+'));
    }

    #[test]
    fn plus_in_a_string_is_encoded() {
        let qs = Query::new().filter("Name eq 'C++'").to_query_string();
        assert_eq!(qs, "$filter=Name%20eq%20'C%2B%2B'");
    }

    #[test]
    fn options_keep_a_fixed_order_and_params_follow() {
        let qs = Query::new()
            .param("path", "C:\\Users\\Jo & Co")
            .count(true)
            .skip(200)
            .top(100)
            .orderby("StartDateTime desc")
            .expand("Group($select=GroupId,GroupName,TenantId),Devices")
            .select("AgentId,FriendlyName")
            .filter("Connected eq true")
            .to_query_string();
        assert_eq!(
            qs,
            "$filter=Connected%20eq%20true&$select=AgentId,FriendlyName\
             &$expand=Group($select%3DGroupId,GroupName,TenantId),Devices\
             &$orderby=StartDateTime%20desc&$top=100&$skip=200&$count=true\
             &path=C:%5CUsers%5CJo%20%26%20Co"
        );
    }

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(encode("a&b=c#d%e?f;g\"h"), "a%26b%3Dc%23d%25e%3Ff%3Bg%22h");
        assert_eq!(encode("Grüße"), "Gr%C3%BC%C3%9Fe");
        assert_eq!(encode("Group/TenantId"), "Group/TenantId");
    }

    #[test]
    fn filter_dates_are_normalised_on_the_way_in() {
        let query = Query::new().filter("StartDateTime ge 2026-04-22T10:00:00+02:00");
        assert_eq!(
            query.filter_text(),
            Some("StartDateTime ge 2026-04-22T08:00:00Z")
        );
    }

    #[test]
    fn accessors_report_paging_options() {
        let query = Query::new().top(50).skip(100).count(true);
        assert_eq!(query.top_value(), Some(50));
        assert_eq!(query.skip_value(), 100);
        assert!(query.counts());
        assert!(!Query::new().counts());
    }
}
