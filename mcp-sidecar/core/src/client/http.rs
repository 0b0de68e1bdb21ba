//! Sending one request: time limits, bounded retries with backoff, the token, and
//! turning statuses and network failures into [`ApiError`]s.
//!
//! Every attempt runs inside the caller's future (no spawned tasks), so dropping
//! that future aborts the request.

use std::error::Error as StdError;
use std::time::Duration;

use rand::Rng;
use reqwest::header::{ACCEPT, HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::Value;
use url::Url;

use super::message::{server_message, truncate};
use super::tls::{causes, error_chain, tls_problem};
use super::{Deadline, ManagementClient};
use crate::error::ApiError;

/// The first retry waits about this long; each further one doubles it.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
/// No single wait between retries is longer than this.
const BACKOFF_CAP: Duration = Duration::from_secs(5);
/// How much of an unexpected body to quote in an error.
const SNIPPET_LIMIT: usize = 200;

/// The largest answer read from one request, in bytes: a Management Server's biggest
/// page (thousands of job runs) is a few megabytes, so anything above this is a fault
/// or an attack, and it is not read further ([`ApiError::ResponseTooLarge`]).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// How deeply nested a JSON answer may be (serde_json's own limit).
pub(crate) const MAX_JSON_DEPTH: usize = 128;

/// Why reading an answer stopped before it was complete.
enum Failure {
    Network(reqwest::Error),
    TooLarge,
}

/// What is wrong with a body that should be JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyProblem {
    /// Bytes that are not UTF-8, the first at this offset.
    NotUtf8 { at: usize },
    /// Nested deeper than [`MAX_JSON_DEPTH`].
    TooDeep,
    /// Not JSON (truncated, HTML, ...).
    NotJson,
}

/// Parses an answer's body as JSON, telling apart the ways it can fail.
pub(crate) fn read_json(body: &[u8]) -> Result<Value, BodyProblem> {
    let text = std::str::from_utf8(body).map_err(|error| BodyProblem::NotUtf8 {
        at: error.valid_up_to(),
    })?;
    serde_json::from_str(text).map_err(|error| {
        // serde_json stops at its recursion limit with this message (and no category of its own).
        if error.to_string().starts_with("recursion limit exceeded") {
            BodyProblem::TooDeep
        } else {
            BodyProblem::NotJson
        }
    })
}

