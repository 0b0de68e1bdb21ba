//! The audit line: one per tool call on stderr with the tool, a short hash of its
//! canonical arguments, the duration, the status and whether the answer was partial.
//! The arguments themselves are never written (they may hold a password).

use std::time::Duration;

use rmcp::model::{CallToolResult, JsonObject};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Arguments left out of the hash: a short hash of a password could still be tested
/// against guesses by whoever reads the log.
const SECRET_ARGUMENTS: &[&str] = &["password"];

/// A short SHA-256 hash (12 hex digits) of the arguments in canonical form (keys
/// sorted at every level, secrets left out), so equal calls hash equally whatever the
/// key order.
pub fn arguments_hash(arguments: Option<&JsonObject>) -> String {
    let canonical = arguments.map_or_else(
        || "{}".to_owned(),
        |object| {
            let mut object = object.clone();
            object.retain(|key, _| !SECRET_ARGUMENTS.contains(&key.as_str()));
            canonical(&Value::Object(object))
        },
    );
    let digest = Sha256::digest(canonical.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|key| format!("{}:{}", Value::String(key.clone()), canonical(&map[key])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// How a call ended, for the audit line.
pub fn outcome(result: &CallToolResult) -> (&'static str, bool) {
    let partial = result
        .structured_content
        .as_ref()
        .and_then(|content| content.get("_meta"))
        .and_then(|meta| meta.get("partial"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let status = if result.is_error == Some(true) {
        "error"
    } else {
        "ok"
    };
    (status, partial)
}

/// Writes the audit line.
pub fn record(tool: &str, hash: &str, elapsed: Duration, status: &str, partial: bool) {
    tracing::info!(
        target: "audit",
        tool,
        args_sha256 = hash,
        duration_ms = elapsed.as_millis() as u64,
        status,
        partial,
        "tool call"
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_hash_ignores_key_order_and_hides_the_values() {
        let a = json!({"server_id": "s", "password": "hunter2", "n": {"b": 1, "a": 2}});
        let b = json!({"n": {"a": 2, "b": 1}, "password": "hunter2", "server_id": "s"});
        let hash_a = arguments_hash(a.as_object());
        assert_eq!(hash_a, arguments_hash(b.as_object()));
        assert_eq!(hash_a.len(), 12);
        assert!(!hash_a.contains("hunter2"));
        let c = json!({"server_id": "t"});
        assert_ne!(hash_a, arguments_hash(c.as_object()));
        assert_eq!(arguments_hash(None), arguments_hash(json!({}).as_object()));
    }

    #[test]
    fn a_password_does_not_change_the_hash() {
        let with = |password: &str| {
            arguments_hash(
                json!({"base_url": "https://ms", "username": "u", "password": password})
                    .as_object(),
            )
        };
        assert_eq!(
            with("hunter2"),
            with("correct horse"),
            "the hash must not depend on the password"
        );
        assert_ne!(
            with("hunter2"),
            arguments_hash(json!({"base_url": "https://other", "username": "u"}).as_object()),
            "the other arguments still count"
        );
    }
}
