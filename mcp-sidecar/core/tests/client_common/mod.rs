//! What the client and fan-out tests share: a simulator and a client logged in as
//! its administrator.

#![allow(dead_code)]

use std::time::Duration;

use ms_sim::{Sim, SimConfig};
use novabackup_core::{ClientSettings, Credentials, Deadline, ManagementClient};
use secrecy::SecretString;

/// The time every ordinary test call may take.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Starts a simulator on loopback.
pub async fn start(config: SimConfig) -> Sim {
    Sim::start(config).await.expect("the simulator starts")
}

/// A client for `sim` with its administrator's credentials.
pub fn admin_client(sim: &Sim, settings: &ClientSettings) -> ManagementClient {
    let admin = sim.admin();
    let credentials = Credentials::new(
        admin.user_name.clone(),
        SecretString::from(admin.password.clone()),
    );
    ManagementClient::new(&sim.base_url(), credentials, settings).expect("a valid base URL")
}

/// A fresh deadline of [`DEADLINE`].
pub fn deadline() -> Deadline {
    Deadline::after(DEADLINE)
}
