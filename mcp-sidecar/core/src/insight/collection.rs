//! Reading a whole collection from one server, whatever its paging: `$top`/`$skip`
//! pages with `$count`, nextLinks followed, and a smaller page when the server caps
//! `$top` (ASP.NET's MaxTop).

use crate::client::{Deadline, ManagementClient};
use crate::error::ApiError;
use crate::odata::Query;
use serde_json::Value;

/// The page size asked for first.
const FIRST_PAGE: u64 = 1000;

/// Every row of a collection as read, and whether the read is complete.
#[derive(Debug, Default)]
pub struct Collection {
    /// The rows read.
    pub rows: Vec<Value>,
    /// `@odata.count`, when the server gave one.
    pub count: Option<u64>,
    /// Whether every row was read (`false` when `max_rows` stopped the read).
    pub complete: bool,
    /// Requests sent.
    pub requests: u32,
}

/// Reads every row of `path` matching `query` (its `$top`/`$skip` are replaced),
/// up to `max_rows`.
pub async fn read_collection(
    client: &ManagementClient,
    path: &str,
    query: &Query,
    max_rows: usize,
    deadline: Deadline,
) -> Result<Collection, ApiError> {
    let mut page_size = FIRST_PAGE;
    let mut collection = Collection::default();
    loop {
        let skip = collection.rows.len() as u64;
        let page_query = query.clone().top(page_size).skip(skip).count(true);
        collection.requests += 1;
        let page = match client
            .list_all(
                path,
                &page_query,
                max_rows - collection.rows.len(),
                deadline,
            )
            .await
        {
            Ok(page) => page,
            Err(ApiError::QueryRejected { message, .. })
                if message.to_ascii_lowercase().contains("top") && page_size > 1 =>
            {
                page_size = smaller_page(&message, page_size);
                continue;
            }
            Err(error) => return Err(error),
        };
        if page.count.is_some() {
            collection.count = page.count;
        }
        let got = page.rows.len() as u64;
        collection.rows.extend(page.rows);
        let read = collection.rows.len() as u64;
        let more = match collection.count {
            Some(count) => read < count,
            None => got > 0 && got >= page_size,
        };
        if !more || got == 0 {
            collection.complete = true;
            return Ok(collection);
        }
        if collection.rows.len() >= max_rows {
            collection.complete = false;
            return Ok(collection);
        }
    }
}

/// The page size to use after the server refused `current`: the limit its message
/// names when there is one below `current`, else a tenth.
fn smaller_page(message: &str, current: u64) -> u64 {
    message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|digits| digits.parse::<u64>().ok())
        .filter(|n| *n > 0 && *n < current)
        .max()
        .unwrap_or((current / 10).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_shrinks_to_the_limit_the_server_names() {
        assert_eq!(
            smaller_page("The limit of '500' for Top query has been exceeded.", 1000),
            500
        );
        assert_eq!(smaller_page("top too large", 1000), 100);
        assert_eq!(
            smaller_page("limit 5000", 1000),
            100,
            "a number above is no limit"
        );
        assert_eq!(smaller_page("no", 1), 1);
    }
}
