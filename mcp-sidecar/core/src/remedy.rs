//! What a person can do about a failure, as a code. The core says what happened and
//! names the remedy; each face words it in its own terms: the command line names a
//! command, the app a button, an MCP result a tool.

use serde::Serialize;

use crate::error::ApiError;
use crate::server_state::{ServerState, classify};

/// What fixes a failure, for the faces to word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Remedy {
    /// Enter the server's username and password (again).
    NewCredentials,
    /// Trust the certificate authority that signed the server's certificate.
    TrustCertificate,
    /// Check the server's address (including its virtual directory).
    CheckAddress,
    /// Nothing to do but try again later: the server or the network may recover.
    TryLater,
    /// Ask less at a time, or correct the query.
    ChangeQuery,
}

impl Remedy {
    /// The stable code of the remedy (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            Self::NewCredentials => "new_credentials",
            Self::TrustCertificate => "trust_certificate",
            Self::CheckAddress => "check_address",
            Self::TryLater => "try_later",
            Self::ChangeQuery => "change_query",
        }
    }

    /// The remedy of a server left in `state`, when the user can do something.
    pub fn for_state(state: ServerState) -> Option<Self> {
        match state {
            ServerState::WrongPassword | ServerState::NoPassword => Some(Self::NewCredentials),
            ServerState::Certificate => Some(Self::TrustCertificate),
            ServerState::BadAddress => Some(Self::CheckAddress),
            ServerState::Unreachable | ServerState::ServerError => Some(Self::TryLater),
            ServerState::Connecting | ServerState::Healthy | ServerState::Other => None,
        }
    }
}

impl ApiError {
    /// What fixes this failure, for a face to word.
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            ApiError::QueryRejected { .. } | ApiError::ResponseTooLarge { .. } => {
                Some(Remedy::ChangeQuery)
            }
            other => Remedy::for_state(classify(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_a_user_can_fix_names_a_remedy() {
        for state in ServerState::ALL {
            let remedy = Remedy::for_state(state);
            let fixable = !matches!(
                state,
                ServerState::Connecting | ServerState::Healthy | ServerState::Other
            );
            assert_eq!(remedy.is_some(), fixable, "{}", state.code());
        }
        let refused = ApiError::InvalidCredentials {
            server: "https://ms".into(),
            detail: None,
        };
        assert_eq!(refused.remedy(), Some(Remedy::NewCredentials));
        let rejected = ApiError::QueryRejected {
            server: "https://ms".into(),
            message: "bad $filter".into(),
        };
        assert_eq!(rejected.remedy(), Some(Remedy::ChangeQuery));
    }
}
