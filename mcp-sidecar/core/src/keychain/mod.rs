//! The one place the product touches the OS keychain: the password of each saved
//! server, under service `novabackup-mcp` and account = the server id.
//!
//! Keeping every keychain call here keeps one decision in one place: on macOS an item
//! belongs to the binary that created it, so `novabackup-mcp` owns them all, and
//! another program (the companion app) reaches them through it: see [`owner`].
//!
//! Each call runs on its own thread and is bounded by a timeout, because a Secret
//! Service that waits for an unlock prompt would otherwise block its caller forever.
//! The calls block the calling thread for at most that timeout: from async code, call
//! them inside `tokio::task::spawn_blocking`.

use std::fmt;
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};
use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};

use crate::ServerId;

pub mod owner;

/// The keychain service name every item of the product is saved under.
pub const SERVICE: &str = "novabackup-mcp";

/// How long one keychain call may take before it is given up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

#[cfg(target_os = "linux")]
const UNAVAILABLE_HINT: &str = "No keychain is available on this machine (the Secret Service is not running). \
     Start your desktop's keyring (gnome-keyring or KWallet), or set MCP_CREDENTIALS_FILE for a headless machine.";

#[cfg(not(target_os = "linux"))]
const UNAVAILABLE_HINT: &str = "No keychain is available on this machine. \
     Sign in to a desktop session with a keychain, or set MCP_CREDENTIALS_FILE for a headless machine.";

/// The kind of a keychain on the Secret Service (Linux), whose items take a label.
const SECRET_SERVICE: &str = "secret-service";

/// A keychain failure, each with what to do. Never carries a password. It crosses
/// from `novabackup-mcp` to the app as JSON (see [`owner`]), tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeychainError {
    /// There is no keychain to talk to (no session bus, no Secret Service).
    #[error("{UNAVAILABLE_HINT} ({detail})")]
    Unavailable {
        /// What the platform said, for the curious.
        detail: String,
    },
    /// The keychain is there but locked, or access was refused.
    #[error("Your keychain is locked: unlock it and try again. ({detail})")]
    Locked {
        /// What the platform said.
        detail: String,
    },
    /// The keychain did not answer in time (often an unlock prompt nobody answered).
    #[error(
        "The keychain did not answer within {} seconds. Unlock it (a prompt may be waiting on your desktop) and try again.",
        .seconds
    )]
    Timeout {
        /// The timeout that passed.
        seconds: u64,
    },
    /// The stored value is not a text password (written by something else).
    #[error(
        "The keychain item for \"{server_id}\" is not a text password. Run `novabackup-mcp login --server-id {server_id}` to store it again."
    )]
    NotText {
        /// The server whose item is unreadable.
        server_id: ServerId,
    },
    /// The program that owns the keychain items (`novabackup-mcp`) could not be run,
    /// or did not answer as expected.
    #[error(
        "Passwords are kept through the novabackup-mcp program, which did not work: {detail}. Reinstall the app to bring it back."
    )]
    Owner {
        /// What went wrong with the program.
        detail: String,
    },
    /// Any other refusal by the platform.
    #[error(
        "The keychain refused the request: {detail}. Check that it is running and unlocked, then try again."
    )]
    Failed {
        /// What the platform said.
        detail: String,
    },
}

/// Access to the passwords of saved servers in one credential store.
#[derive(Clone)]
pub struct Keychain {
    store: Arc<CredentialStore>,
    timeout: Duration,
    kind: &'static str,
}

