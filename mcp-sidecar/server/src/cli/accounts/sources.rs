//! The saved servers as the command line sees them: the core's rule for where each
//! password is kept (`novabackup_core::saved`), and the keychain opened when needed
//! (`novabackup_core::keychain::SystemKeychain`).

use novabackup_core::ServerId;
use novabackup_core::keychain::{PasswordStore as _, SystemKeychain};
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

/// The password of `server_id` from the keychain, opened on first need: `Ok(None)`
/// when it holds none, else why it could not be read.
pub(super) fn keychain_password(
    keychain: &SystemKeychain,
    server_id: &ServerId,
) -> Result<Option<SecretString>, String> {
    keychain.get(server_id).map_err(|e| e.to_string())
}
