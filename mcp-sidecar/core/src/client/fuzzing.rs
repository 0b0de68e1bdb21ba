//! Entry points for the fuzz targets in `mcp-sidecar/core/fuzz`, compiled only with
//! the `fuzzing` feature: the client's readers of what a server sends, which are not
//! public API otherwise. Each is the very function the client uses.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{ManagementClient, Page};
use crate::error::ApiError;
use crate::odata::Query;

/// The longest server message kept, in characters (an ellipsis follows when cut).
pub const MESSAGE_LIMIT: usize = super::message::MESSAGE_LIMIT;

/// The token in a login answer's text, or why it is not one.
pub fn token_of(text: &str) -> Result<&str, &'static str> {
    super::token::token_of(text)
}

/// The `exp` claim of a JWT.
pub fn jwt_expiry(jwt: &str) -> Option<DateTime<Utc>> {
    super::token::jwt_expiry(jwt)
}

/// When a token obtained at `now` expires and how long it lives.
pub fn lifetime_of(jwt: &str, now: DateTime<Utc>) -> (DateTime<Utc>, Duration) {
    super::token::lifetime_of(jwt, now)
}

/// How long before expiry a token of this lifetime is refreshed.
pub fn refresh_margin(lifetime: Duration) -> Duration {
    super::token::refresh_margin(lifetime)
}

/// The server's own message in an error body.
pub fn server_message(body: &[u8]) -> Option<String> {
    super::message::server_message(body)
}

/// A success body read as the client reads it (UTF-8, nesting, JSON), the problem
/// described otherwise.
pub fn read_json(body: &[u8]) -> Result<Value, String> {
    super::http::read_json(body).map_err(|problem| format!("{problem:?}"))
}

/// The page a collection answer holds, for a request with `query`.
pub fn page_from_body(
    client: &ManagementClient,
    path: &str,
    body: Value,
    query: &Query,
) -> Result<Page, ApiError> {
    client.page_from_body(path, body, query)
}
