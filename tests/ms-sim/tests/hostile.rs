//! Hostile answers switched on at run time: what each one sends, that logins and
//! errors stay honest, and that `clear` switches them off.

mod common;

use common::{get, rows, start_default, token};
use ms_sim::Hostile;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, LOCATION};

/// GETs `{base}/api/{path}` with the token (no redirects followed) and returns the
/// raw answer.
async fn raw(sim: &ms_sim::Sim, token: &str, path_and_query: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/api/{path_and_query}", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the request is answered")
}

#[tokio::test]
async fn a_huge_body_has_exactly_its_size_and_is_counted_as_sent() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let bytes = 3 * 1024 * 1024 + 17;
    for announced in [true, false] {
        sim.faults()
            .set_hostile(Some(Hostile::HugeBody { bytes, announced }));
        let before = sim.faults().hostile_bytes_sent();
        let response = raw(&sim, &t, "Agents").await;
        assert_eq!(response.status(), StatusCode::OK);
        let length = response.headers().get(CONTENT_LENGTH).cloned();
        if announced {
            assert_eq!(length.unwrap(), bytes.to_string().as_str());
        }
        let body = response.bytes().await.unwrap();
        assert_eq!(body.len() as u64, bytes, "announced: {announced}");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
        assert_eq!(rows(&json).len(), 1);
        assert_eq!(sim.faults().hostile_bytes_sent() - before, bytes);
    }
}

#[tokio::test]
async fn deep_nesting_and_invalid_utf8_bodies() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    sim.faults()
        .set_hostile(Some(Hostile::DeepNesting { depth: 10_000 }));
    let body = raw(&sim, &t, "Agents").await.bytes().await.unwrap();
    assert_eq!(body.len(), 20_000);
    assert!(body.starts_with(b"[[[[") && body.ends_with(b"]]]]"));

    sim.faults().set_hostile(Some(Hostile::InvalidUtf8));
    let body = raw(&sim, &t, "Agents").await.bytes().await.unwrap();
    let error = std::str::from_utf8(&body).expect_err("not UTF-8");
    assert!(body[error.valid_up_to()..].starts_with(b"\xff\xfe"));
}

#[tokio::test]
async fn next_links_point_at_themselves_go_round_or_lead_elsewhere() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let agents = format!("{}/api/Agents", sim.base_url());

    sim.faults().set_hostile(Some(Hostile::NextLinkToSelf));
    let (status, body) = get(&sim, &t, "Agents", &[("$top", "2")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&body).len(), 2, "the honest rows");
    assert_eq!(body["@odata.nextLink"], format!("{agents}?%24top=2"));

    sim.faults().set_hostile(Some(Hostile::NextLinkCycle));
    let link = |body: &serde_json::Value| body["@odata.nextLink"].as_str().unwrap().to_owned();
    let first = link(&get(&sim, &t, "Agents", &[]).await.1);
    assert_eq!(first, format!("{agents}?$skip=1"));
    let second = link(&common::get_url(&t, &first).await.1);
    assert_eq!(second, format!("{agents}?$skip=0"));
    let third = link(&common::get_url(&t, &second).await.1);
    assert_eq!(third, first, "round again");

    let elsewhere = "http://127.0.0.2:9/managementserver";
    sim.faults()
        .set_hostile(Some(Hostile::NextLinkElsewhere(elsewhere.into())));
    let (_, body) = get(&sim, &t, "Agents", &[("$top", "1")]).await;
    assert_eq!(
        body["@odata.nextLink"],
        format!("{elsewhere}/api/Agents?%24top=1")
    );
    let agent_id = sim.estate().agents[0].agent_id;
    let (_, body) = get(&sim, &t, &format!("Agents({agent_id})"), &[]).await;
    assert!(
        body.get("@odata.nextLink").is_none(),
        "an entity gets no link: {body}"
    );
}

#[tokio::test]
async fn a_redirect_leads_to_another_host() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    let elsewhere = "http://127.0.0.2:9/managementserver";
    sim.faults()
        .set_hostile(Some(Hostile::RedirectElsewhere(elsewhere.into())));
    let response = raw(&sim, &t, "Agents?$top=1").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()[LOCATION],
        format!("{elsewhere}/api/Agents?$top=1").as_str()
    );
}

#[tokio::test]
async fn logins_and_errors_stay_honest_and_clear_switches_it_off() {
    let sim = start_default().await;
    sim.faults()
        .set_hostile(Some(Hostile::DeepNesting { depth: 50 }));
    let t = token(&sim, "admin").await;
    assert!(t.split('.').count() == 3, "a JWT: {t}");
    let (status, body) = get(&sim, &t, "Agents", &[("$filter", "Nope eq 1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].is_string(), "{body}");
    let (status, _) = get(&sim, "not-a-token", "Agents", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    sim.faults().clear();
    let (status, body) = get(&sim, &t, "Agents", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&body).len(), sim.estate().agents.len());
}
