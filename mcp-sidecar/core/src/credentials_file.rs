//! The Node.js server's plaintext credentials file,
//! `{"version":1,"servers":[{server_id,label,base_url,username,password}]}`
//! (`~/.novabackup-mcp/credentials.json` unless `MCP_CREDENTIALS_FILE` says otherwise).
//!
//! Read-only: the product never writes it; [`remove`] deletes it once `import` has
//! moved every password into the keychain.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

use crate::ServerId;
use crate::json_mistake;

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
