//! Saved Management Servers ("profiles"): the non-secret settings of each server in
//! `<config dir>/novabackup-mcp/servers.json`. Passwords live in the keychain
//! ([`crate::keychain`]), never here.
//!
//! The file is `{"version": 1, "servers": [{"server_id", "label", "base_url",
//! "username", "ca_certificate"}]}`. A file with only `server_id`, `label` and
//! `base_url` per server and no `version` (the Node.js server's presets file) is read
//! too. Fields this program does not know are kept when it rewrites the file.

mod atomic;
mod error;
mod location;
mod lock;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ServerId;
use crate::json_mistake;

pub(crate) use atomic::write_atomically;
pub use error::ProfilesError;
pub use location::{
    APP_FOLDER, HostEnvironment, Os, SERVERS_FILE_NAME, config_dir, default_credentials_file,
    default_servers_file,
};
pub use lock::{LOCK_WAIT, ProfilesLock};

/// The file format version this program writes.
pub const FORMAT_VERSION: u64 = 1;

/// One saved Management Server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerProfile {
    /// The id the user gave the server; also its keychain account.
    pub server_id: ServerId,
    /// A friendly name shown in lists (may be empty in hand-written files).
    #[serde(default)]
    pub label: String,
    /// The Management Server address, including its virtual directory.
    pub base_url: String,
    /// The Management Server user to log in as; absent in a presets-only file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// A PEM file with the certificate authority to trust for this server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate: Option<PathBuf>,
    /// The plaintext credentials file that keeps this server's password, when the user
    /// chose one over the keychain (a machine without one); absent: the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_file: Option<PathBuf>,
    /// Fields this program does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ServerProfile {
    /// A profile with the given id, label and address and nothing else.
    pub fn new(server_id: ServerId, label: impl Into<String>, base_url: impl Into<String>) -> Self {
        Self {
            server_id,
            label: label.into(),
            base_url: base_url.into(),
            username: None,
            ca_certificate: None,
            password_file: None,
            extra: Map::new(),
        }
    }

    /// The label, or the server id when the label is empty.
    pub fn display_name(&self) -> &str {
        if self.label.trim().is_empty() {
            self.server_id.as_str()
        } else {
            &self.label
        }
    }

    /// Whether any field (known or not) looks like it holds a password.
    fn holds_password(&self) -> bool {
        self.extra
            .keys()
            .any(|key| key.to_ascii_lowercase().contains("password"))
    }
}

