//! `ms-sim`: runs one or more simulated Management Servers on loopback and prints
//! their addresses and the demo users, one fact per line.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use ms_sim::{CustomerHealth, Sim, SimConfig};

/// Simulated NovaBACKUP Management Servers for demos and manual testing.
#[derive(Debug, Parser)]
#[command(name = "ms-sim", version, about)]
struct Args {
    /// Address of the first server; the next ones use the following ports (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:47100")]
    listen: SocketAddr,
    /// Allow a non-loopback --listen address (the demo passwords are printed!).
    #[arg(long)]
    allow_remote: bool,
    /// Seed of the first server's estate; server i uses seed + i.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Tenants (customers) per server.
    #[arg(long, default_value_t = 5)]
    tenants: usize,
    /// Agents per tenant.
    #[arg(long, default_value_t = 8)]
    agents: usize,
    /// Job runs per server.
    #[arg(long, default_value_t = 3000)]
    runs: usize,
    /// How many days back the runs reach.
    #[arg(long, default_value_t = 60)]
    history_days: u32,
    /// How many of the newest failing runs' logs answer 503 (the agent holding them is offline).
    #[arg(long, default_value_t = 0)]
    unavailable_logs: usize,
    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Server-side page size (answers carry @odata.nextLink).
    #[arg(long)]
    page_size: Option<usize>,
    /// Highest $top accepted (ASP.NET MaxTop).
    #[arg(long)]
    max_top: Option<usize>,
    /// Number of independent servers.
    #[arg(long, default_value_t = 1)]
    servers: u16,
    /// Serve HTTPS with a generated CA (its PEM is written next to the output).
    #[arg(long)]
    tls: bool,
    /// Lifetime of login tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime_secs: u64,
    /// How every customer's backups are doing; by default each customer differently
    /// (mixed, all well, every agent failing).
    #[arg(long, value_enum)]
    customers: Option<Customers>,
}

/// `--customers`: every customer's backups the same.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Customers {
    /// Every run succeeded.
    AllWell,
    /// Every agent's runs failed.
    EveryAgentFailing,
    /// Most runs succeed, some fail or warn, some agents not backed up for days.
    Mixed,
}

impl Customers {
    fn health(self) -> CustomerHealth {
        match self {
            Customers::AllWell => CustomerHealth::AllWell,
            Customers::EveryAgentFailing => CustomerHealth::EveryAgentFailing,
            Customers::Mixed => CustomerHealth::Mixed,
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.listen.ip().is_loopback() && !args.allow_remote {
        bail!(
            "refusing to listen on {}: this demo prints its passwords; use a loopback address \
             or pass --allow-remote",
            args.listen
        );
    }
    let mut sims = vec![];
    for i in 0..args.servers.max(1) {
        let port = if args.listen.port() == 0 {
            0
        } else {
            args.listen
                .port()
                .checked_add(i)
                .context("the port range runs past 65535; choose a lower --listen port")?
        };
        let config = SimConfig {
            seed: args.seed + u64::from(i),
            tenants: args.tenants,
            agents_per_tenant: args.agents,
            runs: args.runs,
            history_days: args.history_days,
            unavailable_logs: args.unavailable_logs,
            latency: Duration::from_millis(args.latency_ms),
            page_size: args.page_size,
            max_top: args.max_top,
            token_lifetime: Duration::from_secs(args.token_lifetime_secs),
            tls: args.tls,
            customers: args.customers.map(Customers::health),
            ..SimConfig::default()
        };
        let addr = SocketAddr::new(args.listen.ip(), port);
        let sim = Sim::start_on(addr, config)
            .await
            .with_context(|| format!("could not start server demo-{}", i + 1))?;
        println!("server demo-{} {}", i + 1, sim.base_url());
        if let Some(pem) = sim.ca_certificate_pem() {
            let path = std::env::temp_dir().join(format!("ms-sim-demo-{}-ca.pem", i + 1));
            std::fs::write(&path, pem).with_context(|| {
                format!("could not write the CA certificate to {}", path.display())
            })?;
            println!("ca demo-{} {}", i + 1, path.display());
        }
        sims.push(sim);
    }
    if let Some(first) = sims.first() {
        for user in first.users() {
            let scope = if user.is_admin {
                "(all customers)".to_string()
            } else {
                let names: Vec<&str> = first
                    .estate()
                    .visible_tenants(user)
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect();
                format!("({})", names.join(", "))
            };
            println!("user {} {} {scope}", user.user_name, user.password);
        }
    }
    println!("ready");
    wait_for_stop().await?;
    for sim in sims {
        sim.shutdown().await;
    }
    Ok(())
}

async fn wait_for_stop() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("could not listen for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("could not listen for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("could not listen for Ctrl-C")?;
    Ok(())
}
