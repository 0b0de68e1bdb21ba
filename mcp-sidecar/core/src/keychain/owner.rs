//! One program owns the keychain items; others ask it.
//!
//! On macOS a keychain item carries an access list naming the binary that created it:
//! any other binary that reads it gets a permission prompt. So `novabackup-mcp` stores,
//! reads and deletes every item, and the companion app asks it to by running
//! `novabackup-mcp keychain` with one JSON request on standard input and reading one
//! JSON reply on standard output. Passwords travel only through those pipes, never
//! through arguments, the environment or a file.
//!
//! ```text
//! → {"action":"store","server_id":"acme-eu","password":"…"}   ← {"outcome":"stored"}
//! → {"action":"get","server_id":"acme-eu"}                     ← {"outcome":"password","password":"…"}  (null when none)
//! → {"action":"delete","server_id":"acme-eu"}                  ← {"outcome":"deleted","existed":true}
//!                                                              ← {"outcome":"failed","error":{"kind":"locked","detail":"…"}}
//! ```

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{DEFAULT_TIMEOUT, Keychain, KeychainError, PasswordStore};
use crate::ServerId;

/// The subcommand of the owning program that answers requests.
pub const SUBCOMMAND: &str = "keychain";

/// The most a request or a reply may take (a password is far shorter).
const MAX_MESSAGE: u64 = 64 * 1024;

/// What the owning program is asked to do.
#[derive(Debug, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Save (or replace) the password of a server.
    Store {
        /// The server.
        server_id: ServerId,
        /// Its password.
        password: SecretString,
    },
    /// Read the password of a server.
    Get {
        /// The server.
        server_id: ServerId,
    },
    /// Delete the password of a server.
    Delete {
        /// The server.
        server_id: ServerId,
    },
}

impl Request {
    /// The request as JSON; the bytes are wiped when dropped.
    fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let value = match self {
            Self::Store {
                server_id,
                password,
            } => serde_json::json!({
                "action": "store",
                "server_id": server_id,
                "password": password.expose_secret(),
            }),
            Self::Get { server_id } => serde_json::json!({"action": "get", "server_id": server_id}),
            Self::Delete { server_id } => {
                serde_json::json!({"action": "delete", "server_id": server_id})
            }
        };
        Zeroizing::new(serde_json::to_vec(&value).expect("a JSON value always serializes"))
    }
}

/// What the owning program answers.
#[derive(Debug, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reply {
    /// The password was saved.
    Stored,
    /// The saved password, or `None` when there is none.
    Password {
        /// The password.
        password: Option<SecretString>,
    },
    /// The password was deleted (`existed: false` when there was none).
    Deleted {
        /// Whether there was one to delete.
        existed: bool,
    },
    /// The keychain refused; the error says why and what to do.
    Failed {
        /// The reason.
        error: KeychainError,
    },
}

impl Reply {
    /// The reply as JSON; the bytes are wiped when dropped.
    fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let value = match self {
            Self::Stored => serde_json::json!({"outcome": "stored"}),
            Self::Password { password } => serde_json::json!({
                "outcome": "password",
                "password": password.as_ref().map(ExposeSecret::expose_secret),
            }),
            Self::Deleted { existed } => {
                serde_json::json!({"outcome": "deleted", "existed": existed})
            }
            Self::Failed { error } => serde_json::json!({"outcome": "failed", "error": error}),
        };
        Zeroizing::new(serde_json::to_vec(&value).expect("a JSON value always serializes"))
    }
}

/// The owning program's side: reads one request from `input`, carries it out on
/// `keychain` (or reports why there is none) and writes one reply to `output`.
/// A request that cannot be read is an error for the caller to report; every
/// keychain failure is a reply.
pub fn answer(
    keychain: Result<Keychain, KeychainError>,
    input: impl Read,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut text = Zeroizing::new(Vec::new());
    input.take(MAX_MESSAGE).read_to_end(&mut text)?;
    let request: Request = serde_json::from_slice(&text).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the keychain request is not valid JSON of the expected shape: {}",
                // serde's message can quote the input; keep only where it failed.
                describe_position(&e)
            ),
        )
    })?;
    let reply = match keychain {
        Err(error) => Reply::Failed { error },
        Ok(keychain) => carry_out(&keychain, request),
    };
    output.write_all(&reply.to_json())?;
    output.write_all(b"\n")?;
    output.flush()
}

fn carry_out(keychain: &Keychain, request: Request) -> Reply {
    let outcome = match request {
        Request::Store {
            server_id,
            password,
        } => keychain
            .store(&server_id, &password)
            .map(|()| Reply::Stored),
        Request::Get { server_id } => keychain
            .get(&server_id)
            .map(|password| Reply::Password { password }),
        Request::Delete { server_id } => keychain
            .delete(&server_id)
            .map(|existed| Reply::Deleted { existed }),
    };
    outcome.unwrap_or_else(|error| Reply::Failed { error })
}

fn describe_position(error: &serde_json::Error) -> String {
    format!("line {}, column {}", error.line(), error.column())
}

