//! Saving, editing and removing a saved server: one operation each, used by the
//! command line (`login`, `import`, `logout`) and the companion app alike.
//!
//! Each runs under the profiles lock from the load to the save, the password's
//! keeping included, so that a `login` in a terminal and a save in the app at the
//! same moment both land. The password goes where the caller says: the keychain
//! (through a [`PasswordStore`]: the keychain itself in `novabackup-mcp`, its owner
//! program in the app) or a plain file the user chose; the profile remembers which,
//! and a password that moves leaves no copy behind. Removal deletes the password from
//! where it is kept before it forgets the server, so a failure removes nothing.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::ServerId;
use crate::credentials_file::{self, CredentialsFileError, PlaintextCredential};
use crate::keychain::{KeychainError, PasswordStore};
use crate::profiles::{Profiles, ProfilesError, ServerProfile};

/// Which server a save is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveAs {
    /// This id: a new server, or the saved one with it replaced (`login`, `import`).
    Id(ServerId),
    /// A server saved already (an edit): refused when it is no longer saved.
    Edit(ServerId),
    /// A new server, its id made from its label, unique among the saved ones.
    NewFromLabel,
}

/// The CA certificate a saved server trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaCertificate {
    /// The one saved already (none for a new server).
    Saved,
    /// This file, or none.
    Set(Option<PathBuf>),
}

/// What happens to a server's password.
#[derive(Debug)]
pub enum NewPassword {
    /// The saved one stays where it is (an edit without a password typed).
    Unchanged,
    /// Into the keychain.
    Keychain(SecretString),
    /// Into this plain credentials file, which the user chose over the keychain.
    File {
        /// The file.
        path: PathBuf,
        /// The password.
        password: SecretString,
    },
}

/// The settings and password of a server to save.
#[derive(Debug)]
pub struct ServerDetails {
    /// Its friendly name.
    pub label: String,
    /// Its address.
    pub base_url: String,
    /// The user to log in as.
    pub username: String,
    /// The CA certificate it trusts.
    pub ca_certificate: CaCertificate,
    /// Its password.
    pub password: NewPassword,
}

/// Where a saved server's password is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordPlace {
    /// The keychain.
    Keychain,
    /// A plain credentials file.
    File(PathBuf),
}

impl PasswordPlace {
    /// Where `profile` says its password is kept.
    pub fn of(profile: &ServerProfile) -> Self {
        profile
            .password_file
            .clone()
            .map_or(Self::Keychain, Self::File)
    }
}

/// A server saved.
#[derive(Debug)]
pub struct Saved {
    /// The server as saved now.
    pub profile: ServerProfile,
    /// Whether it replaced a saved server with the same id.
    pub replaced: bool,
    /// The password moved out of a plain file, and the old copy there could not be
    /// removed: the file and why.
    pub copy_left: Option<(PathBuf, CredentialsFileError)>,
}

/// Why a server was not saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// An edit of a server that is no longer saved (removed meanwhile).
    #[error("the server \"{server_id}\" is no longer saved")]
    NotSaved {
        /// The server.
        server_id: ServerId,
    },
    /// A new server came without a password.
    #[error("a new server needs its password: nothing was saved")]
    PasswordNeeded {
        /// The server.
        server_id: ServerId,
    },
    /// The saved servers could not be read, or are being changed by another program
    /// for too long; nothing was saved.
    #[error(transparent)]
    Profiles(ProfilesError),
    /// The keychain did not keep the password; nothing was saved.
    #[error(transparent)]
    Keychain(KeychainError),
    /// The keychain gave back another password than the one stored; nothing was saved.
    #[error("the keychain did not give the password back as stored; nothing was saved")]
    NotReadBack,
    /// The plain credentials file did not keep the password; nothing was saved.
    #[error(transparent)]
    CredentialsFile(CredentialsFileError),
    /// The password is kept, but the server's settings could not be written.
    #[error("{source}")]
    SettingsNotWritten {
        /// The server.
        server_id: ServerId,
        /// Where its password is now.
        password: PasswordPlace,
        /// Why the settings were not written.
        source: ProfilesError,
    },
}

