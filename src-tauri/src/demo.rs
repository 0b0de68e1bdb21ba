//! "Try with demo data": a simulated Management Server with sample customers, run by
//! the app itself on loopback and saved as a server clearly labelled as demo.
//! It answers while the app runs (the app normally runs in the tray from login).
//!
//! The simulator comes with the `demo` feature (on by default); a build without it
//! carries no test code and says so when asked for the demo.

use secrecy::SecretString;

use crate::error::{CommandError, ErrorCode};
use crate::servers;
use crate::state::Companion;
use crate::views::{ServerInput, ServerView};

/// The loopback port the demo server prefers, so its saved address stays the same.
pub const DEMO_PORT: u16 = 47861;

/// The name the demo server is saved under.
pub const DEMO_LABEL: &str = "Demo Management Server (sample data)";

/// The demo server, started on first use.
#[derive(Default)]
pub struct Demo {
    #[cfg(feature = "demo")]
    sim: tokio::sync::Mutex<Option<ms_sim::Sim>>,
}

/// Where the running demo server answers, and its demo login.
struct Running {
    base_url: String,
    username: String,
    password: String,
}

impl Demo {
    #[cfg(not(feature = "demo"))]
    async fn ensure_running(&self) -> Result<Running, CommandError> {
        Err(CommandError::new(
            ErrorCode::Other,
            "This build of the app carries no demo server.".to_owned(),
        ))
    }

    #[cfg(feature = "demo")]
    async fn ensure_running(&self) -> Result<Running, CommandError> {
        use std::net::SocketAddr;

        use ms_sim::{Sim, SimConfig};

        let mut slot = self.sim.lock().await;
        if slot.is_none() {
            let preferred = SocketAddr::from(([127, 0, 0, 1], DEMO_PORT));
            let sim = match Sim::start_on(preferred, SimConfig::default()).await {
                Ok(sim) => sim,
                // Another program holds the port: any free one will do.
                Err(_) => Sim::start(SimConfig::default()).await.map_err(|e| {
                    CommandError::new(
                        ErrorCode::Other,
                        format!("The demo server could not start: {e:#}"),
                    )
                })?,
            };
            tracing::info!(url = %sim.base_url(), "demo server started");
            *slot = Some(sim);
        }
        let sim = slot.as_ref().expect("started above");
        let admin = sim.admin();
        Ok(Running {
            base_url: sim.base_url(),
            username: admin.user_name.clone(),
            password: admin.password.clone(),
        })
    }

    /// Starts the demo server and saves it (once) as a demo server.
    pub async fn add(&self, companion: &Companion) -> Result<ServerView, CommandError> {
        let running = self.ensure_running().await?;
        let existing = companion.settings_file().demo_servers.first().cloned();
        let input = ServerInput {
            server_id: existing.filter(|id| {
                companion
                    .profiles()
                    .is_ok_and(|p| p.servers().iter().any(|s| s.server_id.as_str() == id))
            }),
            label: DEMO_LABEL.to_owned(),
            base_url: running.base_url,
            username: running.username,
            password: Some(SecretString::from(running.password)),
            ca_certificate: None,
        };
        let view = servers::save(companion, input).await?;
        companion.update_settings_file(|file| {
            if !file.demo_servers.contains(&view.server_id) {
                file.demo_servers.push(view.server_id.clone());
            }
        })?;
        Ok(ServerView { demo: true, ..view })
    }

    /// At start: runs the demo server again if one is saved, fixing its address if the
    /// preferred port was taken.
    pub async fn resume(&self, companion: &Companion) -> Result<(), CommandError> {
        let saved = companion.settings_file().demo_servers;
        let profiles = companion.profiles()?;
        let Some(profile) = profiles
            .servers()
            .iter()
            .find(|p| saved.iter().any(|id| id == p.server_id.as_str()))
        else {
            return Ok(());
        };
        let running = self.ensure_running().await?;
        if running.base_url != profile.base_url {
            self.add(companion).await?;
        }
        Ok(())
    }

    /// Stops the demo server (when the app quits).
    pub async fn stop(&self) {
        #[cfg(feature = "demo")]
        if let Some(sim) = self.sim.lock().await.take() {
            sim.shutdown().await;
        }
    }
}
