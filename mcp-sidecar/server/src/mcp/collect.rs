//! Reading a whole collection from one server, whatever its paging: the core's
//! [`ManagementClient::read_all`], under the names the tools use.

use novabackup_core::client::AllRows;
use novabackup_core::{ApiError, Deadline, ManagementClient, Query};

/// Reads every row of `path` matching `query` (its `$top`/`$skip` are replaced),
/// up to `max_rows`.
pub async fn read_everything(
    client: &ManagementClient,
    path: &str,
    query: &Query,
    max_rows: usize,
    deadline: Deadline,
) -> Result<AllRows, ApiError> {
    client.read_all(path, query, max_rows, deadline).await
}
