//! Fan-out across servers: simulators on loopback for the partial answer, plain
//! async operations for the concurrency bound, ordering and cancellation (the
//! fan-out is generic over what it runs, so no server is needed there).

mod client_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};

use ms_sim::{Sim, SimConfig};
use novabackup_core::fanout::{FanOutTarget, clamp_concurrency, fan_out};
use novabackup_core::{ApiError, ClientSettings, Deadline, ManagementClient, Query, ServerId};
use serde_json::json;

fn id(text: &str) -> ServerId {
    ServerId::new(text).unwrap()
}

#[tokio::test]
async fn one_dead_server_gives_a_partial_answer_with_its_error_and_the_others_rows() {
    let mut sims = Vec::new();
    for (seed, tenants) in [(1, 2), (2, 3), (3, 1), (4, 2)] {
        sims.push(
            Sim::start(SimConfig {
                seed,
                tenants,
                ..SimConfig::default()
            })
            .await
            .unwrap(),
        );
    }
    sims[2].faults().set_hang(true);
    let mut targets: Vec<FanOutTarget<ManagementClient>> = sims
        .iter()
        .enumerate()
        .map(|(i, sim)| {
            FanOutTarget::ready(
                id(&format!("ms-{i}")),
                client_common::admin_client(sim, &ClientSettings::default()),
            )
        })
        .collect();
    let last_tried = Utc.with_ymd_and_hms(2026, 4, 22, 6, 0, 0).unwrap();
    let refused = ApiError::InvalidCredentials {
        server: "https://cmc.example.com/managementserver".into(),
        detail: None,
    };
    targets.insert(
        1,
        FanOutTarget::failed(id("ms-refused"), refused, Some(last_tried)),
    );

    let deadline = Deadline::after(Duration::from_millis(1500));
    let started = Instant::now();
    let result = fan_out(
        targets,
        16,
        deadline,
        |_, client: ManagementClient| async move {
            client
                .list("Agents", &Query::new(), deadline)
                .await
                .map(|page| page.rows)
        },
    )
    .await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(2500),
        "the dead server cost only the deadline: {took:?}"
    );

    let order: Vec<&str> = result
        .outcomes
        .iter()
        .map(|o| o.server_id.as_str())
        .collect();
    assert_eq!(
        order,
        ["ms-0", "ms-refused", "ms-1", "ms-2", "ms-3"],
        "target order is kept"
    );
    for (index, sim) in [(0, &sims[0]), (2, &sims[1]), (4, &sims[3])] {
        let rows = result.outcomes[index]
            .result
            .as_ref()
            .expect("a live server answers");
        assert_eq!(rows.len(), sim.estate().agents.len());
    }
    assert_eq!(result.successes().count(), 3);

    let meta = &result.meta;
    assert_eq!(
        (
            meta.servers_queried,
            meta.servers_succeeded,
            meta.servers_failed
        ),
        (5, 3, 2)
    );
    assert!(meta.partial);
    let errors = serde_json::to_value(&meta.errors).unwrap();
    assert_eq!(errors[0]["server_id"], "ms-refused");
    assert_eq!(errors[0]["kind"], "invalid_credentials");
    assert_eq!(errors[0]["last_tried"], "2026-04-22T06:00:00Z");
    assert_eq!(errors[1]["server_id"], "ms-2");
    assert_eq!(errors[1]["kind"], "timeout");
    assert!(
        errors[1]["message"]
            .as_str()
            .unwrap()
            .contains("did not answer within"),
        "{errors}"
    );
    let keys: Vec<String> = serde_json::to_value(meta)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "servers_queried",
            "servers_succeeded",
            "servers_failed",
            "partial",
            "errors"
        ]
    );
}

#[tokio::test]
async fn all_servers_answering_is_not_partial() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let client = client_common::admin_client(&sim, &ClientSettings::default());
    let targets = vec![
        FanOutTarget::ready(id("a"), client.clone()),
        FanOutTarget::ready(id("b"), client),
    ];
    let deadline = Deadline::after(Duration::from_secs(10));
    let result = fan_out(
        targets,
        16,
        deadline,
        |_, client: ManagementClient| async move { client.count("Agents", None, deadline).await },
    )
    .await;
    assert_eq!(
        serde_json::to_value(&result.meta).unwrap(),
        json!({"servers_queried": 2, "servers_succeeded": 2, "servers_failed": 0, "partial": false, "errors": []})
    );
}

#[tokio::test]
async fn concurrency_is_bounded_and_results_keep_their_order() {
    for (requested, expected) in [(5, 5), (1, 1), (0, 1), (16, 16)] {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let targets: Vec<_> = (0..30)
            .map(|i| FanOutTarget::ready(id(&format!("s{i}")), i))
            .collect();
        let deadline = Deadline::after(Duration::from_secs(10));
        let result = fan_out(targets, requested, deadline, |_, i: u64| {
            let in_flight = in_flight.clone();
            let most = most.clone();
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Later targets finish sooner, so completion order is reversed.
                tokio::time::sleep(Duration::from_millis(40 - i)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok::<_, ApiError>(i * 10)
            }
        })
        .await;
        assert_eq!(
            most.load(Ordering::SeqCst),
            expected,
            "requested {requested}"
        );
        let values: Vec<u64> = result
            .outcomes
            .iter()
            .map(|o| *o.result.as_ref().unwrap())
            .collect();
        assert_eq!(values, (0..30).map(|i| i * 10).collect::<Vec<_>>());
    }
    assert_eq!(clamp_concurrency(500), 50);
}

/// Counts how many operations were dropped before they finished.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn cancelling_the_fan_out_cancels_every_operation() {
    let started = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let targets: Vec<_> = (0..8)
        .map(|i| FanOutTarget::ready(id(&format!("s{i}")), i))
        .collect();
    let deadline = Deadline::after(Duration::from_secs(30));
    let run = fan_out(targets, 16, deadline, |_, _: u32| {
        let (started, dropped, finished) = (started.clone(), dropped.clone(), finished.clone());
        async move {
            started.fetch_add(1, Ordering::SeqCst);
            let _guard = DropCounter(dropped);
            tokio::time::sleep(Duration::from_secs(30)).await;
            finished.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ApiError>(())
        }
    });
    assert!(
        tokio::time::timeout(Duration::from_millis(100), run)
            .await
            .is_err()
    );
    assert_eq!(started.load(Ordering::SeqCst), 8);
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        8,
        "every in-flight operation was dropped"
    );
    assert_eq!(finished.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_operation_that_outlives_the_deadline_is_a_timeout() {
    let targets = vec![
        FanOutTarget::ready(id("slow"), ()),
        FanOutTarget::ready(id("quick"), ()),
    ];
    let deadline = Deadline::after(Duration::from_millis(200));
    let result = fan_out(targets, 16, deadline, |server, _: ()| async move {
        if server.as_str() == "slow" {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Ok::<_, ApiError>(server.to_string())
    })
    .await;
    assert_eq!(
        result.outcomes[0].result.as_ref().unwrap_err().kind(),
        "timeout"
    );
    assert_eq!(result.outcomes[1].result.as_deref(), Ok("quick"));
    assert_eq!(result.meta.errors[0].server_id.as_str(), "slow");
}