impl fmt::Debug for Keychain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keychain")
            .field("kind", &self.kind)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Keychain {
    /// The operating system's keychain: the Secret Service on Linux, the login
    /// Keychain on macOS, the Credential Manager on Windows. Connecting is bounded by
    /// [`DEFAULT_TIMEOUT`]; fails with [`KeychainError::Unavailable`] when there is none.
    pub fn system() -> Result<Self, KeychainError> {
        Self::system_with_timeout(DEFAULT_TIMEOUT)
    }

    /// [`Keychain::system`] with another bound on each call.
    pub fn system_with_timeout(timeout: Duration) -> Result<Self, KeychainError> {
        let store = bounded(timeout, open_system_store)?.map_err(|e| match e {
            keyring_core::Error::NoStorageAccess(_) => KeychainError::Locked {
                detail: e.to_string(),
            },
            other => KeychainError::Unavailable {
                detail: other.to_string(),
            },
        })?;
        Ok(Self {
            store,
            timeout,
            kind: if cfg!(target_os = "linux") {
                SECRET_SERVICE
            } else {
                "system"
            },
        })
    }

    /// An empty keychain in memory: keyring-core's mock store, for tests and for
    /// machines where no Secret Service runs. Nothing is persisted.
    pub fn in_memory() -> Self {
        let store: Arc<CredentialStore> =
            keyring_core::mock::Store::new().expect("the in-memory store always starts");
        Self {
            store,
            timeout: DEFAULT_TIMEOUT,
            kind: "in-memory",
        }
    }

    /// Saves (or replaces) the password of `server_id`.
    pub fn store(
        &self,
        server_id: &ServerId,
        password: &SecretString,
    ) -> Result<(), KeychainError> {
        let entry = self.entry(server_id)?;
        let password = password.clone();
        self.run(move || entry.set_password(password.expose_secret()))?
            .map_err(|e| map_error(e, server_id))
    }

    /// The password of `server_id`, or `None` when the keychain has none.
    pub fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        let entry = self.entry(server_id)?;
        match self.run(move || entry.get_secret().map(into_password))? {
            Ok(Some(password)) => Ok(Some(password)),
            Ok(None) => Err(KeychainError::NotText {
                server_id: server_id.clone(),
            }),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e, server_id)),
        }
    }

    /// Deletes the password of `server_id`; `false` when there was none.
    pub fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        let entry = self.entry(server_id)?;
        match self.run(move || entry.delete_credential())? {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e, server_id)),
        }
    }

    /// The same keychain with another bound on each call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn entry(&self, server_id: &ServerId) -> Result<Entry, KeychainError> {
        let entry = if self.kind == SECRET_SERVICE {
            // The name people see in Seahorse or KWallet for a new item.
            let label = format!("NovaBACKUP MCP password for {server_id}");
            let modifiers = std::collections::HashMap::from([("label", label.as_str())]);
            Entry::new_in_store_with_modifiers(&self.store, SERVICE, server_id.as_str(), &modifiers)
        } else {
            Entry::new_in_store(&self.store, SERVICE, server_id.as_str())
        };
        entry.map_err(|e| map_error(e, server_id))
    }

    fn run<T: Send + 'static>(
        &self,
        call: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, KeychainError> {
        bounded(self.timeout, call)
    }
}

/// Where saved servers' passwords are kept, as saving and removing a server
/// ([`crate::saving`]) reaches it: the keychain itself ([`Keychain`], in the program
/// that owns its items) or the keychain through that program ([`owner::Owner`], in
/// the companion app).
pub trait PasswordStore {
    /// Saves (or replaces) the password of `server_id`.
    fn store(&self, server_id: &ServerId, password: &SecretString) -> Result<(), KeychainError>;
    /// The password of `server_id`, or `None` when there is none.
    fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError>;
    /// Deletes the password of `server_id`; `false` when there was none.
    fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError>;
}

impl PasswordStore for Keychain {
    fn store(&self, server_id: &ServerId, password: &SecretString) -> Result<(), KeychainError> {
        Keychain::store(self, server_id, password)
    }

    fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        Keychain::get(self, server_id)
    }

    fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        Keychain::delete(self, server_id)
    }
}

/// The OS keychain, opened on first need and only once: for a command that may not
/// need it (a server whose password is in a plain file), and that should say why
/// there is none only when it does.
#[derive(Debug, Default)]
pub struct SystemKeychain {
    opened: OnceLock<Result<Keychain, KeychainError>>,
}

impl SystemKeychain {
    /// Not opened yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The keychain, or why there is none.
    pub fn open(&self) -> Result<&Keychain, &KeychainError> {
        self.opened.get_or_init(Keychain::system).as_ref()
    }

    fn opened(&self) -> Result<&Keychain, KeychainError> {
        self.open().map_err(Clone::clone)
    }
}

impl PasswordStore for SystemKeychain {
    fn store(&self, server_id: &ServerId, password: &SecretString) -> Result<(), KeychainError> {
        self.opened()?.store(server_id, password)
    }

    fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        self.opened()?.get(server_id)
    }

    fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        self.opened()?.delete(server_id)
    }
}

/// The stored bytes as a text password, wiping the plain copy; `None` when not UTF-8.
fn into_password(mut bytes: Vec<u8>) -> Option<SecretString> {
    let password = std::str::from_utf8(&bytes).ok().map(SecretString::from);
    bytes.zeroize();
    password
}