/// Saves a server (new or edited) in the profiles file `servers_file`, its password
/// through `keychain` or in its plain file, all under the profiles lock. Other
/// servers, and fields of this one the details do not name, are kept.
pub fn save(
    servers_file: &Path,
    save_as: SaveAs,
    details: ServerDetails,
    keychain: &dyn PasswordStore,
) -> Result<Saved, SaveError> {
    let lock = Profiles::lock(servers_file).map_err(SaveError::Profiles)?;
    let mut profiles = Profiles::load(servers_file).map_err(SaveError::Profiles)?;
    let server_id = match save_as {
        SaveAs::Id(id) => id,
        SaveAs::Edit(id) if profiles.get(&id).is_none() => {
            return Err(SaveError::NotSaved { server_id: id });
        }
        SaveAs::Edit(id) => id,
        SaveAs::NewFromLabel => {
            ServerId::from_text(&details.label, |id| profiles.get(id).is_some())
        }
    };
    let previous = profiles.get(&server_id).cloned();
    if previous.is_none() && matches!(details.password, NewPassword::Unchanged) {
        return Err(SaveError::PasswordNeeded { server_id });
    }
    let mut profile = previous
        .clone()
        .unwrap_or_else(|| ServerProfile::new(server_id.clone(), "", ""));
    profile.label = details.label.trim().to_owned();
    profile.base_url = details.base_url.trim().to_owned();
    profile.username = Some(details.username.trim().to_owned());
    if let CaCertificate::Set(ca_certificate) = details.ca_certificate {
        profile.ca_certificate = ca_certificate;
    }
    match details.password {
        NewPassword::Unchanged => {}
        NewPassword::Keychain(password) => {
            keep_in(keychain, &server_id, &password)?;
            profile.password_file = None;
        }
        NewPassword::File { path, password } => {
            let credential = PlaintextCredential {
                server_id: server_id.clone(),
                label: profile.label.clone(),
                base_url: profile.base_url.clone(),
                username: details.username.trim().to_owned(),
                password,
            };
            credentials_file::store(&path, &credential).map_err(SaveError::CredentialsFile)?;
            profile.password_file = Some(path);
        }
    }
    let replaced = profiles.upsert(profile.clone());
    profiles
        .save()
        .map_err(|source| SaveError::SettingsNotWritten {
            server_id: server_id.clone(),
            password: PasswordPlace::of(&profile),
            source,
        })?;
    drop(lock);

    let old_file = previous.and_then(|p| p.password_file);
    let copy_left = old_file
        .filter(|old| profile.password_file.as_ref() != Some(old))
        .and_then(|old| match credentials_file::forget(&old, &server_id) {
            Ok(_) => None,
            Err(error) => Some((old, error)),
        });
    Ok(Saved {
        profile,
        replaced,
        copy_left,
    })
}

/// Stores the password in the keychain and reads it back: a keychain that does not
/// give it back as stored keeps nothing saved.
fn keep_in(
    keychain: &dyn PasswordStore,
    server_id: &ServerId,
    password: &SecretString,
) -> Result<(), SaveError> {
    keychain
        .store(server_id, password)
        .map_err(SaveError::Keychain)?;
    let read_back = keychain.get(server_id).map_err(SaveError::Keychain)?;
    if read_back.as_ref().map(ExposeSecret::expose_secret) != Some(password.expose_secret()) {
        return Err(SaveError::NotReadBack);
    }
    Ok(())
}

/// A server removed (or only its password left behind).
#[derive(Debug)]
pub struct Removed {
    /// The server as it was saved; `None` when it was not.
    pub profile: Option<ServerProfile>,
    /// Where its password was kept.
    pub password: PasswordPlace,
    /// Whether a password was there to delete.
    pub password_deleted: bool,
}

/// Why a server was not removed; nothing was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoveError {
    /// The saved servers could not be read or written.
    #[error(transparent)]
    Profiles(ProfilesError),
    /// The keychain could not delete the password.
    #[error(transparent)]
    Keychain(KeychainError),
    /// The plain credentials file could not be changed.
    #[error(transparent)]
    CredentialsFile(CredentialsFileError),
}

