//! Any bytes as a client's settings file: registering and unregistering either
//! refuse with a reason (the file is then untouched) or change only our entry,
//! leave every other byte as it was, and undo each other.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use novabackup_core::registration::{
    Client, ENTRY_NAME, Registration, RegistrationError, ServerEntry, register_in_bytes,
    unregister_in_bytes,
};
use serde_json::{Map, Value};

fn parse(bytes: &[u8]) -> Map<String, Value> {
    let text = std::str::from_utf8(bytes).expect("a registered file is UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Map::new();
    }
    serde_json::from_str(text).expect("a registered file is a JSON object")
}

/// The document without our entry, as JSON text in key order.
fn without_entry(mut root: Map<String, Value>, key: &str) -> String {
    if let Some(Value::Object(servers)) = root.get_mut(key) {
        servers.shift_remove(ENTRY_NAME);
    }
    serde_json::to_string(&root).unwrap()
}

/// The bytes of `before` that `after` replaced.
fn replaced<'a>(before: &'a [u8], after: &[u8]) -> &'a [u8] {
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let room = before.len().min(after.len()) - prefix;
    let suffix = before
        .iter()
        .rev()
        .zip(after.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    &before[prefix..before.len() - suffix]
}

fn check_refusal(error: &RegistrationError) {
    let message = error.to_string();
    assert!(message.contains("nothing was changed"), "{message}");
    match error {
        RegistrationError::InvalidJson { line, column, .. }
        | RegistrationError::NotAnObject { line, column, .. } => {
            assert!(*line >= 1 && *column >= 1, "{message}");
            assert!(
                message.contains(&format!("line {line}, column {column}")),
                "{message}"
            );
        }
        RegistrationError::NotText { .. } | RegistrationError::NodeEntryInTheWay { .. } => {}
        other => panic!("unexpected refusal: {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let client = Client::ALL[usize::from(selector) % Client::ALL.len()];
    let key = client.servers_key();
    let path = Path::new("settings.json");
    let registration = Registration {
        client,
        name: ENTRY_NAME.to_owned(),
        entry: ServerEntry::new("/opt/novabackup/bin/novabackup-mcp", "/srv/servers.json"),
        replace_node: false,
    };
    let after = match register_in_bytes(Some(file), path, &registration) {
        Err(error) => {
            check_refusal(&error);
            // Unregistering refuses too, or has nothing to do.
            if let Err(error) = unregister_in_bytes(Some(file), path, client, ENTRY_NAME) {
                check_refusal(&error);
            }
            return;
        }
        Ok(None) => file.to_vec(),
        Ok(Some(after)) => after,
    };
    let before = parse(file);
    let had_entry = before
        .get(key)
        .and_then(Value::as_object)
        .is_some_and(|servers| servers.contains_key(ENTRY_NAME));
    let registered = parse(&after);
    // A servers key that registration had to add stays, empty, without our entry.
    let mut others = before.clone();
    if !others.contains_key(key) {
        others.insert(key.to_owned(), Value::Object(Map::new()));
    }
    assert!(
        registered
            .get(key)
            .and_then(Value::as_object)
            .is_some_and(|servers| servers.contains_key(ENTRY_NAME)),
        "our entry is there"
    );
    assert_eq!(
        without_entry(registered, key),
        without_entry(others, key),
        "everything else is unchanged, in order"
    );
    if !had_entry {
        let gone = replaced(file, &after);
        assert!(
            gone.iter().all(|b| b" \t\r\n".contains(b)),
            "bytes outside our entry changed: {:?}",
            String::from_utf8_lossy(gone)
        );
    }
    assert_eq!(
        register_in_bytes(Some(&after), path, &registration).unwrap(),
        None,
        "registering twice changes nothing"
    );
    let back = unregister_in_bytes(Some(&after), path, client, ENTRY_NAME)
        .unwrap()
        .expect("our entry is removed");
    let mut expected = before;
    if let Some(Value::Object(servers)) = expected.get_mut(key) {
        servers.shift_remove(ENTRY_NAME);
    } else {
        expected.insert(key.to_owned(), Value::Object(Map::new()));
    }
    assert_eq!(
        serde_json::to_string(&parse(&back)).unwrap(),
        serde_json::to_string(&expected).unwrap(),
        "unregistering gives the document back"
    );
});
