//! The saved servers as the MCP server sees them: profiles with their passwords in the
//! keychain, plus, when `MCP_CREDENTIALS_FILE` is set (a headless machine), the entries
//! of that plaintext file, whose passwords then take precedence.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use novabackup_core::ServerId;
use novabackup_core::credentials_file;
use novabackup_core::keychain::Keychain;
use novabackup_core::profiles::ServerProfile;
use secrecy::SecretString;

use super::Accounts;

/// One saved server and where its password comes from.
pub(super) struct SavedServer {
    pub profile: ServerProfile,
    pub password: PasswordSource,
}

/// Where a saved server's password is kept.
pub(super) enum PasswordSource {
    /// The OS keychain, under the server id.
    Keychain,
    /// The plaintext file named by `MCP_CREDENTIALS_FILE`.
    Plaintext(SecretString),
}

/// The saved servers, in profile order, then those only in the plaintext file.
pub(super) fn saved_servers(accounts: &Accounts) -> anyhow::Result<Vec<SavedServer>> {
    let profiles = accounts.load_profiles()?;
    let mut plaintext = BTreeMap::new();
    if let Some(path) = &accounts.host.credentials_file {
        for entry in credentials_file::read(path)? {
            plaintext.insert(entry.server_id.clone(), entry);
        }
    }
    let mut servers: Vec<SavedServer> = profiles
        .servers()
        .iter()
        .map(|profile| SavedServer {
            password: match plaintext.remove(&profile.server_id) {
                Some(entry) => PasswordSource::Plaintext(entry.password),
                None => PasswordSource::Keychain,
            },
            profile: profile.clone(),
        })
        .collect();
    servers.extend(plaintext.into_values().map(|entry| {
        let mut profile = ServerProfile::new(entry.server_id, entry.label, entry.base_url);
        profile.username = Some(entry.username);
        SavedServer {
            profile,
            password: PasswordSource::Plaintext(entry.password),
        }
    }));
    Ok(servers)
}

/// The OS keychain, opened on first need and only once.
pub(super) struct LazyKeychain<'a> {
    accounts: &'a Accounts,
    opened: OnceLock<Result<Keychain, String>>,
}

impl<'a> LazyKeychain<'a> {
    pub fn new(accounts: &'a Accounts) -> Self {
        Self {
            accounts,
            opened: OnceLock::new(),
        }
    }

    /// The keychain, or the message saying why there is none.
    pub fn get(&self) -> Result<&Keychain, &str> {
        self.opened
            .get_or_init(|| self.accounts.keychain().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The password of `server_id` from the keychain: `Ok(None)` when it holds none.
    pub fn password(&self, server_id: &ServerId) -> Result<Option<SecretString>, String> {
        self.get()
            .map_err(str::to_owned)?
            .get(server_id)
            .map_err(|e| e.to_string())
    }
}
