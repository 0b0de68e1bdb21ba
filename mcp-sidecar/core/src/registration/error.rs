//! What can go wrong while reading or changing an MCP client's configuration file,
//! each case with a message that says what happened and what to do.

use std::io;
use std::path::PathBuf;

/// A registration that could not be done. Every refusal leaves the file untouched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationError {
    /// The file is not valid JSON.
    #[error(
        "{owner}'s settings file {path} has a mistake at line {line}, column {column}: {detail}. \
         Fix it in a text editor or restore a backup; nothing was changed."
    )]
    InvalidJson {
        /// Whose file it is (for example "Claude Desktop").
        owner: String,
        /// The file.
        path: PathBuf,
        /// 1-based line of the mistake.
        line: usize,
        /// 1-based column of the mistake.
        column: usize,
        /// What the parser expected.
        detail: String,
    },
    /// The file is JSON but a part that must be an object is something else.
    #[error(
        "{owner}'s settings file {path} has {what} as {found} at line {line}, column {column}, \
         where an object (`{{ ... }}`) belongs. Fix it in a text editor or restore a backup; \
         nothing was changed."
    )]
    NotAnObject {
        /// Whose file it is.
        owner: String,
        /// The file.
        path: PathBuf,
        /// The part: "the whole file" or a key such as `"mcpServers"`.
        what: String,
        /// What was found instead ("an array", "a string", ...).
        found: &'static str,
        /// 1-based line where the part starts.
        line: usize,
        /// 1-based column where the part starts.
        column: usize,
    },
    /// The file is not UTF-8 text.
    #[error(
        "{owner}'s settings file {path} is not UTF-8 text. Save it as UTF-8 in a text editor \
         or restore a backup; nothing was changed."
    )]
    NotText {
        /// Whose file it is.
        owner: String,
        /// The file.
        path: PathBuf,
    },
    /// The file (or its folder) cannot be written.
    #[error(
        "{path} is read-only, so it cannot be changed. Make it writable (file properties, or \
         `chmod u+w`) and try again; nothing was changed."
    )]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// An input/output operation failed.
    #[error(
        "could not {action} {path}: {source}. Check that the folder exists and that you may write to it; nothing was changed."
    )]
    Io {
        /// What was being done ("read", "write", "lock", ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// An entry with our name runs the Node.js server and the caller did not ask to replace it.
    #[error(
        "the entry \"{name}\" in {path} runs the Node.js package @novabackup/management-server-mcp. \
         Register again with --replace-node to replace it, then run `novabackup-mcp import` to move \
         its saved credentials into the keychain; nothing was changed."
    )]
    NodeEntryInTheWay {
        /// The entry's name.
        name: String,
        /// The file.
        path: PathBuf,
    },
    /// Two copies of the client's settings exist and differ; the caller must choose.
    #[error(
        "{owner} has two settings files that differ: {}. Choose one with --config PATH, or \
         write both with --all-configs; nothing was changed.",
        .paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and ")
    )]
    ConflictingCopies {
        /// Whose files they are.
        owner: String,
        /// The copies, the one the client most likely reads first.
        paths: Vec<PathBuf>,
    },
    /// The program to register lives in a place that moves or disappears.
    #[error(
        "novabackup-mcp is running from {path}, {reason}; an MCP client would lose it. Copy \
         novabackup-mcp to a stable folder (for example ~/.local/bin, or install the package) \
         and run `register` from there; nothing was changed."
    )]
    UnstablePath {
        /// The program's path.
        path: PathBuf,
        /// Why the place is unstable.
        reason: String,
    },
    /// No backup of the requested kind exists.
    #[error("there is no {which} backup of {path} to restore; nothing was changed.")]
    NoBackup {
        /// "original" or "recent".
        which: &'static str,
        /// The settings file.
        path: PathBuf,
    },
    /// The file kept changing under us.
    #[error(
        "{path} kept changing while novabackup-mcp tried to update it (another program is \
         writing it). Close the program that edits it and try again; nothing was changed."
    )]
    KeptChanging {
        /// The file.
        path: PathBuf,
    },
    /// The `claude` command line refused.
    #[error(
        "`claude mcp {action}` failed ({status}): {stderr}. Run `claude mcp list` to see Claude \
         Code's servers, or register with --config ~/.claude.json to edit the file directly."
    )]
    ClaudeCli {
        /// The subcommand ("add", "remove").
        action: &'static str,
        /// How it exited.
        status: String,
        /// What it printed on stderr.
        stderr: String,
    },
}

impl RegistrationError {
    /// An [`RegistrationError::Io`] for `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}