/// The asking side: the keychain as reached through the owning program.
#[derive(Debug, Clone)]
pub struct Owner {
    program: PathBuf,
    timeout: Duration,
}

impl Owner {
    /// Asks the `novabackup-mcp` program at `program`. Each call waits at most a little
    /// longer than the program's own keychain timeout.
    pub fn at(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            timeout: DEFAULT_TIMEOUT + Duration::from_secs(5),
        }
    }

    /// The same owner with another bound on each call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The program asked.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Saves (or replaces) the password of `server_id`.
    pub fn store(
        &self,
        server_id: &ServerId,
        password: &SecretString,
    ) -> Result<(), KeychainError> {
        let request = Request::Store {
            server_id: server_id.clone(),
            password: password.clone(),
        };
        match self.ask(&request)? {
            Reply::Stored => Ok(()),
            other => Err(unexpected(&other)),
        }
    }

    /// The password of `server_id`, or `None` when the keychain has none.
    pub fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        let request = Request::Get {
            server_id: server_id.clone(),
        };
        match self.ask(&request)? {
            Reply::Password { password } => Ok(password),
            other => Err(unexpected(&other)),
        }
    }

    /// Deletes the password of `server_id`; `false` when there was none.
    pub fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        let request = Request::Delete {
            server_id: server_id.clone(),
        };
        match self.ask(&request)? {
            Reply::Deleted { existed } => Ok(existed),
            other => Err(unexpected(&other)),
        }
    }

    /// The command that runs the owning program: its only argument is the
    /// subcommand, whatever the request holds.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command
            .arg(SUBCOMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(windows)]
        {
            // The program is a console program; started from the app (a windowed
            // program) it would flash a console window at every call without this.
            use std::os::windows::process::CommandExt as _;
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            command.creation_flags(CREATE_NO_WINDOW);
        }
        command
    }

    fn ask(&self, request: &Request) -> Result<Reply, KeychainError> {
        let program = self.program.display().to_string();
        let failed = |what: String| KeychainError::Owner { detail: what };
        let mut child = self
            .command()
            .spawn()
            .map_err(|e| failed(format!("it could not be started from {program} ({e})")))?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let body = request.to_json();
        // A program that exits early closes its end: the reply (or its absence) says more.
        let _ = stdin.write_all(&body).and_then(|()| stdin.flush());
        drop(stdin);

        let (sender, receiver) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("keychain-owner".into())
            .spawn(move || {
                let mut reply = Zeroizing::new(Vec::new());
                let mut complaint = Vec::new();
                let read = (&mut stdout)
                    .take(MAX_MESSAGE)
                    .read_to_end(&mut reply)
                    .and_then(|_| (&mut stderr).take(MAX_MESSAGE).read_to_end(&mut complaint));
                let _ = sender.send(read.map(|_| (reply, complaint)));
            })
            .map_err(|e| failed(format!("could not wait for it ({e})")))?;
        let read = match receiver.recv_timeout(self.timeout) {
            Ok(read) => read,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(KeychainError::Timeout {
                    seconds: self.timeout.as_secs().max(1),
                });
            }
        };
        let status = child
            .wait()
            .map_err(|e| failed(format!("could not wait for it ({e})")))?;
        let (reply, complaint) = read.map_err(|e| failed(format!("its answer was lost ({e})")))?;
        match serde_json::from_slice::<Reply>(&reply) {
            Ok(Reply::Failed { error }) => Err(error),
            Ok(reply) => Ok(reply),
            Err(_) => {
                let said = String::from_utf8_lossy(&complaint);
                let said = said.trim();
                Err(failed(if said.is_empty() {
                    format!("{program} gave no usable answer ({status})")
                } else {
                    format!("{program} said: {said}")
                }))
            }
        }
    }
}

impl PasswordStore for Owner {
    fn store(&self, server_id: &ServerId, password: &SecretString) -> Result<(), KeychainError> {
        Owner::store(self, server_id, password)
    }

    fn get(&self, server_id: &ServerId) -> Result<Option<SecretString>, KeychainError> {
        Owner::get(self, server_id)
    }

    fn delete(&self, server_id: &ServerId) -> Result<bool, KeychainError> {
        Owner::delete(self, server_id)
    }
}

