//! The one place the app reaches the keychain: the password of each saved server.
//!
//! The app never opens the keychain itself: it asks `novabackup-mcp` (the very program
//! Claude starts) to store, read and delete items, so that one binary owns them all and
//! macOS never asks the user to let a second program in. The password goes to it and
//! comes back through a pipe (see `novabackup_core::keychain::owner`).

use std::path::PathBuf;

use novabackup_core::ServerId;
use novabackup_core::keychain::owner::Owner;
use novabackup_core::keychain::{Keychain, KeychainError};
use secrecy::SecretString;

/// Where passwords are kept, and the words for it.
#[derive(Debug, Clone)]
pub struct Passwords {
    place: Place,
}

#[derive(Debug, Clone)]
enum Place {
    /// The OS keychain, through the program that owns its items.
    Owner(Owner),
    /// A keychain of the app's own (in memory, for tests).
    Here(Keychain),
}

impl Passwords {
    /// The operating system's keychain, reached through `novabackup-mcp` at
    /// `program`. When there is no keychain, every call fails with the reason and
    /// what to do, and the rest of the app keeps working.
    pub fn owned_by(program: impl Into<PathBuf>) -> Self {
        Self {
            place: Place::Owner(Owner::at(program)),
        }
    }

    /// A keychain in memory, for tests.
    pub fn in_memory() -> Self {
        Self {
            place: Place::Here(Keychain::in_memory()),
        }
    }

    /// Saves (or replaces) the password of a server.
    pub async fn store(
        &self,
        server_id: &ServerId,
        password: SecretString,
    ) -> Result<(), KeychainError> {
        let server_id = server_id.clone();
        self.blocking(move |place| match place {
            Place::Owner(owner) => owner.store(&server_id, &password),
            Place::Here(keychain) => keychain.store(&server_id, &password),
        })
        .await
    }

    /// The saved password of a server, if there is one.
    pub async fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        let server_id = server_id.clone();
        self.blocking(move |place| match place {
            Place::Owner(owner) => owner.get(&server_id),
            Place::Here(keychain) => keychain.get(&server_id),
        })
        .await
    }

    /// Deletes the password of a server; `false` when there was none.
    pub async fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        let server_id = server_id.clone();
        self.blocking(move |place| match place {
            Place::Owner(owner) => owner.delete(&server_id),
            Place::Here(keychain) => keychain.delete(&server_id),
        })
        .await
    }

    /// Runs a keychain call (which blocks up to its timeout) off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&Place) -> Result<T, KeychainError> + Send + 'static,
    ) -> Result<T, KeychainError> {
        let place = self.place.clone();
        tokio::task::spawn_blocking(move || call(&place))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }
}
