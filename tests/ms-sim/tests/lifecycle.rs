//! Starting, addressing and stopping simulators: many per test run, each
//! releasing its port when shut down or dropped.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{get, start_default, token};
use ms_sim::{Sim, SimConfig};
use reqwest::StatusCode;

fn send_sync<T: Send + Sync>() {}

#[test]
fn a_sim_can_be_shared_between_tasks() {
    send_sync::<Sim>();
    send_sync::<ms_sim::SimEstate>();
}

#[tokio::test]
async fn start_on_a_chosen_address_and_shutdown_frees_it() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = probe.local_addr().unwrap();
    drop(probe);
    let sim = Sim::start_on(addr, SimConfig::default()).await.unwrap();
    assert_eq!(sim.addr(), addr);
    assert_eq!(sim.base_url(), format!("http://{addr}/managementserver"));
    let t = token(&sim, "admin").await;
    assert_eq!(get(&sim, &t, "Agents", &[]).await.0, StatusCode::OK);
    sim.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    // The same address can be used again at once.
    let again = Sim::start_on(addr, SimConfig::default()).await.unwrap();
    assert_eq!(again.addr(), addr);
    let busy = Sim::start_on(addr, SimConfig::default()).await.unwrap_err();
    assert!(format!("{busy:#}").contains(&addr.to_string()), "{busy:#}");
}

#[tokio::test]
async fn many_simulators_start_and_stop_quickly() {
    let started = Instant::now();
    for _ in 0..20 {
        let sim = start_default().await;
        let t = token(&sim, "tech-north").await;
        assert_eq!(get(&sim, &t, "Groups", &[]).await.0, StatusCode::OK);
    }
    let took = started.elapsed();
    println!("20 simulators started, used and dropped in {took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let sim = start_default().await;
    let t = token(&sim, "admin").await;
    assert_eq!(get(&sim, &t, "Widgets", &[]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&sim, &t, "Agents/Devices", &[]).await.0,
        StatusCode::NOT_FOUND
    );
    let outside = format!("http://{}/api/Agents", sim.addr());
    assert_eq!(common::get_url(&t, &outside).await.0, StatusCode::NOT_FOUND);
    let response = reqwest::Client::new()
        .delete(format!("{}/api/Agents(1001)", sim.base_url()))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    // Entity set names are matched case-insensitively, as ASP.NET routes them.
    assert_eq!(get(&sim, &t, "agents", &[]).await.0, StatusCode::OK);
}
