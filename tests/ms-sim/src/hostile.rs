//! The answers of [`Hostile`] faults: bodies too big, too deep or not UTF-8,
//! nextLinks that go round or lead elsewhere, and redirects to another host.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use serde_json::Value;

use crate::counters::local_path;
use crate::faults::Hostile;
use crate::routes::Shared;
use crate::server::VIRTUAL_DIRECTORY;

/// The piece a huge body is made of, sent again and again.
static PAD: [u8; 64 * 1024] = [b'x'; 64 * 1024];

const JSON: &str = "application/json; odata.metadata=minimal";

/// The hostile answer to a GET of `path` (as requested, virtual directory included)
/// with `query`, whose honest answer was the successful `honest`.
pub(crate) async fn answer(
    shared: &Arc<Shared>,
    hostile: Hostile,
    honest: Response,
    path: &str,
    query: &str,
) -> Response {
    let origin = shared
        .base_url
        .strip_suffix(VIRTUAL_DIRECTORY)
        .unwrap_or(&shared.base_url);
    let with_query = |url: String| {
        if query.is_empty() {
            url
        } else {
            format!("{url}?{query}")
        }
    };
    match hostile {
        Hostile::HugeBody { bytes, announced } => huge_body(shared.clone(), bytes, announced),
        Hostile::DeepNesting { depth } => {
            let mut body = vec![b'['; depth];
            body.resize(depth * 2, b']');
            json_bytes(body)
        }
        Hostile::InvalidUtf8 => {
            json_bytes(b"{\"value\":[{\"AgentId\":1,\"FriendlyName\":\"PC-\xff\xfe-7\"}]}".to_vec())
        }
        Hostile::NextLinkToSelf => {
            with_next_link(honest, with_query(format!("{origin}{path}"))).await
        }
        Hostile::NextLinkCycle => {
            let skip = url::form_urlencoded::parse(query.as_bytes())
                .find(|(name, _)| name == "$skip")
                .map(|(_, value)| value.into_owned());
            let next = if skip.as_deref() == Some("1") { 0 } else { 1 };
            with_next_link(honest, format!("{origin}{path}?$skip={next}")).await
        }
        Hostile::NextLinkElsewhere(base) => {
            let link = with_query(format!(
                "{}{}",
                base.trim_end_matches('/'),
                local_path(path)
            ));
            with_next_link(honest, link).await
        }
        Hostile::RedirectElsewhere(base) => {
            let location = with_query(format!(
                "{}{}",
                base.trim_end_matches('/'),
                local_path(path)
            ));
            let mut response = StatusCode::FOUND.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
    }
}

fn json_bytes(body: Vec<u8>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, JSON)], body).into_response()
}

/// `{"value":[{"Pad":"xxx…"}]}` of exactly `bytes` bytes (at least its frame), made
/// while it is sent and counted in [`crate::Faults::hostile_bytes_sent`].
fn huge_body(shared: Arc<Shared>, bytes: u64, announced: bool) -> Response {
    const HEAD: &[u8] = br#"{"value":[{"Pad":""#;
    const TAIL: &[u8] = br#""}]}"#;
    let frame = (HEAD.len() + TAIL.len()) as u64;
    let pad = bytes.saturating_sub(frame);
    let chunk = PAD.len() as u64;
    let (full, rest) = (pad / chunk, (pad % chunk) as usize);
    let pieces = stream::once(async { Bytes::from_static(HEAD) })
        .chain(stream::iter((0..full).map(|_| Bytes::from_static(&PAD))))
        .chain(stream::once(
            async move { Bytes::from_static(&PAD[..rest]) },
        ))
        .chain(stream::once(async { Bytes::from_static(TAIL) }))
        .map(move |piece| {
            shared.faults.count_hostile_bytes(piece.len() as u64);
            Ok::<_, Infallible>(piece)
        });
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, JSON)],
        Body::from_stream(pieces),
    )
        .into_response();
    if announced {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(pad + frame));
    }
    response
}

/// The honest collection answer with its `@odata.nextLink` set to `link` (an entity
/// answer is left as it is).
async fn with_next_link(honest: Response, link: String) -> Response {
    let (parts, body) = honest.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if object.contains_key("value") {
        object.insert("@odata.nextLink".into(), Value::String(link));
    }
    let mut response = Response::from_parts(parts, Body::from(Value::Object(object).to_string()));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}
