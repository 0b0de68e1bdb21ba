//! What can go wrong with the profiles file, each with what to do about it.

use std::path::PathBuf;

use crate::ServerId;

/// A failure to read, understand or save the profiles file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfilesError {
    /// The file exists but could not be read.
    #[error(
        "could not read the saved servers file {}: {source}. Check that it is readable by you.",
        path.display()
    )]
    Read {
        /// The profiles file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not JSON, or not the expected shape.
    #[error(
        "the saved servers file {} is not valid at line {line}, column {column}: {detail}. \
         Fix the file, or move it aside and run `novabackup-mcp login` again.",
        path.display()
    )]
    Invalid {
        /// The profiles file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong there (never a value from the file that could be secret).
        detail: String,
    },
    /// Two entries share one server id.
    #[error(
        "the saved servers file {} lists the server id \"{server_id}\" more than once. \
         Remove or rename one of the entries.",
        path.display()
    )]
    DuplicateId {
        /// The profiles file.
        path: PathBuf,
        /// The id found twice.
        server_id: ServerId,
    },
    /// An entry holds a password: the file is for settings, never for secrets.
    #[error(
        "the saved servers file {} holds a password for \"{server_id}\", and passwords belong \
         in the system keychain. Move it there with `novabackup-mcp import --from {}`, or delete \
         the \"password\" field and run `novabackup-mcp login --server-id {server_id}`.",
        path.display(),
        path.display()
    )]
    PasswordInFile {
        /// The profiles file.
        path: PathBuf,
        /// The server whose entry holds a password.
        server_id: ServerId,
    },
    /// The file was written by a newer release.
    #[error(
        "the saved servers file {} has version {version}, newer than this program understands (1). \
         Update novabackup-mcp.",
        path.display()
    )]
    UnsupportedVersion {
        /// The profiles file.
        path: PathBuf,
        /// The version found.
        version: u64,
    },
    /// Another program is changing the saved servers right now.
    #[error(
        "another program (the NovaBACKUP tray app or another novabackup-mcp) is changing the saved \
         servers in {} right now. Try again in a moment.",
        path.display()
    )]
    Busy {
        /// The profiles file.
        path: PathBuf,
    },
    /// The file could not be written; the previous one is untouched.
    #[error(
        "could not save the saved servers file {}: {source}. Check that its folder is writable; \
         the previous file is unchanged.",
        path.display()
    )]
    Write {
        /// The profiles file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}
