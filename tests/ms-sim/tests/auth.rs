//! Login answers (200 token, 401 ProblemDetails, 400 on a malformed body), bearer
//! checks, expiry and revocation.

mod common;

use std::time::Duration;

use base64::Engine;
use common::{get, start, start_default, token};
use ms_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn login_raw(sim: &ms_sim::Sim, body: &str) -> (StatusCode, String, String) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/Account/Authenticate", sim.base_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

#[tokio::test]
async fn login_returns_a_jwt_with_expiry_user_and_scope() {
    let sim = start_default().await;
    let (status, content_type, token) =
        login_raw(&sim, r#"{"UserName":"tech-north","Password":"demo-north"}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/plain"));
    let payload = token.split('.').nth(1).expect("three segments");
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    let exp = claims["exp"].as_i64().expect("exp claim");
    let now = chrono::Utc::now().timestamp();
    assert!(
        (now + 3500..=now + 3601).contains(&exp),
        "one hour: {exp} vs {now}"
    );
    assert_eq!(claims["unique_name"], "tech-north");
    let tenants = sim.user("tech-north").unwrap().tenant_ids.clone();
    assert_eq!(claims["tenant_ids"], json!(tenants));
    assert_eq!(sim.counters().logins(), 1);
}

#[tokio::test]
async fn wrong_credentials_are_401_problem_details() {
    let sim = start_default().await;
    for body in [
        r#"{"UserName":"admin","Password":"wrong"}"#,
        r#"{"UserName":"nobody","Password":"demo-admin"}"#,
    ] {
        let (status, content_type, text) = login_raw(&sim, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(content_type.starts_with("application/problem+json"));
        let problem: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problem["status"], 401);
        assert!(problem["type"].is_string() && problem["title"].is_string());
        assert!(problem["detail"].as_str().unwrap().contains("incorrect"));
        assert!(!text.contains("demo-admin"), "no password echoed");
    }
    assert_eq!(sim.counters().logins(), 0);
    assert_eq!(sim.counters().requests("/api/Account/Authenticate"), 2);
}

#[tokio::test]
async fn malformed_login_bodies_are_400() {
    let sim = start_default().await;
    for body in [
        r#"{"UserName":"admin""#,
        r#"["admin"]"#,
        r#"{"UserName":"admin"}"#,
    ] {
        let (status, _, text) = login_raw(&sim, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let problem: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problem["status"], 400);
    }
}

#[tokio::test]
async fn missing_or_bad_tokens_are_401_with_a_bearer_challenge() {
    let sim = start_default().await;
    let url = format!("{}/api/Agents", sim.base_url());
    let client = reqwest::Client::new();
    for auth in [
        None,
        Some("Bearer not-a-jwt"),
        Some("Basic YWRtaW46ZGVtby1hZG1pbg=="),
    ] {
        let mut request = client.get(&url);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        let challenge = response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
        assert!(response.text().await.unwrap().is_empty());
    }
    // A token from another simulator is refused too.
    let other = start_default().await;
    let foreign = token(&other, "admin").await;
    let (status, _) = get(&sim, &foreign, "Agents", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let sim = start(SimConfig {
        token_lifetime: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .await;
    let t = token(&sim, "admin").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _) = get(&sim, &t, "Agents", &[]).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "expired after its lifetime"
    );
    sim.faults().set_token_lifetime(Duration::from_secs(600));
    let t = token(&sim, "admin").await;
    let (status, _) = get(&sim, &t, "Agents", &[]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn revoked_tokens_fail_until_the_next_login() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    assert_eq!(get(&sim, &t, "Agents", &[]).await.0, StatusCode::OK);
    sim.faults().revoke_tokens();
    assert_eq!(
        get(&sim, &t, "Agents", &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    let fresh = token(&sim, "admin").await;
    assert_eq!(get(&sim, &fresh, "Agents", &[]).await.0, StatusCode::OK);
    assert_eq!(sim.counters().logins(), 2);
}

#[tokio::test]
async fn demo_user_debug_leaves_the_password_out() {
    let sim = start_default().await;
    let shown = format!("{:?}", sim.admin());
    assert!(
        shown.contains("admin") && !shown.contains("demo-admin"),
        "{shown}"
    );
}
