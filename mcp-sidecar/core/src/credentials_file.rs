//! The Node.js server's plaintext credentials file,
//! `{"version":1,"servers":[{server_id,label,base_url,username,password}]}`
//! (`~/.novabackup-mcp/credentials.json` unless `MCP_CREDENTIALS_FILE` says otherwise).
//!
//! The product writes it only when the user chose it for a server
//! (`novabackup-mcp login --store credentials-file`, for a machine with no keychain):
//! [`store`] and [`forget`] change one entry and keep the others, and the file stays
//! readable by its owner only. [`remove`] deletes it once `import` has moved every
//! password into the keychain.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::ServerId;
use crate::json_mistake;
use crate::profiles::{Profiles, ProfilesError};

/// One server from the plaintext file. `Debug` shows the password as redacted.
#[derive(Debug, Clone, Deserialize)]
pub struct PlaintextCredential {
    /// The server's id.
    pub server_id: ServerId,
    /// Its friendly name.
    #[serde(default)]
    pub label: String,
    /// The Management Server address.
    pub base_url: String,
    /// The user to log in as.
    pub username: String,
    /// The password, kept secret in memory.
    pub password: SecretString,
}

#[derive(Deserialize)]
struct FileShape {
    #[serde(default)]
    servers: Vec<PlaintextCredential>,
}

/// A failure to read the plaintext credentials file. Never carries a value from it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsFileError {
    /// No file at that path.
    #[error(
        "there is no credentials file at {}. Pass the right one with --from (or MCP_CREDENTIALS_FILE).",
        path.display()
    )]
    NotFound {
        /// The path looked at.
        path: PathBuf,
    },
    /// The file exists but could not be read.
    #[error("could not read the credentials file {}: {source}. Check that it is readable by you.", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file is not JSON or not the expected shape.
    #[error(
        "the credentials file {} is not valid at line {line}, column {column}: {detail}. \
         Fix it so that it reads {{\"version\":1,\"servers\":[{{\"server_id\",\"label\",\"base_url\",\"username\",\"password\"}}]}}.",
        path.display()
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Which field is wrong (never its value).
        detail: String,
    },
    /// An id appears twice.
    #[error("the credentials file {} lists \"{server_id}\" more than once; remove one entry.", path.display())]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// The repeated id.
        server_id: ServerId,
    },
    /// The file could not be written.
    #[error("could not write the credentials file {}: {source}. Check that its folder is writable by you.", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The file could not be removed.
    #[error("could not delete the credentials file {}: {source}. Delete it yourself: its passwords are now in the keychain.", path.display())]
    Remove {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// Reads every entry of the plaintext credentials file at `path`.
pub fn read(path: &Path) -> Result<Vec<PlaintextCredential>, CredentialsFileError> {
    let text = fs::read_to_string(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            CredentialsFileError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            CredentialsFileError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    parse(path, &text)
}

/// Reads entries from `text`, reporting problems against `path`.
pub fn parse(path: &Path, text: &str) -> Result<Vec<PlaintextCredential>, CredentialsFileError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let shape: FileShape = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let inner = e.inner();
        let (line, column) = json_mistake::place(text, inner);
        let (field, missing) = json_mistake::field_at_fault(&e);
        // serde's message can quote the offending value, which may be a password:
        // only syntax errors (which quote nothing) keep theirs.
        let detail = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                json_mistake::without_position(&inner.to_string()).to_owned()
            }
            _ if missing => format!("{field} is missing"),
            _ if field.is_empty() => "unexpected shape".to_owned(),
            _ if field.ends_with("server_id") => {
                format!("{field} is not a valid server id (text of letters, digits, '_' and '-')")
            }
            _ => format!("{field} has the wrong type"),
        };
        CredentialsFileError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            detail,
        }
    })?;
    for (i, entry) in shape.servers.iter().enumerate() {
        if shape.servers[..i]
            .iter()
            .any(|e| e.server_id == entry.server_id)
        {
            return Err(CredentialsFileError::DuplicateId {
                path: path.to_path_buf(),
                server_id: entry.server_id.clone(),
            });
        }
    }
    Ok(shape.servers)
}

