//! Enrolling the saved servers at start-up: profiles from the servers file, each
//! password where the core's rule says (`novabackup_core::saved`): a plaintext file the
//! user chose, the file named by `MCP_CREDENTIALS_FILE`, else the OS keychain (looked
//! up in the background, so a locked or absent keychain never holds the handshake up
//! and only affects the servers that need it).

use std::sync::{Arc, OnceLock};

use novabackup_core::ClientSettings;
use novabackup_core::ServerId;
use novabackup_core::estate::{Enrolment, Estate, EstateSettings, Password};
use novabackup_core::keychain::{Keychain, KeychainError};
use novabackup_core::profiles::{HostEnvironment, Profiles, ServerProfile};
use novabackup_core::saved::{PasswordSource, SavedServer, saved_servers};

use crate::settings::Settings;

/// Builds the estate and enrols every saved server; logins start in the background.
/// Must run inside the Tokio runtime. Never waits for a server or the keychain.
pub fn enrol_saved_servers(settings: &Settings) -> Arc<Estate> {
    let estate = Estate::new(EstateSettings {
        client: ClientSettings {
            request_timeout: settings.request_timeout,
            connect_timeout: settings
                .request_timeout
                .min(ClientSettings::default().connect_timeout),
            ..ClientSettings::default()
        },
        ..EstateSettings::default()
    });
    let host = HostEnvironment::from_process();
    let profiles = match settings
        .servers_file
        .clone()
        .or_else(|| host.servers_file())
    {
        Some(path) => match Profiles::load(&path) {
            Ok(profiles) => profiles.servers().to_vec(),
            Err(error) => {
                tracing::error!("the saved servers could not be read: {error}");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let saved = saved_servers(&profiles, settings.credentials_file.as_deref());
    for problem in &saved.problems {
        tracing::warn!("a credentials file was not used: {problem}");
    }
    let keychain: Arc<OnceLock<Result<Keychain, KeychainError>>> = Arc::new(OnceLock::new());
    for server in saved.servers {
        estate.enrol(enrolment(server, &keychain));
    }
    tracing::info!(
        servers = estate.members().len(),
        "saved servers are logging in in the background"
    );
    estate
}

/// How one saved server is enrolled: its settings, and its password from where it is.
fn enrolment(
    server: SavedServer,
    keychain: &Arc<OnceLock<Result<Keychain, KeychainError>>>,
) -> Enrolment {
    let SavedServer { profile, password } = server;
    let (password, source) = match password {
        PasswordSource::Plaintext { password, .. } => {
            (Password::Given(password), "credentials_file")
        }
        PasswordSource::Missing { file } => {
            let message = format!(
                "No password for {id} is in {file}. Run `novabackup-mcp login --server-id {id} \
                 --store credentials-file` in a terminal, or call connect_server for this session.",
                id = profile.server_id,
                file = file.display()
            );
            (
                Password::Lookup(Box::new(move || Err(message))),
                "credentials_file",
            )
        }
        PasswordSource::Keychain => (
            from_keychain(profile.server_id.clone(), keychain.clone()),
            "keychain",
        ),
    };
    let ServerProfile {
        server_id,
        label,
        base_url,
        username,
        ca_certificate,
        ..
    } = profile;
    Enrolment {
        server_id,
        label,
        base_url,
        username,
        ca_certificate,
        password,
        source: source.to_owned(),
    }
}

/// The password of `server_id`, looked up in the keychain when the server logs in.
fn from_keychain(
    server_id: ServerId,
    keychain: Arc<OnceLock<Result<Keychain, KeychainError>>>,
) -> Password {
    Password::Lookup(Box::new(move || {
        let keychain = keychain
            .get_or_init(Keychain::system)
            .as_ref()
            .map_err(|error| keychain_message(&server_id, error))?;
        keychain
            .get(&server_id)
            .map_err(|error| keychain_message(&server_id, &error))
    }))
}

fn keychain_message(server_id: &ServerId, error: &KeychainError) -> String {
    format!(
        "The password of {server_id} could not be read from the OS keychain: {error} \
         On a machine without a keychain, run `novabackup-mcp login --server-id {server_id} \
         --store credentials-file` in a terminal (the password then sits in a plain file), \
         or call connect_server for this session."
    )
}
