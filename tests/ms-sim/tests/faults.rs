//! Faults switched at run time: latency, injected 500/503, a hanging server,
//! malformed JSON; and the request counters.

mod common;

use std::time::{Duration, Instant};

use common::{get, start, start_default, token};
use ms_sim::SimConfig;
use reqwest::StatusCode;

#[tokio::test]
async fn latency_with_jitter_delays_answers() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let latency = Duration::from_millis(600);
    sim.faults()
        .set_latency(latency, Duration::from_millis(100));
    let started = Instant::now();
    assert_eq!(get(&sim, &t, "Agents", &[]).await.0, StatusCode::OK);
    let took = started.elapsed();
    assert!(took >= latency, "{took:?}");
    sim.faults().set_latency(Duration::ZERO, Duration::ZERO);
    let started = Instant::now();
    get(&sim, &t, "Agents", &[]).await;
    let took = started.elapsed();
    assert!(took < latency, "latency switched off: {took:?}");
}

#[tokio::test]
async fn latency_from_the_config() {
    let sim = start(SimConfig {
        latency: Duration::from_millis(150),
        ..SimConfig::default()
    })
    .await;
    let started = Instant::now();
    token(&sim, "admin").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn fail_next_answers_exactly_n_requests_with_the_status() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults().fail_next(2, 503);
    let client = reqwest::Client::new();
    let url = format!("{}/api/Agents", sim.base_url());
    for _ in 0..2 {
        let response = client.get(&url).bearer_auth(&t).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()["retry-after"], "1");
    }
    let response = client.get(&url).bearer_auth(&t).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    sim.faults().fail_next(1, 500);
    assert_eq!(
        get(&sim, &t, "Agents", &[]).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(sim.counters().requests("/api/Agents"), 4);
}

#[tokio::test]
async fn error_share_fails_that_share_of_requests() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults().set_error_share(1.0);
    for _ in 0..5 {
        let status = get(&sim, &t, "Agents", &[]).await.0;
        assert!(
            status == StatusCode::INTERNAL_SERVER_ERROR
                || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
    }
    sim.faults().set_error_share(0.5);
    let mut failed = 0;
    for _ in 0..40 {
        if get(&sim, &t, "Agents", &[]).await.0 != StatusCode::OK {
            failed += 1;
        }
    }
    assert!((1..40).contains(&failed), "about half fail: {failed}/40");
    sim.faults().clear();
    assert_eq!(get(&sim, &t, "Agents", &[]).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_hanging_server_accepts_but_never_answers() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults().set_hang(true);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let url = format!("{}/api/Agents", sim.base_url());
    let error = client.get(&url).bearer_auth(&t).send().await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(
        sim.counters().requests("/api/Agents"),
        1,
        "the request was read"
    );
    sim.faults().set_hang(false);
    let response = client.get(&url).bearer_auth(&t).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn dropping_the_sim_closes_hung_connections_and_the_port() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults().set_hang(true);
    let url = format!("{}/api/Agents", sim.base_url());
    let pending = tokio::spawn(async move {
        reqwest::Client::new()
            .get(url)
            .bearer_auth(t)
            .timeout(Duration::from_secs(10))
            .send()
            .await
    });
    while sim.counters().total_requests() < 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let addr = sim.addr();
    let started = Instant::now();
    drop(sim);
    let result = pending.await.unwrap();
    assert!(result.is_err(), "the hung request ends with an error");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "port closed"
    );
}

#[tokio::test]
async fn malformed_json_is_a_truncated_200() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults().set_malformed_json(true);
    let response = reqwest::Client::new()
        .get(format!("{}/api/Agents", sim.base_url()))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.starts_with('{'));
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
    sim.faults().set_malformed_json(false);
    let (status, body) = get(&sim, &t, "Agents", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["value"].is_array());
}

#[tokio::test]
async fn counters_count_per_path_prefix_and_reset() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    get(&sim, &t, "JobHistories", &[("$top", "1")]).await;
    get(&sim, &t, "JobHistories(1000001)/Log", &[]).await;
    get(&sim, &t, "Agents", &[]).await;
    let c = sim.counters();
    assert_eq!(c.logins(), 1);
    assert_eq!(c.requests("/api/JobHistories"), 2);
    assert_eq!(c.requests("/managementserver/api/JobHistories"), 2);
    assert_eq!(c.requests("/api/Agents"), 1);
    assert_eq!(c.requests("/api/"), 4);
    assert_eq!(c.total_requests(), 4);
    c.reset();
    assert_eq!(
        (c.logins(), c.total_requests(), c.requests("/api/")),
        (0, 0, 0)
    );
}

#[tokio::test]
async fn dropped_connections_end_requests_without_an_answer() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/Agents", sim.base_url());
    // A kept-alive connection is cut too.
    let response = client.get(&url).bearer_auth(&t).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap();
    sim.faults().drop_next(1);
    let error = client.get(&url).bearer_auth(&t).send().await.unwrap_err();
    assert!(!error.is_timeout(), "closed, not timed out: {error}");
    let response = client.get(&url).bearer_auth(&t).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "only one dropped");
    sim.faults().set_drop_connections(true);
    for _ in 0..3 {
        assert!(client.get(&url).bearer_auth(&t).send().await.is_err());
    }
    sim.faults().set_drop_connections(false);
    assert_eq!(get(&sim, &t, "Agents", &[]).await.0, StatusCode::OK);
    assert_eq!(sim.counters().requests("/api/Agents"), 7);
}

#[tokio::test]
async fn malformed_json_leaves_errors_alone() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults().set_malformed_json(true);
    let (status, body) = get(&sim, &t, "Agents", &[("$filter", "Nope eq 1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].is_string(), "{body}");
}
