//! Properties of what reads people's files and arguments: `server_id` validation,
//! the saved servers file and the Node.js server's credentials file. No input makes
//! them panic; every refusal names the field (or the line and column) that is wrong;
//! the credentials file's refusals never quote a password.

use std::path::Path;

use novabackup_core::ServerId;
use novabackup_core::credentials_file::{self, CredentialsFileError};
use novabackup_core::profiles::{Profiles, ProfilesError};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value, json};

fn valid_id() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_-]{1,40}"
}

/// Text that is often almost a server id.
fn id_like() -> impl Strategy<Value = String> {
    prop_oneof![
        valid_id(),
        any::<String>(),
        "[a-zA-Z0-9_. /é\"-]{0,12}",
        "[a-z]{129,140}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn a_server_id_is_accepted_exactly_when_it_fits_the_alphabet(text in id_like()) {
        let fits = (1..=128).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        match ServerId::new(text.clone()) {
            Ok(id) => {
                prop_assert!(fits, "{:?} was accepted", text);
                prop_assert_eq!(id.as_str(), text.as_str());
                prop_assert_eq!(text.parse::<ServerId>().unwrap(), id.clone());
                let json = serde_json::to_string(&id).unwrap();
                prop_assert_eq!(serde_json::from_str::<ServerId>(&json).unwrap(), id);
            }
            Err(error) => {
                prop_assert!(!fits, "{:?} was refused", text);
                let message = error.to_string();
                prop_assert!(message.contains("is not a valid server id"), "{}", message);
                prop_assert!(message.contains("letters, digits, '_' and '-'"), "{}", message);
                let json = serde_json::to_string(&text).unwrap();
                prop_assert!(serde_json::from_str::<ServerId>(&json).is_err());
            }
        }
    }
}

/// One server entry of a saved-servers or credentials file, and the fields a
/// generated mistake may hit.
fn entry(credentials: bool) -> impl Strategy<Value = Map<String, Value>> {
    (
        valid_id(),
        ".{0,12}",
        "https://[a-z]{1,10}\\.example/managementserver",
        "[a-z.@]{1,12}",
        prop::option::of("/[a-z/]{1,20}\\.pem"),
        "pw[ -~]{4,14}",
        prop::collection::vec(("x-[a-z]{1,8}", any::<i32>()), 0..3),
    )
        .prop_map(move |(id, label, url, user, ca, password, extra)| {
            let mut m = Map::new();
            m.insert("server_id".into(), json!(id));
            m.insert("label".into(), json!(label));
            m.insert("base_url".into(), json!(url));
            m.insert("username".into(), json!(user));
            if credentials {
                m.insert("password".into(), json!(password));
            } else {
                if let Some(ca) = ca {
                    m.insert("ca_certificate".into(), json!(ca));
                }
                for (k, v) in extra {
                    m.insert(k, json!(v));
                }
            }
            m
        })
}

fn entries(credentials: bool) -> impl Strategy<Value = Vec<Map<String, Value>>> {
    prop::collection::vec(entry(credentials), 0..5).prop_map(|mut list| {
        let mut seen = std::collections::HashSet::new();
        list.retain(|e| seen.insert(e["server_id"].as_str().unwrap().to_owned()));
        list
    })
}

/// A value of the wrong type for a text field, with its text as JSON.
fn wrong_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(json!(null)),
        "zq[a-z]{2,6}".prop_map(|s| json!([s])),
        "zq[a-z]{2,6}".prop_map(|s| json!({"k": s})),
        Just(json!(98765.4321)),
    ]
}

/// What a generated mistake does to one entry (or to the file).
#[derive(Debug, Clone)]
enum Mistake {
    /// A field holds a value of the wrong type.
    WrongType {
        entry: Index,
        field: Index,
        value: Value,
    },
    /// A required field is missing.
    Missing { entry: Index, field: Index },
    /// The id is not a valid server id.
    BadId { entry: Index, id: String },
}

fn mistake() -> impl Strategy<Value = Mistake> {
    prop_oneof![
        (any::<Index>(), any::<Index>(), wrong_value()).prop_map(|(entry, field, value)| {
            Mistake::WrongType {
                entry,
                field,
                value,
            }
        }),
        (any::<Index>(), any::<Index>())
            .prop_map(|(entry, field)| Mistake::Missing { entry, field }),
        (any::<Index>(), "[a-z]{0,4}[ ./é]{1,3}[a-z]{0,4}")
            .prop_map(|(entry, id)| Mistake::BadId { entry, id }),
    ]
}

/// Applies `mistake` to `list` (given at least one entry); returns the JSON path of
/// the field it hit. `typed` names the fields that must be text, `required` those
/// that must be there.
fn apply(
    list: &mut [Map<String, Value>],
    mistake: &Mistake,
    typed: &[&str],
    required: &[&str],
) -> Option<String> {
    match mistake {
        Mistake::WrongType {
            entry,
            field,
            value,
        } => {
            let i = entry.index(list.len());
            let name = typed[field.index(typed.len())];
            if value.is_null() && !required.contains(&name) {
                return None; // null is fine for an optional field
            }
            list[i].insert(name.into(), value.clone());
            Some(format!("servers[{i}].{name}"))
        }
        Mistake::Missing { entry, field } => {
            let i = entry.index(list.len());
            let name = required[field.index(required.len())];
            list[i].remove(name);
            Some(format!("servers[{i}].{name}"))
        }
        Mistake::BadId { entry, id } => {
            let i = entry.index(list.len());
            list[i].insert("server_id".into(), json!(id));
            Some(format!("servers[{i}].server_id"))
        }
    }
}