/// Keeps `credential` in the plaintext file at `path` (created when missing): its entry
/// replaces one with the same id; other entries and fields stay as they were. The file
/// is written whole through a temporary file and left readable by its owner only.
pub fn store(path: &Path, credential: &PlaintextCredential) -> Result<(), CredentialsFileError> {
    let entry = json!({
        "server_id": credential.server_id,
        "label": credential.label,
        "base_url": credential.base_url,
        "username": credential.username,
        "password": credential.password.expose_secret(),
    });
    change(path, |servers| {
        match servers
            .iter_mut()
            .find(|s| s["server_id"] == credential.server_id.as_str())
        {
            Some(existing) => *existing = entry,
            None => servers.push(entry),
        }
        true
    })
    .map(|_| ())
}

/// Removes the entry of `server_id` from the plaintext file at `path`; the other
/// entries stay. Returns whether there was one (a missing file holds none).
pub fn forget(path: &Path, server_id: &ServerId) -> Result<bool, CredentialsFileError> {
    if !path.exists() {
        return Ok(false);
    }
    change(path, |servers| {
        let before = servers.len();
        servers.retain(|s| s["server_id"] != server_id.as_str());
        servers.len() != before
    })
}

/// One load-change-save of the file's `servers` under a lock, checked like [`read`]
/// first so that a file it cannot read is never overwritten. `edit` says whether it
/// changed anything; nothing is written when it did not.
fn change(
    path: &Path,
    edit: impl FnOnce(&mut Vec<Value>) -> bool,
) -> Result<bool, CredentialsFileError> {
    let write_failed = |source| CredentialsFileError::Write {
        path: path.to_path_buf(),
        source,
    };
    let _lock = Profiles::lock(path).map_err(|error| match error {
        ProfilesError::Write { source, .. } => write_failed(source),
        other => write_failed(io::Error::other(other.to_string())),
    })?;
    let mut document = match read(path) {
        Ok(_) => {
            let text = fs::read_to_string(path).map_err(|source| CredentialsFileError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            serde_json::from_str::<Map<String, Value>>(&text).unwrap_or_default()
        }
        Err(CredentialsFileError::NotFound { .. }) => Map::new(),
        Err(error) => return Err(error),
    };
    document.entry("version").or_insert(json!(1));
    let mut servers = match document.remove("servers") {
        Some(Value::Array(servers)) => servers,
        _ => Vec::new(),
    };
    let changed = edit(&mut servers);
    document.insert("servers".to_owned(), Value::Array(servers));
    if changed {
        let mut text = serde_json::to_string_pretty(&Value::Object(document))
            .map_err(|error| write_failed(io::Error::other(error)))?;
        text.push('\n');
        crate::profiles::write_atomically(path, text.as_bytes()).map_err(write_failed)?;
    }
    Ok(changed)
}

/// Deletes the plaintext file (after `import` has stored and verified every entry).
pub fn remove(path: &Path) -> Result<(), CredentialsFileError> {
    fs::remove_file(path).map_err(|source| CredentialsFileError::Remove {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn reads_the_node_servers_file() {
        let text = r#"{"version":1,"servers":[{"server_id":"cmc-test","label":"Test","base_url":"https://cmc.example/managementserver","username":"alice","password":"pw-1"}]}"#;
        let entries = parse(Path::new("c.json"), text).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].server_id.as_str(), "cmc-test");
        assert_eq!(entries[0].username, "alice");
        assert_eq!(entries[0].password.expose_secret(), "pw-1");
        assert!(
            !format!("{:?}", entries[0]).contains("pw-1"),
            "Debug hides it"
        );
    }

    #[test]
    fn a_wrongly_typed_password_is_not_quoted() {
        let text =
            r#"{"servers":[{"server_id":"a","base_url":"u","username":"x","password":987654}]}"#;
        let error = parse(Path::new("c.json"), text).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("987654"), "{shown}");
        assert!(shown.contains("servers[0].password"), "{shown}");
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let error = parse(Path::new("c.json"), "{\n \"servers\": [\n  {,\n]}").unwrap_err();
        match error {
            CredentialsFileError::Invalid { line, column, .. } => {
                assert_eq!((line, column), (3, 4));
            }
            other => panic!("expected Invalid, got {other}"),
        }
    }

    fn credential(id: &str, password: &str) -> PlaintextCredential {
        PlaintextCredential {
            server_id: ServerId::new(id).unwrap(),
            label: format!("{id} label"),
            base_url: format!("https://{id}.example/managementserver"),
            username: "alice".to_owned(),
            password: SecretString::from(password.to_owned()),
        }
    }

    #[test]
    fn store_keeps_other_entries_and_fields_and_replaces_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/credentials.json");
        store(&path, &credential("a", "pw-a1")).unwrap();
        let mut text: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        text["servers"][0]["note"] = json!("kept");
        text["comment"] = json!("also kept");
        fs::write(&path, text.to_string()).unwrap();

        store(&path, &credential("b", "pw-b")).unwrap();
        store(&path, &credential("a", "pw-a2")).unwrap();
        let entries = read(&path).unwrap();
        let passwords: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.server_id.as_str(), e.password.expose_secret()))
            .collect();
        assert_eq!(passwords, [("a", "pw-a2"), ("b", "pw-b")]);
        let text: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(text["version"], 1);
        assert_eq!(
            text["comment"], "also kept",
            "unknown top-level fields stay"
        );
        assert_eq!(text["servers"][1]["server_id"], "b");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "readable by its owner only");
        }
    }

    #[test]
    fn forget_removes_one_entry_and_says_whether_it_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.json");
        assert!(
            !forget(&path, &ServerId::new("a").unwrap()).unwrap(),
            "no file, no entry"
        );
        assert!(!path.exists(), "forgetting creates nothing");
        store(&path, &credential("a", "pw-a")).unwrap();
        store(&path, &credential("b", "pw-b")).unwrap();
        assert!(forget(&path, &ServerId::new("a").unwrap()).unwrap());
        assert!(!forget(&path, &ServerId::new("a").unwrap()).unwrap());
        let left: Vec<String> = read(&path)
            .unwrap()
            .iter()
            .map(|e| e.server_id.to_string())
            .collect();
        assert_eq!(left, ["b"]);
        assert!(!fs::read_to_string(&path).unwrap().contains("pw-a"));
    }

    #[test]
    fn a_file_it_cannot_read_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.json");
        let broken = "{\"servers\": [ {\"server_id\": \"a\", ";
        fs::write(&path, broken).unwrap();
        let error = store(&path, &credential("b", "pw-b")).unwrap_err();
        assert!(
            matches!(error, CredentialsFileError::Invalid { .. }),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    }

    #[test]
    fn a_missing_field_is_named_and_an_empty_file_placed() {
        // Both found by the property tests: the field was only "servers[0]", and an
        // empty file was "at line 1, column 0".
        let text = r#"{"servers":[{"server_id":"a","base_url":"u","username":"x"}]}"#;
        let error = parse(Path::new("c.json"), text).unwrap_err().to_string();
        assert!(error.contains("servers[0].password is missing"), "{error}");
        let error = parse(Path::new("c.json"), "").unwrap_err().to_string();
        assert!(error.contains("line 1, column 1"), "{error}");
        let text =
            r#"{"servers":[{"server_id":"a b","base_url":"u","username":"x","password":"p"}]}"#;
        let error = parse(Path::new("c.json"), text).unwrap_err().to_string();
        assert!(
            error.contains("servers[0].server_id is not a valid server id"),
            "{error}"
        );
    }

    #[test]
    fn missing_file_says_how_to_point_at_it() {
        let error = read(Path::new("/nonexistent/credentials.json")).unwrap_err();
        assert!(error.to_string().contains("--from"), "{error}");
    }
}
