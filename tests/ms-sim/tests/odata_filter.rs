//! Every `$filter` form of ms-api.md against the simulator, compared with the estate.

mod common;

use chrono::Duration;
use common::{error_message, get, get_url, ints, start_default, token};
use ms_sim::format_date;
use reqwest::StatusCode;

async fn run_ids(sim: &ms_sim::Sim, token: &str, filter: &str) -> Vec<i64> {
    let (status, body) = get(sim, token, "JobHistories", &[("$filter", filter)]).await;
    assert_eq!(status, StatusCode::OK, "{filter}: {body}");
    ints(&body, "JobLogId")
}

#[tokio::test]
async fn comparison_operators_on_numbers() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let runs = &sim.estate().runs;
    let expect = |f: &dyn Fn(i64) -> bool| -> Vec<i64> {
        runs.iter()
            .filter(|r| f(r.status))
            .map(|r| r.job_log_id)
            .collect()
    };
    assert_eq!(run_ids(&sim, &t, "Status eq 4").await, expect(&|s| s == 4));
    assert_eq!(run_ids(&sim, &t, "Status ne 1").await, expect(&|s| s != 1));
    assert_eq!(run_ids(&sim, &t, "Status gt 4").await, expect(&|s| s > 4));
    assert_eq!(run_ids(&sim, &t, "Status ge 4").await, expect(&|s| s >= 4));
    assert_eq!(run_ids(&sim, &t, "Status lt 2").await, expect(&|s| s < 2));
    assert_eq!(run_ids(&sim, &t, "Status le 2").await, expect(&|s| s <= 2));
    assert!(
        !expect(&|s| s == 4).is_empty(),
        "the estate has failed runs"
    );
}

#[tokio::test]
async fn and_or_not_and_parentheses() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let runs = &sim.estate().runs;
    let agent = runs[0].agent_id;
    let got = run_ids(
        &sim,
        &t,
        &format!("(Status eq 2 or Status eq 4) and AgentId eq {agent}"),
    )
    .await;
    let want: Vec<i64> = runs
        .iter()
        .filter(|r| (r.status == 2 || r.status == 4) && r.agent_id == agent)
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want);
    let got = run_ids(
        &sim,
        &t,
        &format!("Status eq 2 or Status eq 4 and AgentId eq {agent}"),
    )
    .await;
    let want: Vec<i64> = runs
        .iter()
        .filter(|r| r.status == 2 || (r.status == 4 && r.agent_id == agent))
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want, "and binds tighter than or");
    let got = run_ids(&sim, &t, "not (Status eq 1)").await;
    let want: Vec<i64> = runs
        .iter()
        .filter(|r| r.status != 1)
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn string_functions_and_doubled_quotes() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let agents = &sim.estate().agents;
    for (filter, pred) in [
        (
            "contains(FriendlyName,'SQL')",
            &(|n: &str| n.contains("SQL")) as &dyn Fn(&str) -> bool,
        ),
        ("startswith(FriendlyName,'Contoso')", &|n: &str| {
            n.starts_with("Contoso")
        }),
        ("endswith(FriendlyName,'01')", &|n: &str| n.ends_with("01")),
    ] {
        let (status, body) = get(&sim, &t, "Agents", &[("$filter", filter)]).await;
        assert_eq!(status, StatusCode::OK, "{filter}: {body}");
        let want: Vec<i64> = agents
            .iter()
            .filter(|a| pred(&a.friendly_name))
            .map(|a| a.agent_id)
            .collect();
        assert_eq!(ints(&body, "AgentId"), want, "{filter}");
        assert!(!want.is_empty(), "{filter} matches something in the estate");
    }
    let (status, body) = get(
        &sim,
        &t,
        "Groups",
        &[("$filter", "GroupName eq 'Margie''s Travel'")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let names: Vec<&str> = common::rows(&body)
        .iter()
        .map(|g| g["GroupName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Margie's Travel"]);
}

#[tokio::test]
async fn null_true_false_and_decimals() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let e = sim.estate();
    let got = run_ids(&sim, &t, "EndDateTime eq null").await;
    let want: Vec<i64> = e
        .runs
        .iter()
        .filter(|r| r.end_date_time.is_none())
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want);
    assert!(!want.is_empty());
    let got = run_ids(&sim, &t, "JobId ne null").await;
    assert_eq!(
        got.len(),
        e.runs.iter().filter(|r| r.job_id.is_some()).count()
    );
    for (literal, connected) in [("true", true), ("false", false)] {
        let (_, body) = get(
            &sim,
            &t,
            "Agents",
            &[("$filter", &format!("Connected eq {literal}"))],
        )
        .await;
        let want: Vec<i64> = e
            .agents
            .iter()
            .filter(|a| a.connected == connected)
            .map(|a| a.agent_id)
            .collect();
        assert_eq!(ints(&body, "AgentId"), want, "Connected eq {literal}");
    }
    let (_, body) = get(
        &sim,
        &t,
        "CloudStorageAccounts",
        &[("$filter", "QuotaPercent gt 84.5")],
    )
    .await;
    let want: Vec<i64> = e
        .cloud_storage_accounts
        .iter()
        .filter(|c| c.quota_percent > 84.5)
        .map(|c| c.cloud_storage_account_id)
        .collect();
    assert_eq!(ints(&body, "CloudStorageAccountId"), want);
}

