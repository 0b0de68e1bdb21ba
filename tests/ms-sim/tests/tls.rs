//! HTTPS with a CA generated at start: trusted with the CA's PEM, refused without.

mod common;

use ms_sim::{Sim, SimConfig};
use reqwest::StatusCode;

#[tokio::test]
async fn https_with_the_generated_ca() {
    let sim = Sim::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    assert!(sim.base_url().starts_with("https://127.0.0.1:"));
    let pem = sim.ca_certificate_pem().expect("a CA with tls");
    assert!(pem.contains("BEGIN CERTIFICATE"));
    let ca = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
    let trusting = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    let login = format!("{}/api/Account/Authenticate", sim.base_url());
    let body = serde_json::json!({"UserName": "admin", "Password": "demo-admin"});
    let response = trusting.post(&login).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token = response.text().await.unwrap();
    let localhost = sim.base_url().replace("127.0.0.1", "localhost");
    let response = trusting
        .get(format!("{localhost}/api/Agents"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "valid for localhost too");
    let error = reqwest::Client::new()
        .post(&login)
        .json(&body)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "untrusted CA refused: {error}");
}

#[tokio::test]
async fn plain_http_has_no_ca() {
    let sim = common::start_default().await;
    assert!(sim.ca_certificate_pem().is_none());
    assert!(sim.base_url().starts_with("http://127.0.0.1:"));
}