fn unexpected(reply: &Reply) -> KeychainError {
    let outcome = match reply {
        Reply::Stored => "stored",
        Reply::Password { .. } => "password",
        Reply::Deleted { .. } => "deleted",
        Reply::Failed { .. } => "failed",
    };
    KeychainError::Owner {
        detail: format!("it answered \"{outcome}\" to another question"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ServerId {
        ServerId::new(text).unwrap()
    }

    fn ask_in_memory(keychain: &Keychain, request: &Request) -> Reply {
        let mut output = Vec::new();
        answer(Ok(keychain.clone()), &request.to_json()[..], &mut output).unwrap();
        serde_json::from_slice(&output).unwrap()
    }

    #[test]
    fn requests_are_carried_out_on_the_keychain() {
        let keychain = Keychain::in_memory();
        let acme = id("acme-eu");
        let store = Request::Store {
            server_id: acme.clone(),
            password: SecretString::from("s3cret \"quoted\" ü"),
        };
        assert!(matches!(ask_in_memory(&keychain, &store), Reply::Stored));
        assert_eq!(
            keychain.get(&acme).unwrap().unwrap().expose_secret(),
            "s3cret \"quoted\" ü"
        );
        let get = Request::Get {
            server_id: acme.clone(),
        };
        match ask_in_memory(&keychain, &get) {
            Reply::Password { password: Some(p) } => {
                assert_eq!(p.expose_secret(), "s3cret \"quoted\" ü");
            }
            other => panic!("{other:?}"),
        }
        let delete = Request::Delete {
            server_id: acme.clone(),
        };
        assert!(matches!(
            ask_in_memory(&keychain, &delete),
            Reply::Deleted { existed: true }
        ));
        assert!(matches!(
            ask_in_memory(&keychain, &delete),
            Reply::Deleted { existed: false }
        ));
        assert!(matches!(
            ask_in_memory(&keychain, &get),
            Reply::Password { password: None }
        ));
    }

    #[test]
    fn a_missing_keychain_is_a_reply_that_keeps_its_advice() {
        let unavailable = KeychainError::Unavailable {
            detail: "no session bus".into(),
        };
        let mut output = Vec::new();
        let request = Request::Get { server_id: id("a") };
        answer(
            Err(unavailable.clone()),
            &request.to_json()[..],
            &mut output,
        )
        .unwrap();
        match serde_json::from_slice::<Reply>(&output).unwrap() {
            Reply::Failed { error } => {
                assert_eq!(error, unavailable);
                assert!(error.to_string().contains("Start your desktop's keyring"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_error_crosses_the_pipe_unchanged() {
        let errors = [
            KeychainError::Unavailable { detail: "d".into() },
            KeychainError::Locked { detail: "d".into() },
            KeychainError::Timeout { seconds: 10 },
            KeychainError::NotText {
                server_id: id("bin"),
            },
            KeychainError::Owner { detail: "d".into() },
            KeychainError::Failed { detail: "d".into() },
        ];
        for error in errors {
            let json = Reply::Failed {
                error: error.clone(),
            }
            .to_json();
            match serde_json::from_slice::<Reply>(&json).unwrap() {
                Reply::Failed { error: back } => assert_eq!(back, error),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_malformed_request_is_refused_without_echoing_it() {
        let keychain = Keychain::in_memory();
        for input in [
            &br#"{"action":"store","server_id":"a","password":"hunter2""#[..],
            br#"{"action":"store","server_id":"a","password":"hunter2","extra":1}"#,
            br#"{"action":"steal","server_id":"a","password":"hunter2"}"#,
            br#"{"action":"get","server_id":"not valid!","password":"hunter2"}"#,
        ] {
            let mut output = Vec::new();
            let error = answer(Ok(keychain.clone()), input, &mut output).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
            assert!(!error.to_string().contains("hunter2"), "{error}");
            assert!(output.is_empty(), "no reply to a request not understood");
        }
        assert!(keychain.get(&id("a")).unwrap().is_none(), "nothing stored");
    }

    #[test]
    fn the_password_never_reaches_the_command_line() {
        let owner = Owner::at("/opt/novabackup/novabackup-mcp");
        let command = owner.command();
        let args: Vec<_> = command.get_args().collect();
        assert_eq!(args, [SUBCOMMAND]);
        assert_eq!(command.get_envs().count(), 0, "no variable is added");
    }

    #[test]
    fn a_missing_program_says_where_it_was_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("novabackup-mcp");
        let error = Owner::at(&program).get(&id("a")).unwrap_err();
        assert!(matches!(error, KeychainError::Owner { .. }), "{error:?}");
        let text = error.to_string();
        assert!(text.contains(&program.display().to_string()), "{text}");
        assert!(text.contains("Reinstall the app"), "{text}");
    }

    #[cfg(unix)]
    fn script(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("novabackup-mcp");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn a_program_that_answers_nonsense_is_reported_with_what_it_said() {
        let dir = tempfile::tempdir().unwrap();
        let program = script(
            dir.path(),
            "cat >/dev/null; echo 'unknown command' >&2; exit 2",
        );
        let error = Owner::at(&program).get(&id("a")).unwrap_err();
        assert!(matches!(error, KeychainError::Owner { .. }), "{error:?}");
        assert!(error.to_string().contains("unknown command"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_program_that_hangs_is_stopped_after_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let program = script(dir.path(), "exec sleep 30");
        let started = std::time::Instant::now();
        let error = Owner::at(&program)
            .with_timeout(Duration::from_millis(300))
            .delete(&id("a"))
            .unwrap_err();
        assert_eq!(error, KeychainError::Timeout { seconds: 1 });
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[cfg(unix)]
    #[test]
    fn a_reply_to_another_question_is_not_taken_for_an_answer() {
        let dir = tempfile::tempdir().unwrap();
        let program = script(
            dir.path(),
            r#"cat >/dev/null; echo '{"outcome":"deleted","existed":true}'"#,
        );
        let error = Owner::at(&program).get(&id("a")).unwrap_err();
        assert!(error.to_string().contains("another question"), "{error}");
    }
}