fn file_text(version: Option<u64>, list: &[Map<String, Value>], pretty: bool) -> String {
    let mut root = Map::new();
    if let Some(v) = version {
        root.insert("version".into(), json!(v));
    }
    root.insert(
        "servers".into(),
        Value::Array(list.iter().cloned().map(Value::Object).collect()),
    );
    if pretty {
        serde_json::to_string_pretty(&root).unwrap()
    } else {
        serde_json::to_string(&root).unwrap()
    }
}

/// Text that looks like JSON settings, broken anywhere.
fn json_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\"servers\"",
            "\"version\"",
            "\"server_id\"",
            "\"base_url\"",
            "\"password\"",
            "\"label\"",
            "1",
            "-",
            "null",
            "true",
            "\\",
            "\\u00e9",
            " ",
            "\n"
        ])
        .prop_map(str::to_owned),
        ".{0,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

const PROFILES: &str = "/home/tech/.config/novabackup-mcp/servers.json";
const CREDENTIALS: &str = "/home/tech/.novabackup-mcp/credentials.json";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn the_profiles_reader_never_panics_and_places_every_refusal(
        text in prop_oneof![json_soup(), any::<String>()],
    ) {
        match Profiles::parse(PROFILES, &text) {
            Ok(_) => {}
            Err(ProfilesError::Invalid { line, column, detail, .. }) => {
                prop_assert!(line >= 1 && column >= 1);
                prop_assert!(line <= text.split('\n').count(), "line {} of {:?}", line, text);
                prop_assert!(!detail.is_empty());
            }
            Err(error @ (ProfilesError::DuplicateId { .. } | ProfilesError::PasswordInFile { .. }
                | ProfilesError::UnsupportedVersion { .. })) => {
                prop_assert!(error.to_string().contains(PROFILES), "{}", error);
            }
            Err(other) => prop_assert!(false, "unexpected refusal {:?}", other),
        }
    }

    #[test]
    fn the_credentials_reader_never_panics_and_places_every_refusal(
        text in prop_oneof![json_soup(), any::<String>()],
    ) {
        match credentials_file::parse(Path::new(CREDENTIALS), &text) {
            Ok(_) => {}
            Err(CredentialsFileError::Invalid { line, column, detail, .. }) => {
                prop_assert!(line >= 1 && column >= 1);
                prop_assert!(line <= text.split('\n').count(), "line {} of {:?}", line, text);
                prop_assert!(!detail.is_empty());
            }
            Err(CredentialsFileError::DuplicateId { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected refusal {:?}", other),
        }
    }

    #[test]
    fn a_profiles_refusal_names_the_field(
        mut list in entries(false).prop_filter("an entry", |l| !l.is_empty()),
        mistake in mistake(),
        pretty in any::<bool>(),
    ) {
        let valid = file_text(Some(1), &list, pretty);
        let read = Profiles::parse(PROFILES, &valid).expect("a valid file is read");
        prop_assert_eq!(read.servers().len(), list.len());
        for (server, entry) in read.servers().iter().zip(&list) {
            prop_assert_eq!(server.server_id.as_str(), entry["server_id"].as_str().unwrap());
            prop_assert_eq!(&server.base_url, entry["base_url"].as_str().unwrap());
        }

        let typed = ["server_id", "label", "base_url", "username", "ca_certificate"];
        let Some(field) = apply(&mut list, &mistake, &typed, &["server_id", "base_url"]) else {
            return Ok(());
        };
        let text = file_text(Some(1), &list, pretty);
        match Profiles::parse(PROFILES, &text) {
            Err(error @ ProfilesError::Invalid { .. }) => {
                let message = error.to_string();
                prop_assert!(message.contains(&field), "{} should name {}", message, field);
                prop_assert!(message.contains(PROFILES), "{}", message);
            }
            other => prop_assert!(false, "expected a refusal naming {}, got {:?}", field, other),
        }
    }

    #[test]
    fn a_credentials_refusal_names_the_field_and_never_a_password(
        mut list in entries(true).prop_filter("an entry", |l| !l.is_empty()),
        mistake in mistake(),
        pretty in any::<bool>(),
    ) {
        let valid = file_text(Some(1), &list, pretty);
        let read = credentials_file::parse(Path::new(CREDENTIALS), &valid).expect("a valid file is read");
        prop_assert_eq!(read.len(), list.len());

        let typed = ["server_id", "label", "base_url", "username", "password"];
        let required = ["server_id", "base_url", "username", "password"];
        let Some(field) = apply(&mut list, &mistake, &typed, &required) else {
            return Ok(());
        };
        let text = file_text(Some(1), &list, pretty);
        let error = credentials_file::parse(Path::new(CREDENTIALS), &text).map(|_| ()).unwrap_err();
        let shown = format!("{error} {error:?}");
        prop_assert!(
            matches!(error, CredentialsFileError::Invalid { .. }),
            "expected a refusal naming {}, got {}", field, shown
        );
        prop_assert!(shown.contains(&field), "{} should name {}", shown, field);
        for entry in &list {
            let password = match &entry.get("password") {
                Some(Value::String(p)) => p.clone(),
                Some(other) => other.to_string(),
                None => continue,
            };
            // Words of the generated passwords ("pw…", "zq…") and long numbers: nothing
            // else in a message looks like them.
            let distinctive = |p: &&str| {
                (p.len() >= 4 && (p.starts_with("pw") || p.starts_with("zq")))
                    || (p.len() >= 8 && p.bytes().all(|b| b.is_ascii_digit()))
            };
            for part in password.split(|c: char| !c.is_alphanumeric()).filter(distinctive) {
                prop_assert!(!shown.contains(part), "{} quotes a password ({})", shown, part);
            }
        }
    }
}
