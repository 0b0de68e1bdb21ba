//! The saved servers as the command line sees them: the core's rule for where each
//! password is kept (`novabackup_core::saved`), and the keychain opened when needed.

use std::sync::OnceLock;

use novabackup_core::ServerId;
use novabackup_core::keychain::Keychain;
pub(super) use novabackup_core::saved::{PasswordSource, SavedServer};
use secrecy::SecretString;

use super::Accounts;

/// The saved servers, in profile order, then those only in `MCP_CREDENTIALS_FILE`'s
/// file. A credentials file that cannot be read stops the command with its error.
pub(super) fn saved_servers(accounts: &Accounts) -> anyhow::Result<Vec<SavedServer>> {
    let profiles = accounts.load_profiles()?;
    let saved = novabackup_core::saved::saved_servers(
        profiles.servers(),
        accounts.host.credentials_file.as_deref(),
    );
    if let Some(problem) = saved.problems.into_iter().next() {
        return Err(problem.into());
    }
    Ok(saved.servers)
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
