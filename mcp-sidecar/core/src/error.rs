//! What can go wrong when talking to a Management Server, in terms a caller acts on.
//!
//! Every message names the server and says what to do next. No variant ever holds a
//! password, a token or an `Authorization` header: they are built from URLs, status
//! codes and the server's own error text only.

use std::fmt;
use std::time::Duration;

/// A failure talking to one Management Server.
///
/// Match on the variant (or on the stable [`ApiError::kind`] code across a process
/// boundary); show the `Display` text to people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The server refused the user name or password.
    #[error(
        "The username or password was not accepted by {server}. Check them, or run `novabackup-mcp login` again.{}",
        detail_suffix(.detail)
    )]
    InvalidCredentials {
        /// The server's base URL.
        server: String,
        /// The server's own explanation, when it gave one.
        detail: Option<String>,
    },

    /// No connection could be made (DNS failure, connection refused or reset).
    #[error(
        "Could not reach {server}. Check the address, including \"/managementserver\" at the end, and that the server is running. ({detail})"
    )]
    Unreachable {
        /// The server's base URL.
        server: String,
        /// The underlying network failure, e.g. "connection refused".
        detail: String,
    },

    /// The server did not answer in time (or the caller's deadline ran out).
    #[error("{server} did not answer within {}.", seconds(*.after))]
    Timeout {
        /// The server's base URL.
        server: String,
        /// How long the request was allowed to take.
        after: Duration,
    },

    /// The TLS handshake failed: the certificate is not trusted for this server.
    #[error("{}", tls_message(.server, .problem))]
    Tls {
        /// The server's base URL.
        server: String,
        /// What is wrong with the certificate.
        problem: TlsProblem,
    },

    /// The server rejected the query (a bad `$filter`, a `$top` over its limit, ...).
    /// `message` is the server's own text: it is what lets a model correct the query.
    #[error("{server} rejected the query: {message}")]
    QueryRejected {
        /// The server's base URL.
        server: String,
        /// The server's own message.
        message: String,
    },

    /// The entity or path does not exist, or this user may not see it.
    #[error("{path} was not found on {server}, or this user may not see it.{}", detail_suffix(.detail))]
    NotFound {
        /// The server's base URL.
        server: String,
        /// The API path that was asked for.
        path: String,
        /// The server's own message, when it gave one.
        detail: Option<String>,
    },

    /// The server answered with an error status that is not one of the above.
    #[error("{server} answered with HTTP {status}: {message}")]
    ServerError {
        /// The server's base URL.
        server: String,
        /// The HTTP status code.
        status: u16,
        /// The server's own message, or a short description of the status.
        message: String,
    },

    /// The server answered, but not in the shape the API promises.
    #[error(
        "{server} sent an answer this program does not understand (expected {expected}): {snippet}"
    )]
    UnexpectedResponse {
        /// The server's base URL.
        server: String,
        /// What was expected, e.g. "a JSON collection".
        expected: String,
        /// The start of what arrived, or where decoding failed.
        snippet: String,
    },

    /// The server's answer was larger than this program reads from one request
    /// ([`crate::client::MAX_RESPONSE_BYTES`]): it was not read to the end.
    #[error(
        "{server} sent an answer larger than {} MiB, so it was not read to the end. Ask for fewer \
         rows at a time ($top, a narrower $filter, $select); if that does not help, check the \
         address: a Management Server does not send this much at once.",
        .limit_bytes / (1024 * 1024)
    )]
    ResponseTooLarge {
        /// The server's base URL.
        server: String,
        /// The most this program reads from one answer, in bytes.
        limit_bytes: u64,
    },

    /// The server's `@odata.nextLink` could not be followed: it leads away from the
    /// server's API, or back to a page already read. Nothing was sent to where it
    /// points.
    #[error(
        "{server} sent an @odata.nextLink that {reason} ({link}). It was not followed and the \
         rows read so far were not used. This is a fault of the server or of something \
         between it and this computer: tell the server's administrator."
    )]
    BadNextLink {
        /// The server's base URL.
        server: String,
        /// The link as sent (cut to 200 characters).
        link: String,
        /// What is wrong with it, e.g. "points to another host".
        reason: String,
    },

    /// The server address is not a usable URL.
    #[error(
        "\"{url}\" is not a usable server address: {reason}. Use the full address, for example https://cmc.example.com/managementserver"
    )]
    InvalidUrl {
        /// The address as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The configured CA certificate file could not be used.
    #[error(
        "The CA certificate file {path} could not be used: {reason}. Check that it is a PEM file (\"-----BEGIN CERTIFICATE-----\")."
    )]
    CaCertificate {
        /// The file path as configured.
        path: String,
        /// What went wrong reading or parsing it.
        reason: String,
    },
}