/// A complete answer: status, headers and the whole body.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl ManagementClient {
    /// `{base}/api/{path}`; `path` may start with `/` or `api/`. A path that would
    /// leave the API (another host, `..`) is refused: the token goes only there.
    pub(crate) fn api_url(&self, path: &str) -> Result<Url, ApiError> {
        let path = path.trim().trim_start_matches('/');
        let path = path.strip_prefix("api/").unwrap_or(path);
        let invalid = |reason: String| ApiError::InvalidUrl {
            url: format!("{}/api/{path}", self.server()),
            reason,
        };
        let url = self
            .inner
            .api_root
            .join(path)
            .map_err(|error| invalid(error.to_string()))?;
        if !self.within_api(&url) {
            return Err(invalid(format!(
                "the path leaves the server's API ({})",
                self.inner.api_root
            )));
        }
        Ok(url)
    }

    /// Whether `url` is on this server (scheme, host, port) and below `{base}/api/`.
    pub(crate) fn within_api(&self, url: &Url) -> bool {
        let root = &self.inner.api_root;
        url.scheme() == root.scheme()
            && url.host_str() == root.host_str()
            && url.port_or_known_default() == root.port_or_known_default()
            && url
                .path()
                .to_ascii_lowercase()
                .starts_with(&root.path().to_ascii_lowercase())
    }

    /// GETs `url` with the token and returns the JSON body. A 401 drops the token,
    /// logs in again and retries once.
    pub(crate) async fn get_json(
        &self,
        url: &Url,
        path: &str,
        deadline: Deadline,
    ) -> Result<Value, ApiError> {
        let http = &self.inner.http;
        let mut logged_in_again = false;
        loop {
            let token = self.valid_token(deadline).await?;
            let reply = self
                .send(deadline, || {
                    use secrecy::ExposeSecret;
                    http.get(url.clone())
                        .bearer_auth(token.secret.expose_secret())
                        .header(ACCEPT, "application/json")
                })
                .await?;
            if reply.status == StatusCode::UNAUTHORIZED && !logged_in_again {
                tracing::debug!(server = self.server(), "token refused; logging in again");
                self.token_refused(token.generation);
                logged_in_again = true;
                continue;
            }
            if !reply.status.is_success() {
                return Err(self.status_error(path, &reply));
            }
            return self.json_body(&reply.body);
        }
    }

    /// Sends a request built by `build`, retrying connection failures and
    /// 429/502/503/504 up to `max_retries` times when the wait fits before the
    /// deadline. Any other status is returned as it came.
    pub(crate) async fn send(
        &self,
        deadline: Deadline,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Reply, ApiError> {
        let max_retries = self.inner.settings.max_retries;
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(deadline, build()).await;
            let retry_after = match &outcome {
                Ok(reply) if is_retryable_status(reply.status) => Some(retry_after(&reply.headers)),
                Err(ApiError::Unreachable { .. }) => Some(None),
                _ => None,
            };
            let Some(retry_after) = retry_after else {
                return outcome;
            };
            if attempt >= max_retries {
                return outcome;
            }
            let wait = retry_after.unwrap_or_else(|| backoff(attempt));
            if wait >= deadline.remaining() {
                return outcome;
            }
            tracing::debug!(server = self.server(), attempt, ?wait, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt, bounded by the request timeout and the deadline.
    async fn attempt(
        &self,
        deadline: Deadline,
        request: RequestBuilder,
    ) -> Result<Reply, ApiError> {
        let limit = self
            .inner
            .settings
            .request_timeout
            .min(deadline.remaining());
        if limit.is_zero() {
            return Err(self.timeout_error(deadline.budget()));
        }
        let exchange = async {
            let mut response = request.send().await.map_err(Failure::Network)?;
            let status = response.status();
            let headers = response.headers().clone();
            let announced = response.content_length().unwrap_or(0);
            if announced > MAX_RESPONSE_BYTES as u64 {
                return Err(Failure::TooLarge);
            }
            // Read piece by piece so that an endless answer stops at the limit.
            let mut body = Vec::with_capacity(announced as usize);
            while let Some(chunk) = response.chunk().await.map_err(Failure::Network)? {
                if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(Failure::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Reply {
                status,
                headers,
                body,
            })
        };
        match tokio::time::timeout(limit, exchange).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(Failure::Network(error))) => Err(self.network_error(&error, limit)),
            Ok(Err(Failure::TooLarge)) => Err(ApiError::ResponseTooLarge {
                server: self.server().to_owned(),
                limit_bytes: MAX_RESPONSE_BYTES as u64,
            }),
            Err(_) => Err(self.timeout_error(limit)),
        }
    }

    /// A network failure as an [`ApiError`].
    fn network_error(&self, error: &reqwest::Error, limit: Duration) -> ApiError {
        let server = self.server().to_owned();
        if let Some(problem) = tls_problem(error) {
            return ApiError::Tls { server, problem };
        }
        if error.is_timeout() {
            let after = if error.is_connect() {
                self.inner.settings.connect_timeout.min(limit)
            } else {
                limit
            };
            return ApiError::Timeout { server, after };
        }
        ApiError::Unreachable {
            server,
            detail: network_detail(error),
        }
    }

    pub(crate) fn timeout_error(&self, after: Duration) -> ApiError {
        ApiError::Timeout {
            server: self.server().to_owned(),
            after,
        }
    }

    /// A non-success status as an [`ApiError`] carrying the server's message.
    pub(crate) fn status_error(&self, path: &str, reply: &Reply) -> ApiError {
        let server = self.server().to_owned();
        let message = server_message(&reply.body);
        let status = reply.status;
        match status.as_u16() {
            400 => ApiError::QueryRejected {
                server,
                message: message.unwrap_or_else(|| "HTTP 400 Bad Request, with no explanation".into()),
            },
            404 => ApiError::NotFound {
                server,
                path: path.to_owned(),
                detail: message,
            },
            401 => ApiError::ServerError {
                server,
                status: 401,
                message: message.unwrap_or_else(|| {
                    "the server refused the request even after a fresh login; check this user's role".into()
                }),
            },
            code @ 300..=399 => {
                let location = reply
                    .headers
                    .get(LOCATION)
                    .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                    .unwrap_or_else(|| "nowhere".into());
                ApiError::ServerError {
                    server,
                    status: code,
                    message: format!(
                        "it redirects to {}, which this program does not follow (the login token \
                         goes only to the address you gave); if the server has moved, change its \
                         address",
                        truncate(&location, SNIPPET_LIMIT)
                    ),
                }
            }
            code => ApiError::ServerError {
                server,
                status: code,
                message: message.unwrap_or_else(|| {
                    status.canonical_reason().unwrap_or("no explanation").to_owned()
                }),
            },
        }
    }

    /// A success body as JSON; what is wrong with it otherwise (not UTF-8, nested too
    /// deeply, not JSON) as an [`ApiError::UnexpectedResponse`].
    fn json_body(&self, body: &[u8]) -> Result<Value, ApiError> {
        read_json(body).map_err(|problem| match problem {
            BodyProblem::NotUtf8 { at } => ApiError::UnexpectedResponse {
                server: self.server().to_owned(),
                expected: "UTF-8 text".into(),
                snippet: format!("bytes that are not UTF-8 at byte {at} of {}", body.len()),
            },
            BodyProblem::TooDeep => ApiError::UnexpectedResponse {
                server: self.server().to_owned(),
                expected: format!("JSON nested at most {MAX_JSON_DEPTH} levels deep"),
                snippet: "JSON nested deeper than that".into(),
            },
            BodyProblem::NotJson => self.unexpected("JSON", body),
        })
    }

    /// An answer that is not what the API promises.
    pub(crate) fn unexpected(&self, expected: &str, body: &[u8]) -> ApiError {
        // Only the start is quoted: no need to convert a huge body to show 200 characters.
        let head = &body[..body.len().min(SNIPPET_LIMIT * 4)];
        let text = String::from_utf8_lossy(head);
        let text = text.trim();
        ApiError::UnexpectedResponse {
            server: self.server().to_owned(),
            expected: expected.to_owned(),
            snippet: if text.is_empty() {
                "(an empty answer)".into()
            } else {
                truncate(text, SNIPPET_LIMIT)
            },
        }
    }
}

fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by this server).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Exponential backoff with jitter: about 250 ms, 500 ms, 1 s, ... (±50 %), capped.
fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_BASE
        .saturating_mul(1 << attempt.min(16))
        .min(BACKOFF_CAP);
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

