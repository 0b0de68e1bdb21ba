//! The server's own error message, read out of whatever body shape it sent.

use serde_json::Value;

/// How much raw (non-JSON) text to keep from an error body.
const RAW_TEXT_LIMIT: usize = 200;
/// How much of the server's own message to keep: whole for any real one, bounded
/// for one that goes on for megabytes (it ends up in tool results and logs).
pub(crate) const MESSAGE_LIMIT: usize = 2000;

/// Reads the server's message from an error body, in this order: an OData error
/// (`error.message`), ASP.NET's `Message`/`ExceptionMessage`, ProblemDetails
/// (`detail`, then `title`), then the raw text (up to 200 characters). A message
/// from JSON is cut at [`MESSAGE_LIMIT`] characters. `None` for an empty body.
pub(crate) fn server_message(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(message) = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|json| json_message(&json))
    {
        return Some(truncate(&message, MESSAGE_LIMIT));
    }
    Some(truncate(text, RAW_TEXT_LIMIT))
}

fn json_message(json: &Value) -> Option<String> {
    let odata = json
        .get("error")
        .and_then(|error| error.get("message"))
        .and_then(text_of);
    if odata.is_some() {
        return odata;
    }
    let message = json.get("Message").and_then(text_of);
    let exception = json.get("ExceptionMessage").and_then(text_of);
    match (message, exception) {
        (Some(m), Some(e)) if m != e => return Some(format!("{m} {e}")),
        (Some(m), _) => return Some(m),
        (None, Some(e)) => return Some(e),
        (None, None) => {}
    }
    json.get("detail")
        .and_then(text_of)
        .or_else(|| json.get("title").and_then(text_of))
        .or_else(|| json.as_str().map(|s| truncate(s.trim(), RAW_TEXT_LIMIT)))
        .filter(|s| !s.is_empty())
}

fn text_of(value: &Value) -> Option<String> {
    value
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The first `limit` characters of `text`, with `…` when cut.
pub(crate) fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Option<String> {
        server_message(body.as_bytes())
    }

    #[test]
    fn odata_errors_come_first() {
        let body = r#"{"error":{"code":"","message":"The query specified in the URI is not valid. Could not find a property named 'Foo'.","details":[],"innererror":{"message":"inner"}},"Message":"other"}"#;
        assert_eq!(
            read(body).as_deref(),
            Some(
                "The query specified in the URI is not valid. Could not find a property named 'Foo'."
            )
        );
    }

    #[test]
    fn aspnet_message_and_exception_message() {
        assert_eq!(
            read(r#"{"Message":"An error has occurred.","ExceptionMessage":"Boom"}"#).as_deref(),
            Some("An error has occurred. Boom")
        );
        assert_eq!(
            read(r#"{"Message":"Only this"}"#).as_deref(),
            Some("Only this")
        );
        assert_eq!(
            read(r#"{"ExceptionMessage":"Only that"}"#).as_deref(),
            Some("Only that")
        );
    }

    #[test]
    fn problem_details_detail_then_title() {
        assert_eq!(
            read(r#"{"type":"x","title":"Unauthorized","status":401,"detail":"Bad password"}"#)
                .as_deref(),
            Some("Bad password")
        );
        assert_eq!(
            read(r#"{"type":"x","title":"Unauthorized","status":401}"#).as_deref(),
            Some("Unauthorized")
        );
    }

    #[test]
    fn raw_text_is_cut_at_200_characters() {
        let long = "é".repeat(300);
        let message = read(&long).unwrap();
        assert_eq!(message.chars().count(), 201);
        assert!(message.ends_with('…'));
        assert_eq!(
            read("  Service Unavailable \n").as_deref(),
            Some("Service Unavailable")
        );
    }

    #[test]
    fn a_message_that_goes_on_for_megabytes_is_cut() {
        let body = serde_json::json!({"error": {"message": "x".repeat(3_000_000)}}).to_string();
        let message = read(&body).unwrap();
        assert_eq!(message.chars().count(), MESSAGE_LIMIT + 1);
        assert!(message.ends_with('…'));
    }

    #[test]
    fn empty_bodies_have_no_message() {
        assert_eq!(read(""), None);
        assert_eq!(read("  \n"), None);
    }

    #[test]
    fn json_without_a_known_field_falls_back_to_the_text() {
        assert_eq!(read(r#"{"foo":1}"#).as_deref(), Some(r#"{"foo":1}"#));
        assert_eq!(
            read(r#""quoted message""#).as_deref(),
            Some("quoted message")
        );
    }
}