/// Why a server's TLS certificate was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsProblem {
    /// Issued by an authority this computer does not trust (includes self-signed).
    UnknownIssuer,
    /// The certificate has expired (or is not valid yet).
    Expired,
    /// The certificate was issued for a different host name.
    WrongHostName,
    /// The certificate has been revoked.
    Revoked,
    /// Any other handshake failure, described.
    Other(String),
}

impl fmt::Display for TlsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownIssuer => f.write_str("issued by an unknown authority"),
            Self::Expired => f.write_str("the certificate has expired or is not valid yet"),
            Self::WrongHostName => f.write_str("the certificate is for a different host name"),
            Self::Revoked => f.write_str("the certificate has been revoked"),
            Self::Other(detail) => write!(f, "{detail}"),
        }
    }
}

impl ApiError {
    /// A stable snake_case code for this kind of failure, for programs and UIs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidCredentials { .. } => "invalid_credentials",
            Self::Unreachable { .. } => "unreachable",
            Self::Timeout { .. } => "timeout",
            Self::Tls { .. } => "tls",
            Self::QueryRejected { .. } => "query_rejected",
            Self::NotFound { .. } => "not_found",
            Self::ServerError { .. } => "server_error",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::ResponseTooLarge { .. } => "response_too_large",
            Self::BadNextLink { .. } => "bad_next_link",
            Self::InvalidUrl { .. } => "invalid_url",
            Self::CaCertificate { .. } => "ca_certificate",
        }
    }

    /// Whether trying again later might succeed without changing anything
    /// (network trouble, a timeout, a server-side failure): the errors that leave a
    /// server [`ServerState::Unreachable`](crate::server_state::ServerState).
    pub fn is_transient(&self) -> bool {
        crate::server_state::classify(self).retry() == crate::server_state::Retry::Backoff
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    match detail {
        Some(text) if !text.is_empty() => format!(" The server said: {text}"),
        _ => String::new(),
    }
}

fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{secs:.1} s")
    }
}

fn tls_message(server: &str, problem: &TlsProblem) -> String {
    match problem {
        TlsProblem::UnknownIssuer => format!(
            "This computer does not trust the certificate of {server} ({problem}). Ask for the server's CA certificate and add it to the server's settings."
        ),
        TlsProblem::Expired => format!(
            "The certificate of {server} is not valid at this time ({problem}). Check this computer's clock, or ask the server's administrator to renew the certificate."
        ),
        TlsProblem::WrongHostName => format!(
            "The certificate of {server} does not match its address ({problem}). Use the host name the certificate was issued for."
        ),
        TlsProblem::Revoked => format!(
            "The certificate of {server} was refused ({problem}). Ask the server's administrator for a new certificate."
        ),
        TlsProblem::Other(_) => format!(
            "A secure connection to {server} could not be set up: {problem}. Check the address and the server's certificate."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "https://cmc.example.com/managementserver";

    #[test]
    fn messages_say_what_to_do() {
        let cases = [
            (
                ApiError::InvalidCredentials {
                    server: SERVER.into(),
                    detail: None,
                },
                "run `novabackup-mcp login` again",
            ),
            (
                ApiError::Unreachable {
                    server: SERVER.into(),
                    detail: "connection refused".into(),
                },
                "including \"/managementserver\" at the end",
            ),
            (
                ApiError::Timeout {
                    server: SERVER.into(),
                    after: Duration::from_secs(10),
                },
                "did not answer within 10 s.",
            ),
            (
                ApiError::Tls {
                    server: SERVER.into(),
                    problem: TlsProblem::UnknownIssuer,
                },
                "(issued by an unknown authority). Ask for the server's CA certificate",
            ),
        ];
        for (error, expected) in cases {
            let text = error.to_string();
            assert!(text.contains(SERVER), "{text} should name the server");
            assert!(text.contains(expected), "{text} should contain {expected}");
        }
    }

    #[test]
    fn kinds_are_stable_codes() {
        let error = ApiError::QueryRejected {
            server: SERVER.into(),
            message: "bad".into(),
        };
        assert_eq!(error.kind(), "query_rejected");
        let error = ApiError::ServerError {
            server: SERVER.into(),
            status: 503,
            message: "down".into(),
        };
        assert_eq!(error.kind(), "server_error");
        assert!(error.is_transient());
    }

    #[test]
    fn fractional_timeouts_show_a_decimal() {
        assert_eq!(seconds(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(seconds(Duration::from_secs(3)), "3 s");
    }
}