/// Runs `call` on its own thread and waits at most `timeout` for it. A call that
/// overruns is left to finish (or hang) on its own; the caller gets a timeout error.
fn bounded<T: Send + 'static>(
    timeout: Duration,
    call: impl FnOnce() -> T + Send + 'static,
) -> Result<T, KeychainError> {
    let (sender, receiver) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            let _ = sender.send(call());
        })
        .map_err(|e| KeychainError::Failed {
            detail: format!("could not start a keychain call: {e}"),
        })?;
    receiver.recv_timeout(timeout).map_err(|e| match e {
        mpsc::RecvTimeoutError::Timeout => KeychainError::Timeout {
            seconds: timeout.as_secs().max(1),
        },
        mpsc::RecvTimeoutError::Disconnected => KeychainError::Failed {
            detail: "the keychain call stopped unexpectedly".into(),
        },
    })
}

/// Turns a keyring error into ours, keeping only its text (never the raw data some
/// variants carry).
fn map_error(error: keyring_core::Error, server_id: &ServerId) -> KeychainError {
    use keyring_core::Error as E;
    match error {
        E::NoStorageAccess(_) => KeychainError::Locked {
            detail: error.to_string(),
        },
        E::BadEncoding(_) | E::BadDataFormat(..) => KeychainError::NotText {
            server_id: server_id.clone(),
        },
        E::NoDefaultStore => KeychainError::Unavailable {
            detail: error.to_string(),
        },
        E::PlatformFailure(ref inner) if looks_like_missing_service(&inner.to_string()) => {
            KeychainError::Unavailable {
                detail: error.to_string(),
            }
        }
        other => KeychainError::Failed {
            detail: other.to_string(),
        },
    }
}

/// Whether a platform failure says that the service or its bus went away.
fn looks_like_missing_service(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [
        "serviceunknown",
        "no such file",
        "connection refused",
        "bus",
        "not provided by any",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

#[cfg(target_os = "linux")]
fn open_system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn open_system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn open_system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_system_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "this operating system has no supported keychain".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ServerId {
        ServerId::new(text).unwrap()
    }

    // The in-memory store is keyring-core's mock: these tests run where no Secret
    // Service does. The real one is exercised by tests/keychain_secret_service.rs.
    #[test]
    fn stores_reads_back_and_deletes() {
        let keychain = Keychain::in_memory();
        let acme = id("acme-eu");
        assert!(keychain.get(&acme).unwrap().is_none(), "empty at first");
        keychain
            .store(&acme, &SecretString::from("s3cret"))
            .unwrap();
        let read = keychain.get(&acme).unwrap().expect("stored");
        assert_eq!(read.expose_secret(), "s3cret");
        keychain.store(&acme, &SecretString::from("n3w")).unwrap();
        assert_eq!(keychain.get(&acme).unwrap().unwrap().expose_secret(), "n3w");
        assert!(keychain.delete(&acme).unwrap(), "there was one to delete");
        assert!(!keychain.delete(&acme).unwrap(), "nothing left to delete");
        assert!(keychain.get(&acme).unwrap().is_none());
    }

    #[test]
    fn servers_do_not_share_passwords() {
        let keychain = Keychain::in_memory();
        keychain.store(&id("a"), &SecretString::from("pa")).unwrap();
        assert!(keychain.get(&id("b")).unwrap().is_none());
    }

    #[test]
    fn locked_store_says_to_unlock() {
        let error = map_error(
            keyring_core::Error::NoStorageAccess("collection is locked".into()),
            &id("a"),
        );
        assert!(matches!(error, KeychainError::Locked { .. }));
        assert!(
            error.to_string().contains("unlock it and try again"),
            "{error}"
        );
    }

    #[test]
    fn undecodable_items_never_show_their_bytes() {
        let error = map_error(
            keyring_core::Error::BadEncoding(b"\xffhunter2".to_vec()),
            &id("a"),
        );
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("104"),
            "{shown}"
        );
    }

    #[test]
    fn a_password_that_is_not_text_is_reported_without_its_bytes() {
        assert!(into_password(b"\xffsecret".to_vec()).is_none());
        let keychain = Keychain::in_memory();
        let entry = keychain.entry(&id("bin")).unwrap();
        entry.set_secret(b"\xff\xfe").unwrap();
        let error = keychain.get(&id("bin")).unwrap_err();
        assert!(matches!(error, KeychainError::NotText { .. }), "{error:?}");
        assert!(
            error.to_string().contains("login --server-id bin"),
            "{error}"
        );
    }

    #[test]
    fn a_call_that_hangs_times_out() {
        let started = std::time::Instant::now();
        let outcome = bounded(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(5));
        });
        assert_eq!(outcome, Err(KeychainError::Timeout { seconds: 1 }));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