/// The file as stored: the servers plus any top-level fields kept as they were.
#[derive(Serialize, Deserialize)]
struct FileShape {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<u64>,
    #[serde(default)]
    servers: Vec<ServerProfile>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// The saved servers, as loaded from one file; change them, then [`Profiles::save`].
#[derive(Clone, Debug, PartialEq)]
pub struct Profiles {
    path: PathBuf,
    servers: Vec<ServerProfile>,
    extra: Map<String, Value>,
}

impl Profiles {
    /// Reads the profiles file at `path`. A missing file is an empty list; a file that
    /// is not valid, lists an id twice or holds a password is an error that says where.
    pub fn load(path: impl Into<PathBuf>) -> Result<Self, ProfilesError> {
        let path = path.into();
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::empty(path)),
            Err(source) => return Err(ProfilesError::Read { path, source }),
        };
        Self::parse(path, &text)
    }

    /// An empty list that [`Profiles::save`] writes to `path`.
    pub fn empty(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            servers: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Reads profiles from `text`, reporting problems against `path`.
    pub fn parse(path: impl Into<PathBuf>, text: &str) -> Result<Self, ProfilesError> {
        let path = path.into();
        if text.trim().is_empty() {
            return Ok(Self::empty(path));
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let shape: FileShape = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|e| invalid(&path, text, &e))?;
        if let Some(version) = shape.version.filter(|v| *v > FORMAT_VERSION) {
            return Err(ProfilesError::UnsupportedVersion { path, version });
        }
        for (i, server) in shape.servers.iter().enumerate() {
            if server.holds_password() {
                return Err(ProfilesError::PasswordInFile {
                    path,
                    server_id: server.server_id.clone(),
                });
            }
            if shape.servers[..i]
                .iter()
                .any(|s| s.server_id == server.server_id)
            {
                return Err(ProfilesError::DuplicateId {
                    path,
                    server_id: server.server_id.clone(),
                });
            }
        }
        Ok(Self {
            path,
            servers: shape.servers,
            extra: shape.extra,
        })
    }

    /// Takes the exclusive lock on the profiles file at `path`, waiting up to
    /// [`LOCK_WAIT`] for another program to finish. Hold it from [`Profiles::load`] to
    /// [`Profiles::save`] so that concurrent changes are never lost; never across
    /// prompts or network calls.
    pub fn lock(path: &Path) -> Result<ProfilesLock, ProfilesError> {
        lock::acquire(path, LOCK_WAIT)
    }

    /// [`Profiles::lock`], waiting at most `wait`.
    pub fn lock_with_wait(path: &Path, wait: Duration) -> Result<ProfilesLock, ProfilesError> {
        lock::acquire(path, wait)
    }

    /// Loads the file under its lock, applies `change`, and saves if it returns
    /// `true`; returns the saved (or unchanged) profiles.
    pub fn update(
        path: impl Into<PathBuf>,
        change: impl FnOnce(&mut Profiles) -> bool,
    ) -> Result<Profiles, ProfilesError> {
        let path = path.into();
        let _lock = Self::lock(&path)?;
        let mut profiles = Self::load(path)?;
        if change(&mut profiles) {
            profiles.save()?;
        }
        Ok(profiles)
    }

    /// The file these profiles come from and are saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved servers, in file order.
    pub fn servers(&self) -> &[ServerProfile] {
        &self.servers
    }

    /// The server with this id, if saved.
    pub fn get(&self, server_id: &ServerId) -> Option<&ServerProfile> {
        self.servers.iter().find(|s| &s.server_id == server_id)
    }

    /// Adds `profile`, or replaces the saved server with the same id in place. Unknown
    /// fields of the replaced entry that `profile` does not set are kept. Returns
    /// whether a server was replaced.
    pub fn upsert(&mut self, mut profile: ServerProfile) -> bool {
        match self
            .servers
            .iter_mut()
            .find(|s| s.server_id == profile.server_id)
        {
            Some(existing) => {
                for (key, value) in std::mem::take(&mut existing.extra) {
                    profile.extra.entry(key).or_insert(value);
                }
                *existing = profile;
                true
            }
            None => {
                self.servers.push(profile);
                false
            }
        }
    }

    /// Removes the server with this id, returning it if it was saved.
    pub fn remove(&mut self, server_id: &ServerId) -> Option<ServerProfile> {
        let index = self
            .servers
            .iter()
            .position(|s| &s.server_id == server_id)?;
        Some(self.servers.remove(index))
    }

    /// Writes the file atomically (a temporary file in the same folder, flushed, then
    /// renamed; owner-only on Unix), as version 1 with every unknown field kept.
    /// Refuses to write an entry with a password field.
    pub fn save(&self) -> Result<(), ProfilesError> {
        if let Some(server) = self.servers.iter().find(|s| s.holds_password()) {
            return Err(ProfilesError::PasswordInFile {
                path: self.path.clone(),
                server_id: server.server_id.clone(),
            });
        }
        let shape = FileShape {
            version: Some(FORMAT_VERSION),
            servers: self.servers.clone(),
            extra: self.extra.clone(),
        };
        let mut bytes = serde_json::to_vec_pretty(&shape).map_err(|e| ProfilesError::Write {
            path: self.path.clone(),
            source: io::Error::other(e),
        })?;
        bytes.push(b'\n');
        atomic::write_atomically(&self.path, &bytes).map_err(|source| ProfilesError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

fn invalid(
    path: &Path,
    text: &str,
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> ProfilesError {
    let inner = error.inner();
    let (line, column) = json_mistake::place(text, inner);
    let (field, missing) = json_mistake::field_at_fault(error);
    let message = inner.to_string();
    let message = json_mistake::without_position(&message);
    let detail = if missing {
        format!("{field} is missing")
    } else if field.is_empty() {
        message.to_owned()
    } else {
        format!("{field}: {message}")
    };
    ProfilesError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        detail,
    }
}
