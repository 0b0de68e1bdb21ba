//! Logging in and keeping the token fresh.
//!
//! The token lives in a [`TokenCell`]: readers take it without waiting; when it is
//! missing or due for refresh, callers queue on one async gate and only the first
//! one logs in, the rest reuse its token (single flight).

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use tokio::time::Instant;

use super::message::server_message;
use super::{Deadline, ManagementClient};
use crate::error::ApiError;

/// How long a token without `exp` is assumed to live.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// How long before expiry a token is refreshed (at most; see [`refresh_margin`]).
const REFRESH_LEEWAY: Duration = Duration::from_secs(30);

/// What is known about the current token (never the token itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// When the server said the token expires (or five minutes after login when it
    /// did not say).
    pub expires_at: DateTime<Utc>,
    /// When this program logged in to get it.
    pub obtained_at: DateTime<Utc>,
}

/// A token and when to replace it.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) secret: SecretString,
    pub(crate) generation: u64,
    refresh_at: Instant,
    info: TokenInfo,
}

/// The current token of one client, and the gate that makes logins single-flight.
#[derive(Default)]
pub(crate) struct TokenCell {
    current: RwLock<Option<Token>>,
    gate: tokio::sync::Mutex<()>,
    generations: AtomicU64,
}

impl TokenCell {
    fn fresh(&self) -> Option<Token> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .filter(|token| Instant::now() < token.refresh_at)
            .cloned()
    }

    fn store(&self, token: Token) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(token);
    }

    fn clear(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Drops the token only if it is still the one a failed request used.
    fn clear_if(&self, generation: u64) {
        let mut guard = self.current.write().unwrap_or_else(|e| e.into_inner());
        if guard.as_ref().is_some_and(|t| t.generation == generation) {
            *guard = None;
        }
    }

    fn info(&self) -> Option<TokenInfo> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(|token| token.info)
    }
}

impl ManagementClient {
    /// Logs in now, whatever the state of the current token, and keeps the new
    /// token. Use it to test a server's address and credentials.
    pub async fn login(&self, deadline: Deadline) -> Result<TokenInfo, ApiError> {
        let cell = &self.inner.token;
        let _gate = tokio::time::timeout_at(deadline.instant(), cell.gate.lock())
            .await
            .map_err(|_| self.timeout_error(deadline.budget()))?;
        let token = self.authenticate(deadline).await?;
        let info = token.info;
        cell.store(token);
        Ok(info)
    }

    /// What is known about the current token, if there is one.
    pub fn token_info(&self) -> Option<TokenInfo> {
        self.inner.token.info()
    }

    /// Drops the current token; the next call logs in again.
    pub fn forget_token(&self) {
        self.inner.token.clear();
    }

    /// A token that is not due for refresh, logging in if needed (one login at a
    /// time, shared by every waiting caller).
    pub(crate) async fn valid_token(&self, deadline: Deadline) -> Result<Token, ApiError> {
        let cell = &self.inner.token;
        if let Some(token) = cell.fresh() {
            return Ok(token);
        }
        let gate = tokio::time::timeout_at(deadline.instant(), cell.gate.lock())
            .await
            .map_err(|_| self.timeout_error(deadline.budget()))?;
        if let Some(token) = cell.fresh() {
            return Ok(token);
        }
        let token = self.authenticate(deadline).await?;
        cell.store(token.clone());
        drop(gate);
        Ok(token)
    }

    /// Forgets a token the server refused, unless another caller already replaced it.
    pub(crate) fn token_refused(&self, generation: u64) {
        self.inner.token.clear_if(generation);
    }

