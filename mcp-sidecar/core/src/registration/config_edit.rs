//! Registering and unregistering in a client's JSON file: only our entry changes;
//! every other key, entry, value and the key order stay as they were.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::client::Client;
use super::document::ConfigDocument;
use super::entry::{ServerEntry, node_entries, runs_node_package};
use super::error::RegistrationError;
use super::file_update::{Update, read_optional, resolve, update_file};
use super::splice;

/// What to register, and how.
#[derive(Clone, Debug)]
pub struct Registration {
    /// The client whose file it is (decides the servers key and the entry's shape).
    pub client: Client,
    /// The entry's name in the server list (normally [`super::ENTRY_NAME`]).
    pub name: String,
    /// The entry.
    pub entry: ServerEntry,
    /// Remove entries that run the Node.js package (under any name) and put ours in
    /// their place.
    pub replace_node: bool,
}

/// What a registration found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// The file before and after.
    pub update: Update,
    /// Entries that run the Node.js package, as found before the change.
    pub node_entries: Vec<String>,
}

/// Adds or updates the entry in the file at `path`. With `dry_run`, computes the
/// change and writes nothing. Refuses (file untouched) invalid JSON, a servers key
/// that is not an object, a read-only file, and our name taken by the Node.js package
/// unless `replace_node`.
pub fn register_in_file(
    path: &Path,
    registration: &Registration,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<FileChange, RegistrationError> {
    let mut found_node = Vec::new();
    let edit = |current: Option<&[u8]>| {
        let (bytes, node) = registered(current, path, registration)?;
        found_node = node;
        Ok(bytes)
    };
    let update = apply(path, now, dry_run, edit)?;
    Ok(FileChange {
        update,
        node_entries: found_node,
    })
}

/// Removes only the entry called `name` from the file at `path`; nothing is written
/// when there is no such entry (or no file).
pub fn unregister_from_file(
    path: &Path,
    client: Client,
    name: &str,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Update, RegistrationError> {
    apply(path, now, dry_run, |current: Option<&[u8]>| {
        unregister_in_bytes(current, path, client, name)
    })
}

/// The content a settings file gets from [`register_in_file`], computed in memory:
/// `current` is its content (`None`: no file), `path` only names it in errors.
/// `Ok(None)` when the entry is already there exactly as wanted.
pub fn register_in_bytes(
    current: Option<&[u8]>,
    path: &Path,
    registration: &Registration,
) -> Result<Option<Vec<u8>>, RegistrationError> {
    registered(current, path, registration).map(|(bytes, _)| bytes)
}

/// The content a settings file gets from [`unregister_from_file`], computed in
/// memory; `Ok(None)` when there is nothing to remove.
pub fn unregister_in_bytes(
    current: Option<&[u8]>,
    path: &Path,
    client: Client,
    name: &str,
) -> Result<Option<Vec<u8>>, RegistrationError> {
    if current.is_none() {
        return Ok(None);
    }
    let (mut doc, servers) = open(current, path, client)?;
    let mut new = servers.clone();
    if new.shift_remove(name).is_none() {
        return Ok(None);
    }
    Ok(write_servers(
        current,
        &mut doc,
        client,
        &servers,
        Some(new),
        name,
    ))
}

/// The new content with the entry registered, and the entries that ran the Node.js
/// package before.
fn registered(
    current: Option<&[u8]>,
    path: &Path,
    registration: &Registration,
) -> Result<(Option<Vec<u8>>, Vec<String>), RegistrationError> {
    let (mut doc, servers) = open(current, path, registration.client)?;
    let found_node = node_entries(&servers);
    let new = with_entry(servers.clone(), registration, path)?;
    let bytes = write_servers(
        current,
        &mut doc,
        registration.client,
        &servers,
        new,
        &registration.name,
    );
    Ok((bytes, found_node))
}

/// Parses the file and its server list (empty when absent).
pub(crate) fn open(
    current: Option<&[u8]>,
    path: &Path,
    client: Client,
) -> Result<(ConfigDocument, Map<String, Value>), RegistrationError> {
    let owner = client.display_name();
    let doc = ConfigDocument::parse(current, path, owner)?;
    let servers = doc
        .servers(
            client.servers_key(),
            current.unwrap_or_default(),
            path,
            owner,
        )?
        .cloned()
        .unwrap_or_default();
    Ok((doc, servers))
}

/// The server list with our entry added or updated; `None` when it is already there
/// exactly as wanted.
fn with_entry(
    mut servers: Map<String, Value>,
    registration: &Registration,
    path: &Path,
) -> Result<Option<Map<String, Value>>, RegistrationError> {
    let name = registration.name.as_str();
    let wanted = registration.entry.to_json(registration.client);
    let mut changed = false;
    if registration.replace_node {
        let others: Vec<String> = node_entries(&servers)
            .into_iter()
            .filter(|n| n != name)
            .collect();
        for other in others {
            servers.shift_remove(&other);
            changed = true;
        }
    }
    let merged = match servers.get(name) {
        Some(existing) if runs_node_package(existing) => {
            if !registration.replace_node {
                return Err(RegistrationError::NodeEntryInTheWay {
                    name: name.to_owned(),
                    path: path.to_path_buf(),
                });
            }
            wanted
        }
        Some(Value::Object(existing)) => merge(existing, &wanted),
        _ => wanted,
    };
    if servers.get(name) != Some(&merged) {
        servers.insert(name.to_owned(), merged);
        changed = true;
    }
    Ok(changed.then_some(servers))
}

/// Our fields over an existing entry of ours: settings the user added to it (another
/// environment variable, a `disabled` flag) are kept.
fn merge(existing: &Map<String, Value>, wanted: &Value) -> Value {
    let mut merged = existing.clone();
    for (key, value) in wanted.as_object().into_iter().flatten() {
        match (merged.get_mut(key), value) {
            (Some(Value::Object(old)), Value::Object(new)) => {
                for (k, v) in new {
                    old.insert(k.clone(), v.clone());
                }
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(merged)
}

/// Puts `new` (the server list after the change; `None`: nothing changes) under the
/// client's key and returns the file's new bytes. The change is made in the text itself
/// when possible, so the rest of the file keeps its exact bytes; the result is checked
/// against the intended content, and the whole file is rewritten in its own style when
/// the in-place edit cannot be made or does not match.
fn write_servers(
    current: Option<&[u8]>,
    doc: &mut ConfigDocument,
    client: Client,
    old: &Map<String, Value>,
    new: Option<Map<String, Value>>,
    name: &str,
) -> Option<Vec<u8>> {
    let new = new?;
    let removed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    let set = new
        .get(name)
        .filter(|v| old.get(name) != Some(*v))
        .map(|v| (name, v));
    let key = client.servers_key();
    let spliced = current
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .map(|text| text.strip_prefix('\u{feff}').unwrap_or(text))
        .and_then(|body| splice::edit_servers(body, &doc.style, key, &removed, set));
    doc.root.insert(key.to_owned(), Value::Object(new));
    if let Some(body) = spliced {
        let intended = serde_json::to_string(&doc.root).ok();
        let got = serde_json::from_str::<Map<String, Value>>(&body)
            .ok()
            .and_then(|root| serde_json::to_string(&root).ok());
        if got.is_some() && got == intended {
            let bom = if doc.style.bom { "\u{feff}" } else { "" };
            return Some(format!("{bom}{body}").into_bytes());
        }
    }
    Some(doc.render())
}

fn apply<F>(
    path: &Path,
    now: DateTime<Utc>,
    dry_run: bool,
    mut edit: F,
) -> Result<Update, RegistrationError>
where
    F: FnMut(Option<&[u8]>) -> Result<Option<Vec<u8>>, RegistrationError>,
{
    if !dry_run {
        return update_file(path, now, edit);
    }
    let path = resolve(path);
    let before = read_optional(&path)?;
    let after = edit(before.as_deref())?;
    Ok(Update {
        path,
        before,
        after,
    })
}
