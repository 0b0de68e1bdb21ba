//! The cheap read behind a health check or a connection test: a fresh login, the
//! number of agents the user sees, and the number of customers (distinct tenants of
//! the groups the user sees).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Visible;
use crate::client::{Deadline, ManagementClient};
use crate::error::ApiError;
use crate::odata::Query;

/// Groups read at most to count customers; more is an unusual estate and the count
/// then says "at least".
const MAX_GROUPS: usize = 5_000;

/// Logs in afresh (so a changed password shows at once) and reads what the user sees.
pub async fn probe(client: &ManagementClient, deadline: Deadline) -> Result<Visible, ApiError> {
    client.login(deadline).await?;
    let agents = client.count("Agents", None, deadline).await?;
    let groups = client
        .list_all(
            "Groups",
            &Query::new().select("TenantId"),
            MAX_GROUPS,
            deadline,
        )
        .await?;
    let tenants: BTreeSet<&str> = groups
        .rows
        .iter()
        .filter_map(|row| row.get("TenantId").and_then(Value::as_str))
        .collect();
    Ok(Visible {
        agents,
        tenants: tenants.len() as u64,
    })
}
