//! The saved servers with where each one's password is kept, the one rule the MCP
//! server and the command line both follow: a profile that names its own credentials
//! file (`login --store credentials-file`) reads its password from there; else an
//! entry of the file named by `MCP_CREDENTIALS_FILE` takes precedence; else the OS
//! keychain. Servers found only in that file are saved servers too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::ServerId;
use crate::credentials_file::{self, CredentialsFileError, PlaintextCredential};
use crate::profiles::ServerProfile;

/// Where one saved server's password is kept.
#[derive(Debug)]
pub enum PasswordSource {
    /// The OS keychain, under the server id.
    Keychain,
    /// A plaintext credentials file, read already.
    Plaintext {
        /// The file.
        file: PathBuf,
        /// The password from it.
        password: SecretString,
    },
    /// The profile names a credentials file that holds no entry for it (or cannot be read).
    Missing {
        /// The file the profile names.
        file: PathBuf,
    },
}

/// One saved server and where its password is.
#[derive(Debug)]
pub struct SavedServer {
    /// Its settings (built from the credentials file for a server only found there).
    pub profile: ServerProfile,
    /// Where its password is.
    pub password: PasswordSource,
}

/// The saved servers, and the credentials files that could not be read.
#[derive(Debug, Default)]
pub struct SavedServers {
    /// In profile order, then the servers only in the `MCP_CREDENTIALS_FILE` file.
    pub servers: Vec<SavedServer>,
    /// Each credentials file that could not be read, once.
    pub problems: Vec<CredentialsFileError>,
}

/// The saved servers of `profiles`, with `credentials_file` (the file named by
/// `MCP_CREDENTIALS_FILE`, when set) read for passwords and servers too.
pub fn saved_servers(profiles: &[ServerProfile], credentials_file: Option<&Path>) -> SavedServers {
    let mut files = Files::default();
    let mut shared: BTreeMap<ServerId, PlaintextCredential> = credentials_file
        .map(|path| {
            files
                .entries(path)
                .iter()
                .map(|entry| (entry.server_id.clone(), entry.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut servers: Vec<SavedServer> = profiles
        .iter()
        .map(|profile| {
            let password = match (&profile.password_file, credentials_file) {
                (Some(own), _) => match files.find(own, &profile.server_id) {
                    Some(entry) => PasswordSource::Plaintext {
                        file: own.clone(),
                        password: entry.password,
                    },
                    None => PasswordSource::Missing { file: own.clone() },
                },
                (None, Some(path)) => match shared.remove(&profile.server_id) {
                    Some(entry) => PasswordSource::Plaintext {
                        file: path.to_path_buf(),
                        password: entry.password,
                    },
                    None => PasswordSource::Keychain,
                },
                (None, None) => PasswordSource::Keychain,
            };
            shared.remove(&profile.server_id);
            SavedServer {
                profile: profile.clone(),
                password,
            }
        })
        .collect();
    if let Some(path) = credentials_file {
        servers.extend(shared.into_values().map(|entry| {
            let mut profile =
                ServerProfile::new(entry.server_id.clone(), entry.label, entry.base_url);
            profile.username = Some(entry.username);
            SavedServer {
                profile,
                password: PasswordSource::Plaintext {
                    file: path.to_path_buf(),
                    password: entry.password,
                },
            }
        }));
    }
    SavedServers {
        servers,
        problems: files.problems,
    }
}

/// Credentials files read at most once each.
#[derive(Default)]
struct Files {
    read: BTreeMap<PathBuf, Vec<PlaintextCredential>>,
    problems: Vec<CredentialsFileError>,
}

impl Files {
    fn entries(&mut self, path: &Path) -> &[PlaintextCredential] {
        if !self.read.contains_key(path) {
            let entries = credentials_file::read(path).unwrap_or_else(|error| {
                self.problems.push(error);
                Vec::new()
            });
            self.read.insert(path.to_path_buf(), entries);
        }
        &self.read[path]
    }

    fn find(&mut self, path: &Path, server_id: &ServerId) -> Option<PlaintextCredential> {
        self.entries(path)
            .iter()
            .find(|entry| &entry.server_id == server_id)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use secrecy::ExposeSecret;

    use super::*;

    fn profile(id: &str, password_file: Option<&Path>) -> ServerProfile {
        let mut profile =
            ServerProfile::new(ServerId::new(id).unwrap(), id, format!("https://{id}"));
        profile.username = Some("alice".to_owned());
        profile.password_file = password_file.map(Path::to_path_buf);
        profile
    }

    fn credentials(dir: &Path, name: &str, ids: &[(&str, &str)]) -> PathBuf {
        let path = dir.join(name);
        let servers: Vec<_> = ids
            .iter()
            .map(|(id, pw)| {
                serde_json::json!({"server_id": id, "label": id, "base_url": format!("https://{id}"), "username": "u", "password": pw})
            })
            .collect();
        fs::write(
            &path,
            serde_json::json!({"version": 1, "servers": servers}).to_string(),
        )
        .unwrap();
        path
    }

    fn describe(saved: &SavedServers) -> Vec<(String, String)> {
        saved
            .servers
            .iter()
            .map(|s| {
                let source = match &s.password {
                    PasswordSource::Keychain => "keychain".to_owned(),
                    PasswordSource::Plaintext { file, password } => format!(
                        "{}:{}",
                        file.file_name().unwrap().to_string_lossy(),
                        password.expose_secret()
                    ),
                    PasswordSource::Missing { file } => {
                        format!("missing:{}", file.file_name().unwrap().to_string_lossy())
                    }
                };
                (s.profile.server_id.to_string(), source)
            })
            .collect()
    }

    #[test]
    fn each_server_gets_its_password_from_the_one_place_the_rule_names() {
        let dir = tempfile::tempdir().unwrap();
        let own = credentials(dir.path(), "own.json", &[("a", "pw-own")]);
        let shared = credentials(
            dir.path(),
            "shared.json",
            &[("a", "pw-shared-a"), ("b", "pw-b"), ("c", "pw-c")],
        );
        let profiles = [
            profile("a", Some(&own)),
            profile("b", None),
            profile("d", None),
            profile("e", Some(&own)),
        ];
        let saved = saved_servers(&profiles, Some(&shared));
        let got = describe(&saved);
        let expected = [
            ("a", "own.json:pw-own"),
            ("b", "shared.json:pw-b"),
            ("d", "keychain"),
            ("e", "missing:own.json"),
            ("c", "shared.json:pw-c"),
        ];
        assert_eq!(
            got,
            expected.map(|(id, source)| (id.to_owned(), source.to_owned())),
            "a profile's own file first, then MCP_CREDENTIALS_FILE, then the keychain; servers only in the file last"
        );
        assert!(saved.problems.is_empty());
    }

    #[test]
    fn an_unreadable_file_is_reported_once_and_the_others_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("broken.json");
        fs::write(&broken, "{ not json").unwrap();
        let profiles = [
            profile("a", Some(&broken)),
            profile("b", Some(&broken)),
            profile("c", None),
        ];
        let saved = saved_servers(&profiles, None);
        assert_eq!(
            describe(&saved),
            [
                ("a", "missing:broken.json"),
                ("b", "missing:broken.json"),
                ("c", "keychain")
            ]
            .map(|(id, source)| (id.to_owned(), source.to_owned()))
        );
        assert_eq!(saved.problems.len(), 1, "{:?}", saved.problems);
    }
}