/// Removes the server `server_id` from the profiles file `servers_file` and deletes
/// its password from where it is kept (the keychain through `keychain`, or its plain
/// file), under the profiles lock. The password goes first: when it cannot be deleted
/// the server stays saved. A password left in the keychain by a server no longer
/// saved is deleted too.
pub fn remove(
    servers_file: &Path,
    server_id: &ServerId,
    keychain: &dyn PasswordStore,
) -> Result<Removed, RemoveError> {
    let _lock = Profiles::lock(servers_file).map_err(RemoveError::Profiles)?;
    let mut profiles = Profiles::load(servers_file).map_err(RemoveError::Profiles)?;
    let password = profiles
        .get(server_id)
        .map_or(PasswordPlace::Keychain, PasswordPlace::of);
    let password_deleted = match &password {
        PasswordPlace::Keychain => keychain.delete(server_id).map_err(RemoveError::Keychain)?,
        PasswordPlace::File(file) => {
            credentials_file::forget(file, server_id).map_err(RemoveError::CredentialsFile)?
        }
    };
    let profile = profiles.remove(server_id);
    if profile.is_some() {
        profiles.save().map_err(RemoveError::Profiles)?;
    }
    Ok(Removed {
        profile,
        password,
        password_deleted,
    })
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::sync::Mutex;

    use super::*;
    use crate::keychain::Keychain;

    fn id(text: &str) -> ServerId {
        ServerId::new(text).unwrap()
    }

    fn details(label: &str, password: NewPassword) -> ServerDetails {
        ServerDetails {
            label: label.to_owned(),
            base_url: " https://ms.example.com/managementserver ".to_owned(),
            username: " tech ".to_owned(),
            ca_certificate: CaCertificate::Saved,
            password,
        }
    }

    fn in_keychain(password: &str) -> NewPassword {
        NewPassword::Keychain(SecretString::from(password))
    }

    fn password(keychain: &Keychain, server: &str) -> Option<String> {
        keychain
            .get(&id(server))
            .unwrap()
            .map(|p| p.expose_secret().to_owned())
    }

    #[test]
    fn a_new_server_gets_an_id_from_its_label_and_its_password_in_the_keychain() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let keychain = Keychain::in_memory();
        let first = save(
            &file,
            SaveAs::NewFromLabel,
            details("Acme MS", in_keychain("pw-1")),
            &keychain,
        )
        .unwrap();
        let second = save(
            &file,
            SaveAs::NewFromLabel,
            details("Acme MS", in_keychain("pw-2")),
            &keychain,
        )
        .unwrap();
        assert_eq!(first.profile.server_id.as_str(), "acme-ms");
        assert_eq!(second.profile.server_id.as_str(), "acme-ms-2");
        assert!(!first.replaced && !second.replaced);
        assert_eq!(
            first.profile.base_url,
            "https://ms.example.com/managementserver"
        );
        assert_eq!(first.profile.username.as_deref(), Some("tech"));
        assert_eq!(password(&keychain, "acme-ms").as_deref(), Some("pw-1"));
        assert_eq!(password(&keychain, "acme-ms-2").as_deref(), Some("pw-2"));
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("pw-1"),
            "no password in the profiles: {text}"
        );
    }

    #[test]
    fn a_label_longer_than_an_id_may_be_still_saves() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let keychain = Keychain::in_memory();
        let label = "Acme ".repeat(60) + &"x".repeat(200);
        for _ in 0..2 {
            let saved = save(
                &file,
                SaveAs::NewFromLabel,
                details(&label, in_keychain("pw")),
                &keychain,
            )
            .expect("a long label saves");
            assert!(saved.profile.server_id.as_str().len() <= ServerId::MAX_LEN);
            assert_eq!(saved.profile.label, label.trim());
        }
        let profiles = Profiles::load(&file).unwrap();
        assert_eq!(profiles.servers().len(), 2, "two servers, two ids");
    }

    #[test]
    fn an_edit_keeps_the_password_the_certificate_and_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let ca = dir.path().join("ca.pem");
        let keychain = Keychain::in_memory();
        let mut first = details("Acme", in_keychain("pw"));
        first.ca_certificate = CaCertificate::Set(Some(ca.clone()));
        save(&file, SaveAs::Id(id("acme")), first, &keychain).unwrap();
        let mut text: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        text["servers"][0]["note"] = "kept".into();
        fs::write(&file, text.to_string()).unwrap();

        let edited = save(
            &file,
            SaveAs::Edit(id("acme")),
            details("Acme (main)", NewPassword::Unchanged),
            &keychain,
        )
        .unwrap();
        assert!(edited.replaced);
        assert_eq!(edited.profile.label, "Acme (main)");
        assert_eq!(edited.profile.ca_certificate.as_deref(), Some(ca.as_path()));
        assert_eq!(edited.profile.extra["note"], "kept");
        assert_eq!(password(&keychain, "acme").as_deref(), Some("pw"));

        let cleared = save(
            &file,
            SaveAs::Edit(id("acme")),
            ServerDetails {
                ca_certificate: CaCertificate::Set(None),
                ..details("Acme", NewPassword::Unchanged)
            },
            &keychain,
        )
        .unwrap();
        assert_eq!(
            cleared.profile.ca_certificate, None,
            "a CA can be taken away"
        );
    }

    #[test]
    fn an_edit_of_a_server_removed_meanwhile_and_a_new_one_without_password_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let keychain = Keychain::in_memory();
        let error = save(
            &file,
            SaveAs::Edit(id("gone")),
            details("Gone", in_keychain("pw")),
            &keychain,
        )
        .unwrap_err();
        assert!(matches!(error, SaveError::NotSaved { .. }), "{error}");
        let error = save(
            &file,
            SaveAs::NewFromLabel,
            details("New", NewPassword::Unchanged),
            &keychain,
        )
        .unwrap_err();
        assert!(matches!(error, SaveError::PasswordNeeded { .. }), "{error}");
        assert!(password(&keychain, "gone").is_none(), "nothing kept");
        assert!(!file.exists(), "nothing saved");
    }

    /// A keychain that refuses everything (the in-memory one cannot be made to).
    struct Refusing;

    impl PasswordStore for Refusing {
        fn store(&self, _: &ServerId, _: &SecretString) -> Result<(), KeychainError> {
            Err(KeychainError::Locked {
                detail: "locked".into(),
            })
        }
        fn get(&self, _: &ServerId) -> Result<Option<SecretString>, KeychainError> {
            Ok(None)
        }
        fn delete(&self, _: &ServerId) -> Result<bool, KeychainError> {
            Err(KeychainError::Locked {
                detail: "locked".into(),
            })
        }
    }

    /// A keychain that keeps something else than it was given.
    struct Garbling(Mutex<Vec<ServerId>>);

    impl PasswordStore for Garbling {
        fn store(&self, server_id: &ServerId, _: &SecretString) -> Result<(), KeychainError> {
            self.0.lock().unwrap().push(server_id.clone());
            Ok(())
        }
        fn get(&self, _: &ServerId) -> Result<Option<SecretString>, KeychainError> {
            Ok(Some(SecretString::from("something else")))
        }
        fn delete(&self, _: &ServerId) -> Result<bool, KeychainError> {
            Ok(false)
        }
    }

    #[test]
    fn a_keychain_that_does_not_keep_the_password_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let error = save(
            &file,
            SaveAs::Id(id("acme")),
            details("Acme", in_keychain("pw")),
            &Refusing,
        )
        .unwrap_err();
        assert!(matches!(error, SaveError::Keychain(_)), "{error}");
        let garbling = Garbling(Mutex::default());
        let error = save(
            &file,
            SaveAs::Id(id("acme")),
            details("Acme", in_keychain("pw")),
            &garbling,
        )
        .unwrap_err();
        assert!(matches!(error, SaveError::NotReadBack), "{error}");
        assert!(!file.exists(), "nothing saved");
    }

    #[test]
    fn a_password_moved_between_file_and_keychain_leaves_no_copy_behind() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let plain = dir.path().join("credentials.json");
        let keychain = Keychain::in_memory();
        let to_file = || NewPassword::File {
            path: plain.clone(),
            password: SecretString::from("pw-file"),
        };
        let saved = save(
            &file,
            SaveAs::Id(id("acme")),
            details("Acme", to_file()),
            &keychain,
        )
        .unwrap();
        assert_eq!(
            saved.profile.password_file.as_deref(),
            Some(plain.as_path())
        );
        assert_eq!(credentials_file::read(&plain).unwrap().len(), 1);
        assert!(password(&keychain, "acme").is_none(), "not in the keychain");

        let moved = save(
            &file,
            SaveAs::Id(id("acme")),
            details("Acme", in_keychain("pw-key")),
            &keychain,
        )
        .unwrap();
        assert_eq!(moved.profile.password_file, None);
        assert!(moved.copy_left.is_none());
        assert!(
            credentials_file::read(&plain).unwrap().is_empty(),
            "old copy gone"
        );
        assert_eq!(password(&keychain, "acme").as_deref(), Some("pw-key"));
    }

    #[test]
    fn removal_deletes_the_password_where_it_is_kept_and_a_failure_removes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let plain = dir.path().join("credentials.json");
        let keychain = Keychain::in_memory();
        save(
            &file,
            SaveAs::Id(id("a")),
            details("A", in_keychain("pa")),
            &keychain,
        )
        .unwrap();
        let in_file = NewPassword::File {
            path: plain.clone(),
            password: SecretString::from("pb"),
        };
        save(&file, SaveAs::Id(id("b")), details("B", in_file), &keychain).unwrap();

        let error = remove(&file, &id("a"), &Refusing).unwrap_err();
        assert!(matches!(error, RemoveError::Keychain(_)), "{error}");
        assert_eq!(
            Profiles::load(&file).unwrap().servers().len(),
            2,
            "still saved"
        );

        let removed = remove(&file, &id("a"), &keychain).unwrap();
        assert!(removed.profile.is_some() && removed.password_deleted);
        assert_eq!(removed.password, PasswordPlace::Keychain);
        assert!(password(&keychain, "a").is_none());

        let removed = remove(&file, &id("b"), &Refusing).unwrap();
        assert_eq!(removed.password, PasswordPlace::File(plain.clone()));
        assert!(
            removed.password_deleted,
            "the keychain is not needed for it"
        );
        assert!(credentials_file::read(&plain).unwrap().is_empty());
        assert!(Profiles::load(&file).unwrap().servers().is_empty());

        keychain
            .store(&id("c"), &SecretString::from("left"))
            .unwrap();
        let leftover = remove(&file, &id("c"), &keychain).unwrap();
        assert!(leftover.profile.is_none() && leftover.password_deleted);
        let nothing = remove(&file, &id("c"), &keychain).unwrap();
        assert!(nothing.profile.is_none() && !nothing.password_deleted);
    }

    /// The keychain as the app reaches it: a round trip to another program, slow
    /// enough that saves at the same moment overlap.
    struct Slow(Keychain);

    impl PasswordStore for Slow {
        fn store(
            &self,
            server_id: &ServerId,
            password: &SecretString,
        ) -> Result<(), KeychainError> {
            std::thread::sleep(std::time::Duration::from_millis(5));
            self.0.store(server_id, password)
        }
        fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
            self.0.get(server_id)
        }
        fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
            self.0.delete(server_id)
        }
    }

    #[test]
    fn saves_at_the_same_moment_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("servers.json");
        let keychain = Keychain::in_memory();
        let slow = Slow(keychain.clone());
        let rounds = 20;
        std::thread::scope(|scope| {
            // The command line: `login --server-id cli-N`.
            scope.spawn(|| {
                for n in 0..rounds {
                    save(
                        &file,
                        SaveAs::Id(id(&format!("cli-{n}"))),
                        details("From the terminal", in_keychain("pw")),
                        &keychain,
                    )
                    .unwrap();
                }
            });
            // The app: a new server from its label, the password through its owner.
            scope.spawn(|| {
                for _ in 0..rounds {
                    save(
                        &file,
                        SaveAs::NewFromLabel,
                        details("From the app", in_keychain("pw")),
                        &slow,
                    )
                    .unwrap();
                }
            });
        });
        let profiles = Profiles::load(&file).unwrap();
        assert_eq!(profiles.servers().len(), 2 * rounds, "every save landed");
        for profile in profiles.servers() {
            assert!(
                password(&keychain, profile.server_id.as_str()).is_some(),
                "{} has its password",
                profile.server_id
            );
        }
    }
}
