//! Where a Management Server stands, in the one vocabulary every face uses (the MCP
//! results and `system_info`, the tray and its notifications, the command line), and
//! the one classification of a client error into it.
//!
//! Each face words a state in its own terms; the core only names it.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// Where a server stands after its last login or request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerState {
    /// Its first login is under way.
    Connecting,
    /// It answers. A request it refused (a bad query, an id it does not have) leaves
    /// it here: the server is fine, the request was not.
    Healthy,
    /// It cannot be reached or does not answer in time: retried in the background
    /// until it answers.
    Unreachable,
    /// It answers with server errors (HTTP 5xx, or 429 when overloaded): retried in
    /// the background until it answers properly.
    ServerError,
    /// It refused the username or password: waits for new credentials.
    WrongPassword,
    /// No password is available for it (none saved, or the store could not be read):
    /// waits for credentials.
    NoPassword,
    /// Its certificate is not trusted, or the CA file to trust cannot be used: waits
    /// for a certificate.
    Certificate,
    /// Its address cannot be used: waits for a new address.
    BadAddress,
    /// It answers with something this program does not understand.
    Other,
}

/// What a state means for asking the server again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Ask it as usual.
    Ask,
    /// Skip it and retry in the background with backoff until it answers.
    Backoff,
    /// Skip it until the user changes something (credentials, certificate, address).
    WhenChanged,
}

impl ServerState {
    /// Every state, for tables and tests.
    pub const ALL: [ServerState; 9] = [
        Self::Connecting,
        Self::Healthy,
        Self::Unreachable,
        Self::ServerError,
        Self::WrongPassword,
        Self::NoPassword,
        Self::Certificate,
        Self::BadAddress,
        Self::Other,
    ];

    /// The stable code of the state (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Healthy => "healthy",
            Self::Unreachable => "unreachable",
            Self::ServerError => "server_error",
            Self::WrongPassword => "wrong_password",
            Self::NoPassword => "no_password",
            Self::Certificate => "certificate",
            Self::BadAddress => "bad_address",
            Self::Other => "other",
        }
    }

    /// Whether the server answers.
    pub fn is_healthy(self) -> bool {
        self == Self::Healthy
    }

    /// What the state means for asking the server again.
    pub fn retry(self) -> Retry {
        match self {
            Self::Connecting | Self::Healthy | Self::Other => Retry::Ask,
            Self::Unreachable | Self::ServerError => Retry::Backoff,
            Self::WrongPassword | Self::NoPassword | Self::Certificate | Self::BadAddress => {
                Retry::WhenChanged
            }
        }
    }
}

/// The state a failed login or request leaves a server in.
pub fn classify(error: &ApiError) -> ServerState {
    match error {
        ApiError::InvalidCredentials { .. } => ServerState::WrongPassword,
        ApiError::Unreachable { .. } | ApiError::Timeout { .. } => ServerState::Unreachable,
        ApiError::ServerError {
            status: 429 | 500..=599,
            ..
        } => ServerState::ServerError,
        // The server answered; the request was refused or named nothing it has.
        ApiError::ServerError { .. }
        | ApiError::QueryRejected { .. }
        | ApiError::NotFound { .. } => ServerState::Healthy,
        ApiError::Tls { .. } | ApiError::CaCertificate { .. } => ServerState::Certificate,
        ApiError::InvalidUrl { .. } => ServerState::BadAddress,
        ApiError::UnexpectedResponse { .. }
        | ApiError::ResponseTooLarge { .. }
        | ApiError::BadNextLink { .. } => ServerState::Other,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::error::TlsProblem;

    /// One error of every variant, with the state each must land in. A new variant
    /// fails to compile in `classify` until it is placed; this table says where.
    fn every_variant() -> Vec<(ApiError, ServerState)> {
        let server = || "https://ms.example/managementserver".to_owned();
        vec![
            (
                ApiError::InvalidCredentials {
                    server: server(),
                    detail: None,
                },
                ServerState::WrongPassword,
            ),
            (
                ApiError::Unreachable {
                    server: server(),
                    detail: "refused".into(),
                },
                ServerState::Unreachable,
            ),
            (
                ApiError::Timeout {
                    server: server(),
                    after: Duration::from_secs(10),
                },
                ServerState::Unreachable,
            ),
            (
                ApiError::Tls {
                    server: server(),
                    problem: TlsProblem::UnknownIssuer,
                },
                ServerState::Certificate,
            ),
            (
                ApiError::Tls {
                    server: server(),
                    problem: TlsProblem::Expired,
                },
                ServerState::Certificate,
            ),
            (
                ApiError::QueryRejected {
                    server: server(),
                    message: "bad $filter".into(),
                },
                ServerState::Healthy,
            ),
            (
                ApiError::NotFound {
                    server: server(),
                    path: "Agents(9)".into(),
                    detail: None,
                },
                ServerState::Healthy,
            ),
            (
                ApiError::ServerError {
                    server: server(),
                    status: 503,
                    message: "busy".into(),
                },
                ServerState::ServerError,
            ),
            (
                ApiError::ServerError {
                    server: server(),
                    status: 500,
                    message: "boom".into(),
                },
                ServerState::ServerError,
            ),
            (
                ApiError::ServerError {
                    server: server(),
                    status: 429,
                    message: "slow down".into(),
                },
                ServerState::ServerError,
            ),
            (
                ApiError::ServerError {
                    server: server(),
                    status: 403,
                    message: "forbidden".into(),
                },
                ServerState::Healthy,
            ),
            (
                ApiError::UnexpectedResponse {
                    server: server(),
                    expected: "JSON".into(),
                    snippet: "<html>".into(),
                },
                ServerState::Other,
            ),
            (
                ApiError::ResponseTooLarge {
                    server: server(),
                    limit_bytes: 64 << 20,
                },
                ServerState::Other,
            ),
            (
                ApiError::BadNextLink {
                    server: server(),
                    link: "https://elsewhere.example/api/Agents?$skip=100".into(),
                    reason: "points to another host".into(),
                },
                ServerState::Other,
            ),
            (
                ApiError::InvalidUrl {
                    url: "cmc".into(),
                    reason: "no scheme".into(),
                },
                ServerState::BadAddress,
            ),
            (
                ApiError::CaCertificate {
                    path: "/ca.pem".into(),
                    reason: "not PEM".into(),
                },
                ServerState::Certificate,
            ),
        ]
    }

    #[test]
    fn every_error_lands_in_one_state() {
        for (error, state) in every_variant() {
            assert_eq!(classify(&error), state, "{} ({error})", error.kind());
        }
    }

    #[test]
    fn only_passing_failures_are_retried_and_only_user_fixes_wait() {
        for state in ServerState::ALL {
            let expected = match state {
                ServerState::Unreachable | ServerState::ServerError => Retry::Backoff,
                ServerState::WrongPassword
                | ServerState::NoPassword
                | ServerState::Certificate
                | ServerState::BadAddress => Retry::WhenChanged,
                _ => Retry::Ask,
            };
            assert_eq!(state.retry(), expected, "{}", state.code());
        }
    }

    #[test]
    fn codes_are_the_serialised_names() {
        for state in ServerState::ALL {
            assert_eq!(serde_json::to_value(state).unwrap(), state.code());
        }
    }
}
