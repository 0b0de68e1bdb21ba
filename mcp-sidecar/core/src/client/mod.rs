//! The Management Server API client: one per server, cheap to clone, safe to share.
//!
//! It logs in with the user's own credentials, keeps the token fresh (one login at a
//! time, however many calls are waiting), retries what is safe to retry, bounds every
//! request by the caller's [`Deadline`] and turns every failure into an [`ApiError`].

mod deadline;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod http;
mod message;
mod paging;
mod tls;
mod token;

pub use deadline::Deadline;
pub use http::MAX_RESPONSE_BYTES;
pub use paging::Page;
pub use token::TokenInfo;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::error::ApiError;
use token::TokenCell;

/// A user name and password for one Management Server.
#[derive(Clone)]
pub struct Credentials {
    /// The console user name.
    pub username: String,
    /// The password; never printed, zeroized when dropped.
    pub password: SecretString,
}

impl Credentials {
    /// Bundles a user name and password.
    pub fn new(username: impl Into<String>, password: SecretString) -> Self {
        Self {
            username: username.into(),
            password,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Time limits, retries and trust settings for one server's client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    /// How long to wait for a TCP and TLS connection (default 5 s).
    pub connect_timeout: Duration,
    /// How long one request may take, body included (default 10 s).
    pub request_timeout: Duration,
    /// Retries of a read after a connection failure or a 429/502/503/504 (default 2).
    pub max_retries: u32,
    /// A PEM file with the CA certificate(s) to trust for this server, in addition
    /// to the operating system's trust store.
    pub ca_certificate: Option<PathBuf>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_retries: 2,
            ca_certificate: None,
        }
    }
}

/// A client for one Management Server. Clones share the connection pool and token.
#[derive(Clone)]
pub struct ManagementClient {
    inner: Arc<Inner>,
}

struct Inner {
    /// The base URL as the user knows it (`https://host/managementserver`).
    base: Url,
    /// `{base}/api/`, the root every path is joined to.
    api_root: Url,
    /// The base URL as text without a trailing slash, for messages.
    server: String,
    credentials: Credentials,
    settings: ClientSettings,
    http: reqwest::Client,
    token: TokenCell,
}

impl ManagementClient {
    /// Makes a client for the server at `base_url` (which includes any virtual
    /// directory, e.g. `https://cmc.example.com/managementserver`). Nothing is sent
    /// until the first call. Fails on an unusable URL or CA certificate file.
    pub fn new(
        base_url: &str,
        credentials: Credentials,
        settings: &ClientSettings,
    ) -> Result<Self, ApiError> {
        let base = parse_base_url(base_url)?;
        let server = base.as_str().trim_end_matches('/').to_owned();
        let api_root =
            Url::parse(&format!("{server}/api/")).map_err(|error| ApiError::InvalidUrl {
                url: base_url.to_owned(),
                reason: error.to_string(),
            })?;
        let http = tls::http_client(settings)?;
        Ok(Self {
            inner: Arc::new(Inner {
                base,
                api_root,
                server,
                credentials,
                settings: settings.clone(),
                http,
                token: TokenCell::default(),
            }),
        })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The user name this client logs in with.
    pub fn username(&self) -> &str {
        &self.inner.credentials.username
    }

    /// The settings this client was made with.
    pub fn settings(&self) -> &ClientSettings {
        &self.inner.settings
    }

    /// The base URL as text, as it appears in messages.
    fn server(&self) -> &str {
        &self.inner.server
    }
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClient")
            .field("base_url", &self.inner.server)
            .field("username", &self.inner.credentials.username)
            .field("settings", &self.inner.settings)
            .field("token", &self.token_info())
            .finish_non_exhaustive()
    }
}

/// Checks a server address and normalises it: http(s), a host, no credentials, no
/// query; a trailing `/` or `/api` is dropped.
fn parse_base_url(text: &str) -> Result<Url, ApiError> {
    let invalid = |reason: &str| ApiError::InvalidUrl {
        url: redact_userinfo(text),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(text.trim()).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("it must start with https:// (or http://)"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it must not contain a user name or password (enter those separately)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not contain '?' or '#'"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let path = path
        .strip_suffix("/api")
        .or_else(|| path.strip_suffix("/API"))
        .unwrap_or(&path)
        .to_owned();
    url.set_path(if path.is_empty() { "/" } else { &path });
    Ok(url)
}

/// Hides `user:password@` in an address that is about to appear in a message.
fn redact_userinfo(text: &str) -> String {
    match (text.find("://"), text.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let host_part = &text[at + 1..];
            let slash = host_part.find('/').unwrap_or(host_part.len());
            if text[scheme_end + 3..at].contains('/') || slash == 0 {
                text.to_owned()
            } else {
                format!("{}://<redacted>@{}", &text[..scheme_end], host_part)
            }
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn client(url: &str) -> Result<ManagementClient, ApiError> {
        ManagementClient::new(
            url,
            Credentials::new("alice", SecretString::from("pa55-word")),
            &ClientSettings::default(),
        )
    }

    #[test]
    fn base_urls_are_normalised() {
        for (given, expected) in [
            (
                "https://cmc.example.com/managementserver",
                "https://cmc.example.com/managementserver",
            ),
            (
                "https://cmc.example.com/managementserver/",
                "https://cmc.example.com/managementserver",
            ),
            (
                "https://cmc.example.com/ManagementServer/api/",
                "https://cmc.example.com/ManagementServer",
            ),
            ("  http://127.0.0.1:8080  ", "http://127.0.0.1:8080/"),
        ] {
            let client = client(given).unwrap();
            assert_eq!(client.base_url().as_str(), expected, "{given}");
        }
        let client = client("https://h/managementserver").unwrap();
        assert_eq!(
            client.inner.api_root.as_str(),
            "https://h/managementserver/api/"
        );
    }

    #[test]
    fn unusable_urls_are_refused_with_a_reason() {
        for bad in [
            "cmc.example.com",
            "ftp://h/x",
            "https://h/x?y=1",
            "https://",
            "mailto:a@b",
        ] {
            let error = client(bad).unwrap_err();
            assert_eq!(error.kind(), "invalid_url", "{bad}: {error}");
        }
    }

    #[test]
    fn credentials_in_the_url_are_refused_and_not_echoed() {
        let error = client("https://bob:hunter2@cmc.example.com/managementserver").unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains("must not contain a user name or password"),
            "{text}"
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let client = client("https://cmc.example.com/managementserver").unwrap();
        let text = format!("{client:?} {:?}", client.inner.credentials);
        assert!(!text.contains("pa55-word"), "{text}");
        assert!(text.contains("alice"), "{text}");
    }

    #[test]
    fn the_client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
        assert_send_sync::<ManagementClient>();
        let one = client("https://h/m").unwrap();
        let two = one.clone();
        assert!(Arc::ptr_eq(&one.inner, &two.inner));
    }
}
