//! The one place the app reaches the keychain: the password of each saved server.
//!
//! Today it calls the core's keychain directly. On macOS a keychain item belongs to
//! the binary that created it, so the plan is for `novabackup-mcp` to own every item
//! and for this module to ask it (through its command line) instead; keeping all
//! keychain use here means only this file changes then.

use novabackup_core::ServerId;
use novabackup_core::keychain::{Keychain, KeychainError};
use secrecy::SecretString;

/// Where passwords are kept, and the words for it.
#[derive(Debug, Clone)]
pub struct Passwords {
    keychain: Result<Keychain, KeychainError>,
}

impl Passwords {
    /// The operating system's keychain. When there is none, every call fails with
    /// the reason and what to do, and the rest of the app keeps working.
    pub fn system() -> Self {
        let keychain = Keychain::system();
        if let Err(error) = &keychain {
            tracing::warn!(%error, "no keychain");
        }
        Self { keychain }
    }

    /// A keychain in memory, for tests.
    pub fn in_memory() -> Self {
        Self {
            keychain: Ok(Keychain::in_memory()),
        }
    }

    /// Saves (or replaces) the password of a server.
    pub async fn store(
        &self,
        server_id: &ServerId,
        password: SecretString,
    ) -> Result<(), KeychainError> {
        let keychain = self.keychain.clone()?;
        let server_id = server_id.clone();
        blocking(move || keychain.store(&server_id, &password)).await
    }

    /// The saved password of a server, if there is one.
    pub async fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        let keychain = self.keychain.clone()?;
        let server_id = server_id.clone();
        blocking(move || keychain.get(&server_id)).await
    }

    /// Deletes the password of a server; `false` when there was none.
    pub async fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        let keychain = self.keychain.clone()?;
        let server_id = server_id.clone();
        blocking(move || keychain.delete(&server_id)).await
    }

    /// The words for where passwords are kept on this system, as the UI says them.
    pub fn place_name() -> &'static str {
        if cfg!(target_os = "windows") {
            "Windows Credential Manager"
        } else if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else {
            "your system keyring"
        }
    }
}

/// Runs a keychain call (which blocks up to its timeout) off the async threads.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, KeychainError> + Send + 'static,
) -> Result<T, KeychainError> {
    tokio::task::spawn_blocking(call)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
