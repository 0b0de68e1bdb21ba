//! Collection reads: one page, every page (following `@odata.nextLink`), counts and
//! single entities.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use super::message::truncate;
use super::{Deadline, ManagementClient};
use crate::error::ApiError;
use crate::odata::Query;

/// How much of a refused nextLink an error quotes.
const LINK_LIMIT: usize = 200;

/// Rows from a collection, and whether more exist beyond them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Page {
    /// The rows, exactly as the server sent them.
    pub rows: Vec<Value>,
    /// `@odata.count`: the total matching the filter, when `$count=true` was asked.
    pub count: Option<u64>,
    /// Whether rows beyond these exist (a nextLink, a count above what was read, or
    /// a full page of `$top`).
    pub more: bool,
    /// The `$skip` that continues after these rows, when `more` is set.
    pub next_skip: Option<u64>,
    /// The server's `@odata.nextLink`, when it paged by itself.
    pub next_link: Option<String>,
}

impl ManagementClient {
    /// Reads one page of a collection (`path` such as `Agents` or
    /// `Agents(12)/Devices`): one request, no nextLink followed.
    pub async fn list(
        &self,
        path: &str,
        query: &Query,
        deadline: Deadline,
    ) -> Result<Page, ApiError> {
        let url = self.query_url(path, query)?;
        let body = self.get_json(&url, path, deadline).await?;
        self.page_from_body(path, body, query)
    }

    /// The page in a collection answer to `query`.
    pub(crate) fn page_from_body(
        &self,
        path: &str,
        body: Value,
        query: &Query,
    ) -> Result<Page, ApiError> {
        let (rows, count, next_link) = self.collection(path, body)?;
        Ok(page_of(rows, count, next_link, query))
    }

    /// Reads a collection, following `@odata.nextLink` until the server has no more
    /// or `max_rows` rows have been read. `more` tells whether rows were left.
    pub async fn list_all(
        &self,
        path: &str,
        query: &Query,
        max_rows: usize,
        deadline: Deadline,
    ) -> Result<Page, ApiError> {
        let first = self.query_url(path, query)?;
        let mut page = self.list(path, query, deadline).await?;
        // Every page asked for so far: a link back to one of them would go round forever.
        let mut visited: HashSet<Url> = HashSet::from([first]);
        while page.rows.len() < max_rows {
            let Some(link) = page.next_link.clone() else {
                break;
            };
            let url = self.next_link_url(&link)?;
            if !visited.insert(url.clone()) {
                return Err(self.bad_next_link(&link, "leads back to a page already read"));
            }
            let body = self.get_json(&url, path, deadline).await?;
            let (rows, _, next_link) = self.collection(path, body)?;
            if rows.is_empty() && next_link.is_some() {
                return Err(
                    self.bad_next_link(&link, "gave a page with no rows and yet another link")
                );
            }
            page.rows.extend(rows);
            page.next_link = next_link;
        }
        let count = page.count;
        let next_link = page.next_link.take();
        let mut rows = page.rows;
        if rows.len() > max_rows {
            rows.truncate(max_rows);
            return Ok(Page {
                rows,
                count,
                more: true,
                next_skip: Some(query.skip_value().saturating_add(max_rows as u64)),
                next_link: None,
            });
        }
        Ok(page_of(rows, count, next_link, query))
    }

    /// Counts the rows of a collection matching `filter` (`$count=true&$top=0`).
    pub async fn count(
        &self,
        path: &str,
        filter: Option<&str>,
        deadline: Deadline,
    ) -> Result<u64, ApiError> {
        let mut query = Query::new().count(true).top(0);
        if let Some(filter) = filter {
            query = query.filter(filter);
        }
        let url = self.query_url(path, &query)?;
        let body = self.get_json(&url, path, deadline).await?;
        body.get("@odata.count")
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                self.unexpected(
                    "\"@odata.count\" in the answer",
                    body.to_string().as_bytes(),
                )
            })
    }

    /// Reads one entity or object (`Agents(12)`, `JobHistories(9)/Log`) as JSON.
    pub async fn get(
        &self,
        path: &str,
        query: &Query,
        deadline: Deadline,
    ) -> Result<Value, ApiError> {
        let url = self.query_url(path, query)?;
        self.get_json(&url, path, deadline).await
    }

    fn query_url(&self, path: &str, query: &Query) -> Result<Url, ApiError> {
        let mut url = self.api_url(path)?;
        let query = query.to_query_string();
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        Ok(url)
    }

    /// A nextLink as a URL, refused unless it points at this same server and API (the
    /// token goes with it).
    fn next_link_url(&self, link: &str) -> Result<Url, ApiError> {
        let root = &self.inner.api_root;
        let url = root
            .join(link)
            .map_err(|_| self.bad_next_link(link, "is not a URL"))?;
        if !self.within_api(&url) {
            return Err(self.bad_next_link(
                link,
                "points away from this server's API (another host, port, scheme or path), so \
                 the login token was not sent there",
            ));
        }
        Ok(url)
    }

    fn bad_next_link(&self, link: &str, reason: &str) -> ApiError {
        ApiError::BadNextLink {
            server: self.server().to_owned(),
            link: truncate(link, LINK_LIMIT),
            reason: reason.to_owned(),
        }
    }

    /// Splits a collection answer into rows, count and nextLink.
    fn collection(&self, path: &str, body: Value) -> Result<Collection, ApiError> {
        match body {
            Value::Array(rows) => Ok((rows, None, None)),
            Value::Object(mut object) => {
                let Some(Value::Array(rows)) = object.remove("value") else {
                    return Err(self.unexpected(
                        &format!("a collection (\"value\": [...]) from {path}"),
                        Value::Object(object).to_string().as_bytes(),
                    ));
                };
                let count = count_of(&object);
                let next_link = object
                    .get("@odata.nextLink")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                Ok((rows, count, next_link))
            }
            other => Err(self.unexpected(
                &format!("a collection from {path}"),
                other.to_string().as_bytes(),
            )),
        }
    }
}

