//! Enrolling the saved servers at start-up: profiles from the servers file, passwords
//! from the Node server's plaintext file when `MCP_CREDENTIALS_FILE` is set, else from
//! the OS keychain (looked up in the background, so a locked or absent keychain never
//! holds the handshake up and only affects the servers that need it).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use novabackup_core::ClientSettings;
use novabackup_core::ServerId;
use novabackup_core::credentials_file::{self, PlaintextCredential};
use novabackup_core::estate::{Enrolment, Estate, EstateSettings, Password};
use novabackup_core::keychain::{Keychain, KeychainError};
use novabackup_core::profiles::{HostEnvironment, Profiles, ServerProfile};

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
    let mut plaintext: BTreeMap<ServerId, PlaintextCredential> = BTreeMap::new();
    if let Some(path) = &settings.credentials_file {
        match credentials_file::read(path) {
            Ok(entries) => {
                for entry in entries {
                    plaintext.insert(entry.server_id.clone(), entry);
                }
            }
            Err(error) => tracing::warn!("the credentials file was not used: {error}"),
        }
    }
    let keychain: Arc<OnceLock<Result<Keychain, KeychainError>>> = Arc::new(OnceLock::new());
    for profile in profiles {
        let enrolment = match plaintext.remove(&profile.server_id) {
            Some(credential) => from_plaintext(Some(&profile), credential),
            None => from_keychain(profile, keychain.clone()),
        };
        estate.enrol(enrolment);
    }
    for credential in plaintext.into_values() {
        estate.enrol(from_plaintext(None, credential));
    }
    tracing::info!(
        servers = estate.members().len(),
        "saved servers are logging in in the background"
    );
    estate
}

fn from_plaintext(profile: Option<&ServerProfile>, credential: PlaintextCredential) -> Enrolment {
    Enrolment {
        server_id: credential.server_id,
        label: profile.map_or(credential.label, |p| p.label.clone()),
        base_url: profile.map_or(credential.base_url, |p| p.base_url.clone()),
        username: profile
            .and_then(|p| p.username.clone())
            .or(Some(credential.username)),
        ca_certificate: profile.and_then(|p| p.ca_certificate.clone()),
        password: Password::Given(credential.password),
        source: "credentials_file".to_owned(),
    }
}

fn from_keychain(
    profile: ServerProfile,
    keychain: Arc<OnceLock<Result<Keychain, KeychainError>>>,
) -> Enrolment {
    let server_id = profile.server_id.clone();
    Enrolment {
        server_id: profile.server_id,
        label: profile.label,
        base_url: profile.base_url,
        username: profile.username,
        ca_certificate: profile.ca_certificate,
        password: Password::Lookup(Box::new(move || {
            let keychain = keychain
                .get_or_init(Keychain::system)
                .as_ref()
                .map_err(|error| keychain_message(&server_id, error))?;
            keychain
                .get(&server_id)
                .map_err(|error| keychain_message(&server_id, &error))
        })),
        source: "keychain".to_owned(),
    }
}

fn keychain_message(server_id: &ServerId, error: &KeychainError) -> String {
    format!(
        "The password of {server_id} could not be read from the OS keychain: {error} \
         On a machine without a keychain, set MCP_CREDENTIALS_FILE to a credentials file, \
         or call connect_server for this session."
    )
}