#[tokio::test]
async fn date_times_with_fractions_and_offsets() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let e = sim.estate();
    let since = e.now - Duration::days(7) - Duration::milliseconds(250);
    let want: Vec<i64> = e
        .runs
        .iter()
        .filter(|r| r.start_date_time > since)
        .map(|r| r.job_log_id)
        .collect();
    let z = format_date(&since);
    assert!(z.contains('.'), "fractional seconds: {z}");
    assert_eq!(
        run_ids(&sim, &t, &format!("StartDateTime gt {z}")).await,
        want
    );
    // The same moment written with a +02:00 and a -05:30 offset.
    let plus = (since + Duration::hours(2))
        .format("%Y-%m-%dT%H:%M:%S%.3f+02:00")
        .to_string();
    let minus = (since - Duration::minutes(330))
        .format("%Y-%m-%dT%H:%M:%S%.3f-05:30")
        .to_string();
    assert_eq!(
        run_ids(&sim, &t, &format!("StartDateTime gt {plus}")).await,
        want
    );
    assert_eq!(
        run_ids(&sim, &t, &format!("StartDateTime gt {minus}")).await,
        want
    );
}

#[tokio::test]
async fn encoded_plus_works_and_raw_plus_is_a_space() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let base = format!("{}/api/JobHistories?$filter=", sim.base_url());
    let (status, body) = get_url(
        &t,
        &format!("{base}StartDateTime%20gt%202026-01-01T00:00:00%2B02:00"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "%2B is a plus: {body}");
    let (status, body) = get_url(
        &t,
        &format!("{base}StartDateTime%20gt%202026-01-01T00:00:00+02:00"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a raw + is a space");
    let message = error_message(&body);
    assert!(
        message.contains("2026-01-01T00:00:00") && message.contains("Edm.DateTimeOffset"),
        "{message}"
    );
}

#[tokio::test]
async fn quoted_date_is_a_type_error() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let (status, body) = get(
        &sim,
        &t,
        "JobHistories",
        &[("$filter", "StartDateTime gt '2026-04-22T00:00:00Z'")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error_message(&body),
        "A binary operator with incompatible types was detected. Found operand types \
         'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'."
    );
    assert_eq!(body["error"]["details"], serde_json::json!([]));
    assert!(body["error"]["innererror"].is_object());
}

#[tokio::test]
async fn unknown_property_and_syntax_errors_are_400_with_the_reason() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let (status, body) = get(&sim, &t, "Agents", &[("$filter", "Colour eq 'red'")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = error_message(&body);
    assert!(
        message.starts_with("Could not find a property named 'Colour' on type '")
            && message.contains("Agent"),
        "{message}"
    );
    let (status, body) = get(&sim, &t, "Agents", &[("$filter", "AgentId eq")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("position"), "{body}");
    let (status, body) = get(&sim, &t, "Agents", &[("$filter", "Group/Colour eq 1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("'Colour'"), "{body}");
}

#[tokio::test]
async fn navigation_paths_group_tenant_and_agent_name() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let e = sim.estate();
    let tenant = &e.tenants[1];
    let (status, body) = get(
        &sim,
        &t,
        "Agents",
        &[(
            "$filter",
            &format!("Group/TenantId eq '{}'", tenant.tenant_id),
        )],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let want: Vec<i64> = e
        .agents
        .iter()
        .filter(|a| e.tenant_of_agent(a.agent_id).map(|t| t.index) == Some(1))
        .map(|a| a.agent_id)
        .collect();
    assert_eq!(ints(&body, "AgentId"), want);
    assert_eq!(want.len(), 4);
    let agent = &e.agents[2];
    let got = run_ids(
        &sim,
        &t,
        &format!("Agent/FriendlyName eq '{}'", agent.friendly_name),
    )
    .await;
    let want: Vec<i64> = e
        .runs_of(agent.agent_id)
        .iter()
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn in_lists() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let want: Vec<i64> = sim
        .estate()
        .runs
        .iter()
        .filter(|r| [0, 5, 6].contains(&r.status))
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(run_ids(&sim, &t, "Status in (0, 5, 6)").await, want);
}

#[tokio::test]
async fn the_longest_accepted_filter_evaluates_without_trouble() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    // 499 terms of 4 tokens (with 'or') stay under the 2000-token limit.
    let ids: Vec<String> = sim.estate().runs[..499]
        .iter()
        .map(|r| format!("JobLogId eq {}", r.job_log_id))
        .collect();
    let got = run_ids(&sim, &t, &ids.join(" or ")).await;
    let want: Vec<i64> = sim.estate().runs[..499]
        .iter()
        .map(|r| r.job_log_id)
        .collect();
    assert_eq!(got, want);
}
