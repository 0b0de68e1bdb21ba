//! Reading data through the client from the Management Server simulator on loopback:
//! server paging, counts, rejected queries, date normalisation, retries, time limits
//! and answers of the wrong shape.

mod client_common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveTime};

use client_common::{admin_client, deadline, start};
use ms_sim::SimConfig;
use novabackup_core::{ApiError, ClientSettings, Credentials, Deadline, ManagementClient, Query};
use secrecy::SecretString;

#[tokio::test]
async fn every_row_is_read_across_next_link_pages() {
    let sim = start(SimConfig {
        runs: 2500,
        page_size: Some(100),
        ..SimConfig::default()
    })
    .await;
    let client = admin_client(&sim, &ClientSettings::default());

    let first = client
        .list("JobHistories", &Query::new(), deadline())
        .await
        .unwrap();
    assert_eq!(first.rows.len(), 100, "the server pages by 100");
    assert!(first.more, "a nextLink means more rows");
    assert_eq!(first.next_skip, Some(100));

    sim.counters().reset();
    let all = client
        .list_all(
            "JobHistories",
            &Query::new().count(true),
            10_000,
            deadline(),
        )
        .await
        .unwrap();
    assert_eq!(all.rows.len(), 2500);
    assert_eq!(all.count, Some(2500));
    assert!(!all.more, "everything was read");
    let ids: HashSet<i64> = all
        .rows
        .iter()
        .map(|r| r["JobLogId"].as_i64().unwrap())
        .collect();
    let truth: HashSet<i64> = sim.estate().runs.iter().map(|r| r.job_log_id).collect();
    assert_eq!(ids, truth, "each run exactly once");
    assert_eq!(sim.counters().requests("/api/JobHistories"), 25);

    let capped = client
        .list_all("JobHistories", &Query::new(), 250, deadline())
        .await
        .unwrap();
    assert_eq!(capped.rows.len(), 250);
    assert!(capped.more, "rows were left behind");
    assert_eq!(capped.next_skip, Some(250));

    let count = client
        .count("JobHistories", Some("Status eq 4"), deadline())
        .await
        .unwrap();
    let failed = sim.estate().runs.iter().filter(|r| r.status == 4).count() as u64;
    assert_eq!(count, failed);
}

#[tokio::test]
async fn top_and_skip_pages_say_where_to_continue() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    let total = sim.estate().runs.len() as u64;

    let query = Query::new().top(50).skip(100).orderby("JobLogId");
    let page = client
        .list("JobHistories", &query, deadline())
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 50);
    assert!(page.more, "a full page of $top may have more behind it");
    assert_eq!(page.next_skip, Some(150));

    let last = Query::new().top(50).skip(total - 10).count(true);
    let page = client
        .list("JobHistories", &last, deadline())
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 10);
    assert_eq!(page.count, Some(total));
    assert!(!page.more);
}

#[tokio::test]
async fn a_top_above_the_servers_limit_is_query_rejected_with_its_message() {
    let sim = start(SimConfig {
        max_top: Some(1000),
        ..SimConfig::default()
    })
    .await;
    let client = admin_client(&sim, &ClientSettings::default());
    let error = client
        .list("JobHistories", &Query::new().top(5000), deadline())
        .await
        .unwrap_err();
    let ApiError::QueryRejected { message, .. } = &error else {
        panic!("expected QueryRejected, got {error:?}");
    };
    assert!(
        message.contains("The limit of '1000' for Top query has been exceeded"),
        "{message}"
    );
    assert_eq!(
        sim.counters().requests("/api/JobHistories"),
        1,
        "a 400 is not retried"
    );
}

#[tokio::test]
async fn a_bad_filter_comes_back_with_the_servers_message() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    let error = client
        .list(
            "Agents",
            &Query::new().filter("NoSuchField eq 1"),
            deadline(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "query_rejected", "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("NoSuchField"),
        "the server's own words: {text}"
    );
    assert!(text.contains(&sim.base_url()), "{text}");
}

#[tokio::test]
async fn quoted_and_zone_less_dates_are_accepted_after_normalisation() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    let runs = &sim.estate().runs;
    let middle = runs[runs.len() / 2].start_date_time;
    let day = middle.date_naive();
    let midnight = day.and_time(NaiveTime::MIN).and_utc();
    let expected = runs
        .iter()
        .filter(|r| r.start_date_time >= midnight)
        .count() as u64;
    assert!(expected > 0 && expected < runs.len() as u64);

    let raw = format!("StartDateTime ge '{day}'");
    let sent_raw = Query::new()
        .param("$filter", raw.clone())
        .count(true)
        .top(0);
    let error = client
        .list("JobHistories", &sent_raw, deadline())
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        "query_rejected",
        "the server refuses a quoted date: {error:?}"
    );

    let hour_before = (midnight - Days::hours(1)).format("%Y-%m-%dT%H:%M:%S");
    let forms = [
        raw,
        format!("StartDateTime ge {day}"),
        format!("StartDateTime ge '{day}T00:00:00'"),
        format!("StartDateTime ge {day}T00:00:00.000"),
        format!("StartDateTime ge {hour_before}-01:00"),
        format!("StartDateTime ge datetime'{day}T00:00:00'"),
    ];
    for filter in forms {
        let count = client
            .count("JobHistories", Some(&filter), deadline())
            .await;
        assert_eq!(count.as_ref().ok(), Some(&expected), "{filter}: {count:?}");
    }
    let plus = format!(
        "StartDateTime ge {}+02:00",
        (midnight + Days::hours(2)).format("%Y-%m-%dT%H:%M:%S")
    );
    let count = client
        .count("JobHistories", Some(&plus), deadline())
        .await
        .unwrap();
    assert_eq!(count, expected, "a + offset survives the URL: {plus}");
}

