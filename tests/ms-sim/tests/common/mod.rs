//! Helpers shared by the simulator's integration tests: a real HTTP client
//! talking to a real simulator on loopback.
#![allow(dead_code)]

use ms_sim::{Sim, SimConfig};
use reqwest::StatusCode;
use serde_json::Value;

/// Starts a simulator with `config`.
pub async fn start(config: SimConfig) -> Sim {
    Sim::start(config).await.expect("the simulator starts")
}

/// Starts a simulator with the default estate.
pub async fn start_default() -> Sim {
    start(SimConfig::default()).await
}

/// Logs in as `user` (a demo user name) and returns the token.
pub async fn token(sim: &Sim, user: &str) -> String {
    let password = sim
        .user(user)
        .unwrap_or_else(|| panic!("no demo user {user}"))
        .password
        .clone();
    let response = reqwest::Client::new()
        .post(format!("{}/api/Account/Authenticate", sim.base_url()))
        .json(&serde_json::json!({"UserName": user, "Password": password}))
        .send()
        .await
        .expect("login request is answered");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "login as {user} succeeds"
    );
    response.text().await.expect("token body")
}

/// GETs `{base}/api/{path}` with the query pairs encoded as a correct client does
/// (`%2B` for `+`, `+` for a space).
pub async fn get(
    sim: &Sim,
    token: &str,
    path: &str,
    query: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut url = format!("{}/api/{path}", sim.base_url());
    if !query.is_empty() {
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        url = format!("{url}?{encoded}");
    }
    get_url(token, &url).await
}

/// GETs an absolute URL (a nextLink, or a hand-made query string).
pub async fn get_url(token: &str, url: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("request is answered");
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// The `value` array of a collection answer.
pub fn rows(body: &Value) -> &Vec<Value> {
    body["value"]
        .as_array()
        .unwrap_or_else(|| panic!("a collection answer, got {body}"))
}

/// One integer field of every row.
pub fn ints(body: &Value, field: &str) -> Vec<i64> {
    rows(body)
        .iter()
        .map(|r| {
            r[field]
                .as_i64()
                .unwrap_or_else(|| panic!("{field} in {r}"))
        })
        .collect()
}

/// The OData error message of a 400 answer.
pub fn error_message(body: &Value) -> String {
    body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an OData error body, got {body}"))
        .to_string()
}
