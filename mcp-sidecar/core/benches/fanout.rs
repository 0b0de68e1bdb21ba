//! Fan-out and count timings against simulated Management Servers on loopback.
//! Prints figures; asserts nothing. Run with `cargo bench -p novabackup-core --bench fanout`.

use std::time::{Duration, Instant};

use ms_sim::{Sim, SimConfig};
use novabackup_core::fanout::{FanOutTarget, fan_out};
use novabackup_core::{ClientSettings, Credentials, Deadline, ManagementClient, Query, ServerId};
use secrecy::SecretString;

const SERVERS: usize = 20;
const LATENCY: Duration = Duration::from_millis(150);
const ROUNDS: usize = 7;

fn client_for(sim: &Sim) -> ManagementClient {
    let admin = sim.admin();
    let credentials = Credentials::new(
        admin.user_name.clone(),
        SecretString::from(admin.password.clone()),
    );
    ManagementClient::new(&sim.base_url(), credentials, &ClientSettings::default())
        .expect("a valid URL")
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:7.1} ms   median {:7.1} ms   max {:7.1} ms   ({} rounds)",
        ms(samples[0]),
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() - 1]),
        samples.len()
    )
}

async fn fan_out_rounds(clients: &[ManagementClient], concurrency: usize) -> Vec<Duration> {
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let targets: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(i, c)| FanOutTarget::ready(ServerId::new(format!("ms-{i}")).unwrap(), c.clone()))
            .collect();
        let deadline = Deadline::after(Duration::from_secs(30));
        let started = Instant::now();
        let result = fan_out(
            targets,
            concurrency,
            deadline,
            |_, client: ManagementClient| async move {
                client.list("Agents", &Query::new().top(50), deadline).await
            },
        )
        .await;
        samples.push(started.elapsed());
        assert_eq!(result.meta.servers_failed, 0, "{:?}", result.meta.errors);
    }
    samples
}

async fn bench_fan_out() {
    let mut sims = Vec::new();
    for seed in 0..SERVERS as u64 {
        let config = SimConfig {
            seed,
            latency: LATENCY,
            ..SimConfig::default()
        };
        sims.push(Sim::start(config).await.expect("the simulator starts"));
    }
    let clients: Vec<ManagementClient> = sims.iter().map(client_for).collect();
    println!(
        "fan-out over {SERVERS} servers, {} ms latency per answer:",
        LATENCY.as_millis()
    );

    // First contact: every server logs in, then answers.
    for concurrency in [5, 16] {
        let fresh: Vec<ManagementClient> = sims.iter().map(client_for).collect();
        let samples = fan_out_rounds(&fresh, concurrency).await;
        println!(
            "  concurrency {concurrency:2}, first round includes logins: {:7.1} ms",
            samples[0].as_secs_f64() * 1000.0
        );
    }
    for client in &clients {
        client
            .login(Deadline::after(Duration::from_secs(30)))
            .await
            .expect("login");
    }
    for concurrency in [5, 16] {
        let samples = fan_out_rounds(&clients, concurrency).await;
        println!(
            "  concurrency {concurrency:2}, logged in: {}",
            summary(samples)
        );
    }
}

async fn bench_count() {
    let runs = 50_000;
    let sim = Sim::start(SimConfig {
        runs,
        tenants: 10,
        agents_per_tenant: 20,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts");
    let client = client_for(&sim);
    let cutoff = sim.estate().runs[runs / 2]
        .start_date_time
        .format("%Y-%m-%d")
        .to_string();
    let filter = format!("Status eq 4 and StartDateTime ge '{cutoff}'");
    let deadline = || Deadline::after(Duration::from_secs(60));
    client.login(deadline()).await.expect("login");
    let mut samples = Vec::new();
    let mut count = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        count = client
            .count("JobHistories", Some(&filter), deadline())
            .await
            .expect("count");
        samples.push(started.elapsed());
    }
    println!("filtered $count over {runs} runs ({count} match `{filter}`):");
    println!("  {}", summary(samples));

    let mut samples = Vec::new();
    let mut rows = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let page = client
            .list_all(
                "JobHistories",
                &Query::new().filter(&filter),
                usize::MAX,
                deadline(),
            )
            .await
            .expect("rows");
        rows = page.rows.len();
        samples.push(started.elapsed());
    }
    println!("reading those {rows} rows instead:");
    println!("  {}", summary(samples));
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        bench_fan_out().await;
        bench_count().await;
    });
}