#[tokio::test]
async fn a_never_answering_server_times_out_within_the_limit() {
    let sim = start(SimConfig::default()).await;
    let settings = ClientSettings {
        request_timeout: Duration::from_secs(1),
        ..ClientSettings::default()
    };
    let client = admin_client(&sim, &settings);
    client.login(deadline()).await.unwrap();
    sim.faults().set_hang(true);

    let started = Instant::now();
    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
    assert!(
        error.to_string().ends_with("did not answer within 1 s."),
        "{error}"
    );
    assert!(
        took >= Duration::from_millis(950) && took < Duration::from_millis(1800),
        "{took:?}"
    );

    let started = Instant::now();
    let error = client
        .list(
            "Agents",
            &Query::new(),
            Deadline::after(Duration::from_millis(400)),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "timeout");
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "the deadline bounds the request"
    );
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_to_success() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    client.login(deadline()).await.unwrap();
    sim.faults().fail_next(2, 503);

    let started = Instant::now();
    let page = client
        .list("Agents", &Query::new(), deadline())
        .await
        .expect("the third try answers");
    assert_eq!(page.rows.len(), sim.estate().agents.len());
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After: 1 was honoured twice"
    );
    assert_eq!(sim.counters().requests("/api/Agents"), 3);

    sim.faults().fail_next(1, 503);
    let started = Instant::now();
    let error = client
        .list(
            "Agents",
            &Query::new(),
            Deadline::after(Duration::from_millis(800)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::ServerError { status: 503, .. }),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "no wait that cannot fit the deadline"
    );

    sim.faults().fail_next(3, 502);
    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::ServerError { status: 502, .. }),
        "gives up after 2 retries: {error:?}"
    );
    assert_eq!(sim.counters().requests("/api/Agents"), 3 + 1 + 3);
}

#[tokio::test]
async fn wrong_shapes_missing_entities_and_closed_ports_are_told_apart() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());

    let agent_id = sim.estate().agents[0].agent_id;
    let agent = client
        .get(&format!("Agents({agent_id})"), &Query::new(), deadline())
        .await
        .unwrap();
    assert_eq!(agent["AgentId"].as_i64(), Some(agent_id));
    let error = client
        .get("Agents(987654321)", &Query::new(), deadline())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "not_found", "{error:?}");

    sim.faults().set_malformed_json(true);
    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::UnexpectedResponse { .. }),
        "{error:?}"
    );
    sim.faults().set_malformed_json(false);

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let nobody = ManagementClient::new(
        &format!("http://127.0.0.1:{closed}/managementserver"),
        Credentials::new("x", SecretString::from("y".to_owned())),
        &ClientSettings::default(),
    )
    .unwrap();
    let error = nobody.login(deadline()).await.unwrap_err();
    let ApiError::Unreachable { detail, .. } = &error else {
        panic!("expected Unreachable, got {error:?}");
    };
    assert_eq!(detail, "connection refused");
    assert!(
        error
            .to_string()
            .contains("\"/managementserver\" at the end"),
        "{error}"
    );
}

#[tokio::test]
async fn dropping_a_call_closes_its_connection() {
    use tokio::io::AsyncReadExt;

    // A real socket that reads the request and never answers: it sees the client
    // hang up when the client's future is dropped.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = vec![0u8; 4096];
        let first = socket.read(&mut buffer).await.unwrap();
        let request = String::from_utf8_lossy(&buffer[..first]).into_owned();
        let started = Instant::now();
        while socket.read(&mut buffer).await.unwrap_or(0) > 0 {}
        (request, started.elapsed())
    });

    let client = ManagementClient::new(
        &format!("http://127.0.0.1:{port}/managementserver"),
        Credentials::new("x", SecretString::from("y".to_owned())),
        &ClientSettings::default(),
    )
    .unwrap();
    let query = Query::new();
    let call = client.list("Agents", &query, deadline());
    assert!(
        tokio::time::timeout(Duration::from_millis(300), call)
            .await
            .is_err(),
        "the call is still waiting when it is dropped"
    );
    let (request, closed_after) = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the connection closes soon after the drop")
        .unwrap();
    assert!(
        request.starts_with("POST /managementserver/api/Account/Authenticate"),
        "{request}"
    );
    assert!(closed_after < Duration::from_secs(1), "{closed_after:?}");
}
