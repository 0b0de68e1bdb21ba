//! Reading a whole collection from one server, whatever its paging: `$top`/`$skip`
//! pages with `$count`, nextLinks followed, and a smaller page when the server caps
//! `$top` (ASP.NET's MaxTop).

use serde_json::Value;

use super::{Deadline, ManagementClient};
use crate::error::ApiError;
use crate::odata::Query;

/// The page size asked for first.
const FIRST_PAGE: u64 = 1000;

/// Every row of a collection, and whether the read is complete.
#[derive(Debug, Default)]
pub struct AllRows {
    /// The rows read.
    pub rows: Vec<Value>,
    /// `@odata.count`, when the server gave one.
    pub count: Option<u64>,
    /// Whether every row was read (`false` when `max_rows` stopped the read).
    pub complete: bool,
    /// Requests sent.
    pub requests: u32,
}

impl ManagementClient {
    /// Reads every row of `path` matching `query` (its `$top`/`$skip` are replaced),
    /// up to `max_rows`: pages of 1000 with `$count`, nextLinks followed, and smaller
    /// pages when the server refuses the size (the limit its message names).
    pub async fn read_all(
        &self,
        path: &str,
        query: &Query,
        max_rows: usize,
        deadline: Deadline,
    ) -> Result<AllRows, ApiError> {
        let mut page_size = FIRST_PAGE;
        let mut all = AllRows::default();
        loop {
            let skip = all.rows.len() as u64;
            let page_query = query.clone().top(page_size).skip(skip).count(true);
            all.requests += 1;
            let page = match self
                .list_all(path, &page_query, max_rows - all.rows.len(), deadline)
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
                all.count = page.count;
            }
            let got = page.rows.len() as u64;
            all.rows.extend(page.rows);
            let read = all.rows.len() as u64;
            let more = match all.count {
                Some(count) => read < count,
                None => got > 0 && got >= page_size,
            };
            if !more || got == 0 {
                all.complete = true;
                return Ok(all);
            }
            if all.rows.len() >= max_rows {
                all.complete = false;
                return Ok(all);
            }
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
