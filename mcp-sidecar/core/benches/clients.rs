//! What each configured server costs in memory and time: builds one client per server
//! (all behind the same private CA, as an MSP's servers often are) and logs each in
//! over TLS to a simulated Management Server on loopback. Prints figures; asserts
//! nothing. Run with `cargo bench -p novabackup-core --bench clients`.

use std::time::{Duration, Instant};

use ms_sim::{Sim, SimConfig};
use novabackup_core::{ClientSettings, Credentials, Deadline, ManagementClient};
use secrecy::SecretString;

const SERVERS: usize = 100;

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let sim = Sim::start(SimConfig {
            tls: true,
            tenants: 1,
            agents_per_tenant: 1,
            runs: 1,
            ..SimConfig::default()
        })
        .await
        .expect("simulator");
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, sim.ca_certificate_pem().expect("CA")).expect("CA file");
        let settings = ClientSettings {
            ca_certificate: Some(ca),
            ..ClientSettings::default()
        };
        let admin = sim.admin().clone();
        let before = resident_kib();
        let started = Instant::now();
        let mut clients = Vec::with_capacity(SERVERS);
        for _ in 0..SERVERS {
            let credentials = Credentials::new(
                admin.user_name.clone(),
                SecretString::from(admin.password.clone()),
            );
            let client =
                ManagementClient::new(&sim.base_url(), credentials, &settings).expect("client");
            client
                .login(Deadline::after(Duration::from_secs(10)))
                .await
                .expect("login");
            clients.push(client);
        }
        let elapsed = started.elapsed();
        let after = resident_kib();
        println!(
            "{SERVERS} servers, each built and logged in over TLS: {:.1} ms in all ({:.2} ms each), resident memory +{} KiB ({:.1} KiB each)",
            elapsed.as_secs_f64() * 1000.0,
            elapsed.as_secs_f64() * 1000.0 / SERVERS as f64,
            after.saturating_sub(before),
            after.saturating_sub(before) as f64 / SERVERS as f64
        );
        drop(clients);
    });
}
