//! The HTTP client for a server: the operating system's trust store plus an
//! optional CA certificate, and TLS failures explained.
//!
//! reqwest's rustls backend verifies with `rustls-platform-verifier`; certificates
//! added with `tls_certs_merge` become that verifier's extra roots, so a private CA
//! is trusted next to the system's, not instead of them. There is deliberately no
//! way to turn verification off.
//!
//! Servers that trust the same CA (or only the system's) with the same connect
//! timeout share one HTTP client: its connection pool is kept per host, and its
//! certificate verifier, with the system's roots loaded, is built once rather than
//! once per server. The key is the CA file's content, not its path, so a renewed CA
//! file is picked up by the next client made.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use rustls::CertificateError;

use super::ClientSettings;
use crate::error::{ApiError, TlsProblem};

/// What makes two servers' HTTP clients interchangeable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Trust {
    connect_timeout: Duration,
    ca_pem: Option<Vec<u8>>,
}

/// The HTTP clients made so far, one per distinct trust.
static SHARED: LazyLock<Mutex<HashMap<Trust, reqwest::Client>>> = LazyLock::new(Mutex::default);

/// The HTTP client for a server with these settings: shared with every other server
/// that trusts the same, built on first use.
pub(crate) fn http_client(settings: &ClientSettings) -> Result<reqwest::Client, ApiError> {
    let ca_pem = match &settings.ca_certificate {
        None => None,
        Some(path) => Some(
            std::fs::read(path).map_err(|error| ApiError::CaCertificate {
                path: path.display().to_string(),
                reason: error.to_string(),
            })?,
        ),
    };
    let trust = Trust {
        connect_timeout: settings.connect_timeout,
        ca_pem,
    };
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(client) = shared.get(&trust) {
        return Ok(client.clone());
    }
    let client = build(settings, &trust)?;
    shared.insert(trust, client.clone());
    Ok(client)
}

fn build(settings: &ClientSettings, trust: &Trust) -> Result<reqwest::Client, ApiError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(trust.connect_timeout)
        .user_agent(concat!("novabackup-mcp/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none());
    if let (Some(path), Some(pem)) = (&settings.ca_certificate, &trust.ca_pem) {
        let shown = path.display().to_string();
        let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|error| {
            ApiError::CaCertificate {
                path: shown.clone(),
                reason: error.to_string(),
            }
        })?;
        if certificates.is_empty() {
            return Err(ApiError::CaCertificate {
                path: shown,
                reason: "it holds no certificate".into(),
            });
        }
        builder = builder.tls_certs_merge(certificates);
    }
    builder.build().map_err(|error| ApiError::CaCertificate {
        path: settings
            .ca_certificate
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |p| p.display().to_string()),
        reason: format!("the TLS setup failed: {}", error_chain(&error)),
    })
}

/// The certificate problem behind a failed request, if it was one.
pub(crate) fn tls_problem(error: &(dyn StdError + 'static)) -> Option<TlsProblem> {
    causes(error).find_map(|cause| rustls_error(cause).map(problem_of))
}

/// An error and every cause below it. Unlike `source()`, this steps into an
/// `io::Error` to the error it wraps (`io::Error::source` skips that one, and TLS
/// failures arrive as an `io::Error` inside another).
pub(crate) fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(
        Some(error),
        |&current: &&'a (dyn StdError + 'static)| match current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => current.source(),
        },
    )
}

fn rustls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    error.downcast_ref::<rustls::Error>()
}

fn problem_of(error: &rustls::Error) -> TlsProblem {
    match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::UnknownIssuer => TlsProblem::UnknownIssuer,
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => TlsProblem::Expired,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsProblem::WrongHostName
            }
            CertificateError::Revoked => TlsProblem::Revoked,
            other => TlsProblem::Other(format!("invalid certificate ({other:?})")),
        },
        other => TlsProblem::Other(other.to_string()),
    }
}

/// An error and its causes on one line, for details in messages.
pub(crate) fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error.source();
    while let Some(cause) = current {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustls_errors_map_to_problems_even_inside_io_errors() {
        let wrapped = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        ));
        assert_eq!(tls_problem(&wrapped), Some(TlsProblem::UnknownIssuer));
        let expired = rustls::Error::InvalidCertificate(CertificateError::Expired);
        assert_eq!(tls_problem(&expired), Some(TlsProblem::Expired));
        let name = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert_eq!(tls_problem(&name), Some(TlsProblem::WrongHostName));
        let plain = std::io::Error::other("connection reset");
        assert_eq!(tls_problem(&plain), None);
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let settings = ClientSettings {
            ca_certificate: Some(missing),
            ..ClientSettings::default()
        };
        let error = http_client(&settings).unwrap_err();
        assert_eq!(error.kind(), "ca_certificate");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate").unwrap();
        let settings = ClientSettings {
            ca_certificate: Some(empty),
            ..ClientSettings::default()
        };
        let error = http_client(&settings).unwrap_err();
        assert!(error.to_string().contains("PEM"), "{error}");
    }
}
