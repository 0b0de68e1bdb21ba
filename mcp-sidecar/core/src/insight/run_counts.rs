//! Exact run counts per status over a window on one server: one `$count` per status,
//! asked at once; when the server does not count, every run of the window is read
//! (all pages) and counted here. Either way the answer says whether it is complete.

use std::collections::BTreeMap;

use super::collection::read_collection;
use super::fields::int;
use super::status::status_label;
use crate::client::{Deadline, ManagementClient};
use crate::error::ApiError;
use crate::odata::Query;
use serde_json::{Map, Value, json};

/// The most runs read from one server when it cannot count them itself.
const MAX_RUNS_READ: usize = 1_000_000;

/// The known status codes.
const CODES: std::ops::RangeInclusive<i64> = 0..=6;

/// Counts the runs that started at or after `since` (an OData date-time literal).
pub async fn count_runs_since(
    client: &ManagementClient,
    since: &str,
    deadline: Deadline,
) -> Result<Value, ApiError> {
    let window = format!("StartDateTime ge {since}");
    match count_per_status(client, &window, deadline).await {
        Ok(summary) => Ok(summary),
        Err(ApiError::UnexpectedResponse { .. }) => read_and_count(client, &window, deadline).await,
        Err(error) => Err(error),
    }
}

async fn count_per_status(
    client: &ManagementClient,
    window: &str,
    deadline: Deadline,
) -> Result<Value, ApiError> {
    let total = client.count("JobHistories", Some(window), deadline);
    let per_status = futures::future::try_join_all(CODES.map(|code| {
        let filter = format!("{window} and Status eq {code}");
        async move {
            client
                .count("JobHistories", Some(&filter), deadline)
                .await
                .map(|n| (code, n))
        }
    }));
    let (total, per_status) = futures::future::try_join(total, per_status).await?;
    let counts: BTreeMap<i64, u64> = per_status.into_iter().collect();
    let known: u64 = counts.values().sum();
    let mut summary = shape(total, &counts, true, "server-side $count per status");
    if total > known {
        summary["counts_by_status_label"]["other_codes"] = json!(total - known);
        summary["note"] = json!(format!(
            "{} runs have a status code outside 0..6.",
            total - known
        ));
    }
    Ok(summary)
}

async fn read_and_count(
    client: &ManagementClient,
    window: &str,
    deadline: Deadline,
) -> Result<Value, ApiError> {
    let query = Query::new().filter(window).select("Status");
    let all = read_collection(client, "JobHistories", &query, MAX_RUNS_READ, deadline).await?;
    let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
    for run in &all.rows {
        *counts.entry(int(run, "Status").unwrap_or(-1)).or_default() += 1;
    }
    let mut summary = shape(
        all.rows.len() as u64,
        &counts,
        all.complete,
        "every run read and counted",
    );
    if !all.complete {
        summary["why_incomplete"] = json!(format!(
            "The server does not count runs, and reading stopped at {MAX_RUNS_READ} runs; \
             narrow the window or ask one server at a time."
        ));
    }
    Ok(summary)
}

fn shape(total: u64, counts: &BTreeMap<i64, u64>, complete: bool, method: &str) -> Value {
    let mut by_code = Map::new();
    let mut by_label = Map::new();
    for (code, count) in counts.iter().filter(|(_, n)| **n > 0) {
        by_code.insert(code.to_string(), json!(count));
        by_label.insert(status_label(*code), json!(count));
    }
    json!({
        "total": total,
        "counts_by_status": by_code,
        "counts_by_status_label": by_label,
        "complete": complete,
        "method": method,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::client::{ClientSettings, Credentials};
    use ms_sim::{Sim, SimConfig};
    use secrecy::SecretString;

    use super::*;

    #[tokio::test]
    async fn reading_every_run_counts_the_same_as_the_server() {
        let sim = Sim::start(SimConfig {
            runs: 3000,
            page_size: Some(100),
            max_top: Some(300),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let admin = sim.admin();
        let client = ManagementClient::new(
            &sim.base_url(),
            Credentials::new(
                admin.user_name.clone(),
                SecretString::from(admin.password.clone()),
            ),
            &ClientSettings::default(),
        )
        .unwrap();
        let deadline = Deadline::after(Duration::from_secs(30));
        let since = "2000-01-01T00:00:00Z";
        let window = format!("StartDateTime ge {since}");
        let counted = count_per_status(&client, &window, deadline).await.unwrap();
        let read = read_and_count(&client, &window, deadline).await.unwrap();
        assert_eq!(
            read["total"], 3000,
            "every run read past paging and the $top cap"
        );
        assert_eq!(read["counts_by_status"], counted["counts_by_status"]);
        assert_eq!(read["complete"], true);
        assert_eq!(counted["total"], 3000);
    }
}