/// A collection answer: rows, `@odata.count`, `@odata.nextLink`.
type Collection = (Vec<Value>, Option<u64>, Option<String>);

fn count_of(object: &Map<String, Value>) -> Option<u64> {
    let value = object.get("@odata.count")?;
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

/// Works out `more` and `next_skip` for rows read with `query`.
pub(crate) fn page_of(
    rows: Vec<Value>,
    count: Option<u64>,
    next_link: Option<String>,
    query: &Query,
) -> Page {
    let skip = query.skip_value();
    let read = rows.len() as u64;
    let after = skip.saturating_add(read);
    let (more, next_skip) = if let Some(link) = &next_link {
        (true, Some(skip_in_link(link).unwrap_or(after)))
    } else if let Some(count) = count {
        (count > after, (count > after).then_some(after))
    } else if query.top_value().is_some_and(|top| top > 0 && read >= top) {
        (true, Some(after))
    } else {
        (false, None)
    };
    Page {
        rows,
        count,
        more,
        next_skip,
        next_link,
    }
}

/// The `$skip` value inside a nextLink, if it has one.
fn skip_in_link(link: &str) -> Option<u64> {
    let query = link.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        matches!(name, "$skip" | "%24skip").then(|| value.parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({ "Id": i })).collect()
    }

    #[test]
    fn a_next_link_means_more() {
        let page = page_of(
            rows(100),
            None,
            Some("https://h/api/Agents?$skip=100".into()),
            &Query::new(),
        );
        assert!(page.more);
        assert_eq!(page.next_skip, Some(100));
        let page = page_of(
            rows(100),
            None,
            Some("https://h/api/Agents?$skiptoken=x".into()),
            &Query::new().skip(50),
        );
        assert_eq!(page.next_skip, Some(150));
    }

    #[test]
    fn a_count_above_what_was_read_means_more() {
        let query = Query::new().top(10).skip(20).count(true);
        let page = page_of(rows(10), Some(45), None, &query);
        assert!(page.more);
        assert_eq!(page.next_skip, Some(30));
        let page = page_of(rows(5), Some(25), None, &query);
        assert!(!page.more, "the count says everything was read");
        assert_eq!(page.next_skip, None);
    }

    #[test]
    fn a_full_page_of_top_means_more_unless_a_count_says_otherwise() {
        let page = page_of(rows(50), None, None, &Query::new().top(50));
        assert!(page.more);
        assert_eq!(page.next_skip, Some(50));
        let page = page_of(rows(49), None, None, &Query::new().top(50));
        assert!(!page.more);
        let page = page_of(rows(50), Some(50), None, &Query::new().top(50).count(true));
        assert!(!page.more);
    }

    #[test]
    fn no_top_no_link_no_count_means_everything() {
        let page = page_of(rows(3), None, None, &Query::new());
        assert!(!page.more);
        assert_eq!(page.next_skip, None);
    }

    #[test]
    fn next_links_must_stay_on_the_same_server_and_api() {
        let client = ManagementClient::new(
            "https://cmc.example.com/managementserver",
            crate::client::Credentials::new("a", secrecy::SecretString::from("p".to_owned())),
            &crate::client::ClientSettings::default(),
        )
        .unwrap();
        let same = "https://cmc.example.com/managementserver/api/Agents?$skip=100";
        assert_eq!(client.next_link_url(same).unwrap().as_str(), same);
        let relative = client.next_link_url("Agents?$skip=100").unwrap();
        assert_eq!(
            relative.as_str(),
            same,
            "a relative link is read against the API root"
        );
        for elsewhere in [
            "https://evil.example.com/managementserver/api/Agents?$skip=100",
            "http://cmc.example.com/managementserver/api/Agents?$skip=100",
            "https://cmc.example.com:8443/managementserver/api/Agents",
            "https://cmc.example.com/other/api/Agents",
        ] {
            let error = client.next_link_url(elsewhere).unwrap_err();
            assert_eq!(error.kind(), "bad_next_link", "{elsewhere}");
            assert!(
                error
                    .to_string()
                    .contains("the login token was not sent there"),
                "{error}"
            );
        }
    }

    #[test]
    fn skip_is_read_from_links() {
        assert_eq!(skip_in_link("https://h/api/X?$top=5&$skip=200"), Some(200));
        assert_eq!(skip_in_link("https://h/api/X?%24skip=7"), Some(7));
        assert_eq!(skip_in_link("https://h/api/X?$skiptoken=abc"), None);
        assert_eq!(skip_in_link("https://h/api/X"), None);
    }
}