/// A short description of why a connection failed ("connection refused").
fn network_detail(error: &reqwest::Error) -> String {
    let mut innermost: &(dyn StdError + 'static) = error;
    for cause in causes(error) {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            let known = match io.kind() {
                ConnectionRefused => Some("connection refused"),
                ConnectionReset => Some("connection reset"),
                ConnectionAborted => Some("connection aborted"),
                UnexpectedEof => Some("the connection closed before an answer"),
                _ => None,
            };
            if let Some(known) = known {
                return known.to_owned();
            }
        }
        innermost = cause;
    }
    let chain = error_chain(error).to_ascii_lowercase();
    if chain.contains("dns")
        || chain.contains("failed to lookup")
        || chain.contains("name or service not known")
    {
        return "the host name could not be found (DNS)".into();
    }
    innermost.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn paths_cannot_leave_the_api() {
        use crate::client::{ClientSettings, Credentials};
        let client = ManagementClient::new(
            "https://cmc.example.com/managementserver",
            Credentials::new("a", secrecy::SecretString::from("p".to_owned())),
            &ClientSettings::default(),
        )
        .unwrap();
        for (path, expected) in [
            (
                "Agents",
                "https://cmc.example.com/managementserver/api/Agents",
            ),
            (
                "/api/Agents(12)/Devices",
                "https://cmc.example.com/managementserver/api/Agents(12)/Devices",
            ),
            (
                "JobHistories(7)/Log",
                "https://cmc.example.com/managementserver/api/JobHistories(7)/Log",
            ),
        ] {
            assert_eq!(client.api_url(path).unwrap().as_str(), expected);
        }
        for path in [
            "https://evil.example.com/api/Agents",
            "../../x",
            "Agents/../../../x",
        ] {
            let error = client.api_url(path).unwrap_err();
            assert_eq!(error.kind(), "invalid_url", "{path}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for attempt in 0..20 {
            let wait = backoff(attempt);
            let nominal = BACKOFF_BASE
                .saturating_mul(1 << attempt.min(16))
                .min(BACKOFF_CAP);
            assert!(
                wait >= nominal / 2 && wait <= nominal.mul_f64(1.5),
                "{attempt}: {wait:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2026 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_overload_statuses_are_retried() {
        for code in [429, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(code).unwrap()));
        }
        for code in [400, 401, 404, 500, 501] {
            assert!(!is_retryable_status(StatusCode::from_u16(code).unwrap()));
        }
    }
}
