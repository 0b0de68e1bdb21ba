//! The error every command returns: a stable `code` the UI turns into plain words, the
//! message for support, and optional technical detail. Never holds a secret: it is
//! built from the core's errors, whose texts never carry one.

use novabackup_core::error::{ApiError, TlsProblem};
use novabackup_core::keychain::KeychainError;
use novabackup_core::profiles::ProfilesError;
use novabackup_core::registration::RegistrationError;
use novabackup_core::server_state::{ServerState, classify};
use serde::Serialize;
use specta::Type;

/// What kind of failure a command met; the UI picks its sentence by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The server refused the username or password.
    WrongPassword,
    /// No password is saved for the server.
    NoPassword,
    /// The server could not be reached (address, network, down, no answer).
    Unreachable,
    /// The server's certificate is not trusted (a CA certificate file may help).
    Certificate,
    /// The server's certificate is refused whatever CA is trusted: it is for another
    /// name, out of date or revoked.
    CertificateRejected,
    /// A field the user typed is missing or not valid.
    InvalidInput,
    /// The OS keychain could not be used.
    Keychain,
    /// The saved servers file could not be read or written.
    Profiles,
    /// An MCP client's configuration could not be changed.
    Registration,
    /// The server or client asked for does not exist.
    NotFound,
    /// The user stopped it.
    Cancelled,
    /// Anything else; the detail says what.
    Other,
}

/// A failed command, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// What kind of failure, for the UI's sentence.
    pub code: ErrorCode,
    /// The full message, for the "Details" disclosure and support.
    pub message: String,
    /// More technical detail, when there is some.
    pub detail: Option<String>,
}

impl CommandError {
    /// An error with a code and a message and no further detail.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// A field the user typed is wrong; `message` says which and how, in the user's
    /// language (the UI shows it as it is).
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// A failure with no better code.
    pub fn other(error: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Other, error.to_string())
    }
}

/// The error code of a health state that is not healthy.
pub fn code_of_state(state: ServerState) -> ErrorCode {
    match state {
        ServerState::WrongPassword => ErrorCode::WrongPassword,
        ServerState::NoPassword => ErrorCode::NoPassword,
        ServerState::Unreachable | ServerState::BadAddress => ErrorCode::Unreachable,
        ServerState::Certificate => ErrorCode::Certificate,
        ServerState::Healthy
        | ServerState::Connecting
        | ServerState::ServerError
        | ServerState::Other => ErrorCode::Other,
    }
}

impl CommandError {
    /// The code of a failure to reach or use a server.
    pub fn code_of(error: &ApiError) -> ErrorCode {
        match error {
            ApiError::InvalidUrl { .. } => ErrorCode::InvalidInput,
            ApiError::Tls {
                problem: TlsProblem::Expired | TlsProblem::WrongHostName | TlsProblem::Revoked,
                ..
            } => ErrorCode::CertificateRejected,
            other => code_of_state(classify(other)),
        }
    }
}

impl From<ApiError> for CommandError {
    fn from(error: ApiError) -> Self {
        Self {
            code: Self::code_of(&error),
            message: error.to_string(),
            detail: Some(format!("kind: {}", error.kind())),
        }
    }
}

impl From<KeychainError> for CommandError {
    fn from(error: KeychainError) -> Self {
        Self::new(ErrorCode::Keychain, error.to_string())
    }
}

impl From<ProfilesError> for CommandError {
    fn from(error: ProfilesError) -> Self {
        Self::new(ErrorCode::Profiles, error.to_string())
    }
}

impl From<RegistrationError> for CommandError {
    fn from(error: RegistrationError) -> Self {
        Self::new(ErrorCode::Registration, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn api_failures_keep_their_meaning_across_the_boundary() {
        let server = "https://ms.example.com/managementserver".to_owned();
        let wrong = CommandError::from(ApiError::InvalidCredentials {
            server: server.clone(),
            detail: None,
        });
        assert_eq!(wrong.code, ErrorCode::WrongPassword);
        let slow = CommandError::from(ApiError::Timeout {
            server,
            after: Duration::from_secs(3),
        });
        assert_eq!(slow.code, ErrorCode::Unreachable);
        assert_eq!(
            serde_json::to_value(&slow).expect("serialises")["code"],
            "unreachable",
            "the UI matches on snake_case codes"
        );
    }
}
