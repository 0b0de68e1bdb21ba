//! The client against a server that answers in bad faith (the simulator's hostile
//! answers): bodies of many megabytes, JSON nested a million levels deep, bytes that
//! are not UTF-8, nextLinks that go round or lead to another host, redirects. Each
//! ends in a named error, with bounded memory and time, and nothing is ever sent to
//! a host other than the configured server (second simulators on other loopback
//! addresses count what reaches them).

mod client_common;

use std::net::SocketAddr;

use client_common::{admin_client, deadline, start};
use ms_sim::{Hostile, Sim, SimConfig};
use novabackup_core::client::MAX_RESPONSE_BYTES;
use novabackup_core::{ApiError, ClientSettings, Query};

const MIB: u64 = 1024 * 1024;

/// The highest resident memory of this process so far, from `/proc/self/status`.
fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[tokio::test]
async fn a_body_of_many_megabytes_is_read_only_up_to_the_limit() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    client.login(deadline()).await.unwrap();
    let offered = 512 * MIB;
    sim.faults().set_hostile(Some(Hostile::HugeBody {
        bytes: offered,
        announced: false,
    }));

    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "response_too_large", "{error:?}");
    let text = error.to_string();
    assert!(text.contains(&sim.base_url()), "names the server: {text}");
    assert!(text.contains("larger than 64 MiB"), "{text}");
    assert!(text.contains("$top"), "says what to do: {text}");

    let sent = sim.faults().hostile_bytes_sent();
    assert!(
        sent < MAX_RESPONSE_BYTES as u64 + 32 * MIB,
        "the client stopped reading near the limit: {} MiB of {} MiB were sent",
        sent / MIB,
        offered / MIB
    );
    if let Some(peak) = peak_resident_bytes() {
        assert!(
            peak < 256 * MIB,
            "memory stays bounded: peak {} MiB while {} MiB were offered",
            peak / MIB,
            offered / MIB
        );
    }
    assert_eq!(
        sim.counters().requests("/api/Agents"),
        1,
        "a body too large is not asked for again"
    );
}

#[tokio::test]
async fn an_announced_huge_body_is_refused_before_it_is_read() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    client.login(deadline()).await.unwrap();
    sim.faults().set_hostile(Some(Hostile::HugeBody {
        bytes: 4096 * MIB,
        announced: true,
    }));

    let agent_id = sim.estate().agents[0].agent_id;
    let error = client
        .get(&format!("Agents({agent_id})"), &Query::new(), deadline())
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::ResponseTooLarge { limit_bytes, .. } if limit_bytes == MAX_RESPONSE_BYTES as u64),
        "{error:?}"
    );
    let sent = sim.faults().hostile_bytes_sent();
    assert!(
        sent < 16 * MIB,
        "nothing much is read: {sent} bytes were sent"
    );
}

#[tokio::test]
async fn json_nested_a_million_levels_deep_is_refused_by_name() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    sim.faults()
        .set_hostile(Some(Hostile::DeepNesting { depth: 1_000_000 }));

    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    match &error {
        ApiError::UnexpectedResponse { expected, .. } => {
            assert_eq!(expected, "JSON nested at most 128 levels deep", "{error}");
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
    // Nested, but within the limit: read (a bare array is a list of rows).
    sim.faults()
        .set_hostile(Some(Hostile::DeepNesting { depth: 100 }));
    let page = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1, "one row, 99 arrays deep");
}

#[tokio::test]
async fn bytes_that_are_not_utf8_are_refused_by_name() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    sim.faults().set_hostile(Some(Hostile::InvalidUtf8));

    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    let text = error.to_string();
    assert_eq!(error.kind(), "unexpected_response", "{error:?}");
    assert!(text.contains("expected UTF-8 text"), "{text}");
    assert!(text.contains("not UTF-8 at byte 42"), "{text}");

    sim.faults().clear();
    let page = client.list("Agents", &Query::new(), deadline()).await;
    assert!(page.is_ok(), "the client is fine afterwards: {page:?}");
}

#[tokio::test]
async fn a_next_link_back_to_a_page_already_read_is_refused() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());

    sim.faults().set_hostile(Some(Hostile::NextLinkToSelf));
    let error = client
        .list_all("Agents", &Query::new().top(2), 1000, deadline())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "bad_next_link", "{error:?}");
    assert!(
        error
            .to_string()
            .contains("leads back to a page already read"),
        "{error}"
    );
    assert_eq!(
        sim.counters().requests("/api/Agents"),
        1,
        "a link to the same page is not even followed once"
    );

    sim.counters().reset();
    sim.faults().set_hostile(Some(Hostile::NextLinkCycle));
    let error = client
        .list_all("Agents", &Query::new(), 1_000_000, deadline())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "bad_next_link", "{error:?}");
    assert_eq!(
        sim.counters().requests("/api/Agents"),
        3,
        "the first page, $skip=1, $skip=0, then the link back to $skip=1 is refused"
    );
}

/// Two more simulators, on another loopback address and on another port of the
/// same one: anything the client sends them is counted.
async fn bystanders() -> [Sim; 2] {
    let other_host = Sim::start_on(SocketAddr::from(([127, 0, 0, 2], 0)), SimConfig::default())
        .await
        .expect("a second simulator on 127.0.0.2");
    let other_port = start(SimConfig::default()).await;
    [other_host, other_port]
}

#[tokio::test]
async fn a_next_link_to_another_host_is_never_followed() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    let others = bystanders().await;

    for other in &others {
        sim.faults()
            .set_hostile(Some(Hostile::NextLinkElsewhere(other.base_url())));
        let error = client
            .list_all("Agents", &Query::new().top(3), 1000, deadline())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), "bad_next_link", "{error:?}");
        let text = error.to_string();
        assert!(text.contains(&other.base_url()), "shows the link: {text}");
        assert!(
            text.contains("the login token was not sent there"),
            "{text}"
        );
        // One page is fine on its own: the link is reported, not followed.
        let page = client
            .list("Agents", &Query::new().top(3), deadline())
            .await
            .unwrap();
        assert!(page.more && page.rows.len() == 3, "{page:?}");
    }
    for other in &others {
        assert_eq!(
            other.counters().total_requests(),
            0,
            "nothing reached {}",
            other.base_url()
        );
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_is_never_followed() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    client.login(deadline()).await.unwrap();
    let others = bystanders().await;

    for other in &others {
        sim.faults()
            .set_hostile(Some(Hostile::RedirectElsewhere(other.base_url())));
        let error = client
            .list("Agents", &Query::new(), deadline())
            .await
            .unwrap_err();
        match &error {
            ApiError::ServerError {
                status: 302,
                message,
                ..
            } => {
                assert!(message.contains(&other.base_url()), "{message}");
                assert!(message.contains("does not follow"), "{message}");
            }
            other => panic!("expected HTTP 302 as an error, got {other:?}"),
        }
    }
    for other in &others {
        assert_eq!(other.counters().total_requests(), 0, "{}", other.base_url());
    }
}