    /// `POST api/Account/Authenticate` and read the JWT. Connection failures and
    /// 429/502/503/504 are retried like reads; a refusal (401) never is.
    async fn authenticate(&self, deadline: Deadline) -> Result<Token, ApiError> {
        let url = self.api_url("Account/Authenticate")?;
        let credentials = &self.inner.credentials;
        let body = serde_json::json!({
            "UserName": credentials.username,
            "Password": credentials.password.expose_secret(),
        });
        let body = SecretString::from(body.to_string());
        let http = &self.inner.http;
        let reply = self
            .send(deadline, || {
                http.post(url.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .header(ACCEPT, "text/plain")
                    .body(body.expose_secret().to_owned())
            })
            .await?;
        let status = reply.status.as_u16();
        if matches!(status, 400 | 401 | 403) {
            let detail = server_message(&reply.body)
                .map(|text| scrub(&text, credentials.password.expose_secret()));
            return Err(ApiError::InvalidCredentials {
                server: self.server().to_owned(),
                detail,
            });
        }
        if matches!(status, 404 | 405) {
            // Nothing answers logins here: most often "/managementserver" is missing.
            return Err(ApiError::Unreachable {
                server: self.server().to_owned(),
                detail: format!(
                    "no Management Server API at this address: HTTP {status} for api/Account/Authenticate"
                ),
            });
        }
        if !reply.status.is_success() {
            return Err(self.status_error("Account/Authenticate", &reply));
        }
        let text = String::from_utf8_lossy(&reply.body);
        let jwt = token_of(&text).map_err(|what| ApiError::UnexpectedResponse {
            server: self.server().to_owned(),
            expected: "a token as plain text after logging in".into(),
            snippet: what.to_owned(),
        })?;
        let now = Utc::now();
        let (expires_at, lifetime) = lifetime_of(jwt, now);
        let token = Token {
            secret: SecretString::from(jwt.to_owned()),
            generation: self.inner.token.generations.fetch_add(1, Ordering::Relaxed) + 1,
            refresh_at: Instant::now() + lifetime.saturating_sub(refresh_margin(lifetime)),
            info: TokenInfo {
                expires_at,
                obtained_at: now,
            },
        };
        tracing::debug!(server = self.server(), %expires_at, "logged in");
        Ok(token)
    }
}

/// When a token obtained at `now` expires (its `exp`, or [`DEFAULT_LIFETIME`] from now
/// when it has none), and how long that is from `now` (zero when already past).
pub(crate) fn lifetime_of(jwt: &str, now: DateTime<Utc>) -> (DateTime<Utc>, Duration) {
    let expires_at = jwt_expiry(jwt).unwrap_or(now + DEFAULT_LIFETIME);
    let lifetime = (expires_at - now).to_std().unwrap_or(Duration::ZERO);
    (expires_at, lifetime)
}

/// How long before expiry to refresh: 30 s, or a quarter of a short token's life.
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    REFRESH_LEEWAY.min(lifetime / 4)
}

/// The token text of a login answer: trimmed, and without one pair of surrounding
/// double quotes.
pub(crate) fn strip_token_text(text: &str) -> &str {
    let text = text.trim();
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .map_or(text, str::trim)
}

/// The token in a login answer: [`strip_token_text`], then only the visible ASCII
/// characters an `Authorization` header can carry (a JWT is base64url and dots).
/// The error describes what arrived instead, without quoting it.
pub(crate) fn token_of(text: &str) -> Result<&str, &'static str> {
    let jwt = strip_token_text(text);
    if jwt.is_empty() {
        Err("(an empty answer)")
    } else if !jwt.bytes().all(|b| b.is_ascii_graphic()) {
        Err("(text that is not a token)")
    } else {
        Ok(jwt)
    }
}

/// The `exp` claim of a JWT (seconds since the epoch), if it has one.
pub(crate) fn jwt_expiry(jwt: &str) -> Option<DateTime<Utc>> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    DateTime::from_timestamp(seconds, 0)
}

/// Replaces any occurrence of a secret in server-provided text.
fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn expiry_comes_from_the_payload() {
        let token = jwt(r#"{"sub":"alice","exp":1777000000}"#);
        assert_eq!(jwt_expiry(&token).unwrap().timestamp(), 1_777_000_000);
        let fractional = jwt(r#"{"exp":1777000000.5}"#);
        assert_eq!(jwt_expiry(&fractional).unwrap().timestamp(), 1_777_000_000);
    }

    #[test]
    fn no_exp_or_no_jwt_gives_none() {
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"alice"}"#)), None);
        assert_eq!(jwt_expiry("opaque-token"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
    }

    #[test]
    fn token_text_is_trimmed_and_unquoted() {
        assert_eq!(strip_token_text("  abc.def.ghi\r\n"), "abc.def.ghi");
        assert_eq!(strip_token_text("\"abc.def.ghi\""), "abc.def.ghi");
        assert_eq!(strip_token_text(" \"abc\" \n"), "abc");
        assert_eq!(strip_token_text("\"unbalanced"), "\"unbalanced");
    }

    #[test]
    fn only_header_safe_text_is_a_token() {
        assert_eq!(token_of(" \"abc.def.ghi\"\n"), Ok("abc.def.ghi"));
        assert_eq!(token_of("  "), Err("(an empty answer)"));
        for bad in [
            "two words",
            "tab\tin",
            "bell\u{7}",
            "caf\u{e9}",
            "nul\0",
            "<html>\n<body>",
        ] {
            assert_eq!(token_of(bad), Err("(text that is not a token)"), "{bad:?}");
        }
    }

    #[test]
    fn refresh_margin_is_30_s_or_a_quarter_of_a_short_life() {
        assert_eq!(
            refresh_margin(Duration::from_secs(3600)),
            Duration::from_secs(30)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(2)),
            Duration::from_millis(500)
        );
        assert_eq!(refresh_margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn secrets_are_scrubbed_from_server_text() {
        assert_eq!(
            scrub("bad password s3cret", "s3cret"),
            "bad password <redacted>"
        );
        assert_eq!(scrub("nothing here", ""), "nothing here");
    }
}
