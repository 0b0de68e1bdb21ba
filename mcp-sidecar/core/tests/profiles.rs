//! The saved servers file against real files in a temporary folder.

use std::fs;
use std::path::Path;

use novabackup_core::ServerId;
use novabackup_core::profiles::{Profiles, ProfilesError, ServerProfile};
use serde_json::{Value, json};

fn id(text: &str) -> ServerId {
    ServerId::new(text).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_missing_file_is_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = Profiles::load(dir.path().join("nope/servers.json")).unwrap();
    assert!(profiles.servers().is_empty());
}

#[test]
fn reads_the_node_presets_shape_without_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    fs::write(
        &path,
        r#"{"servers":[{"server_id":"cmc-test","label":"Test","base_url":"https://cmc.example/managementserver"}]}"#,
    )
    .unwrap();
    let profiles = Profiles::load(&path).unwrap();
    let server = profiles.get(&id("cmc-test")).expect("preset loaded");
    assert_eq!(server.label, "Test");
    assert_eq!(server.base_url, "https://cmc.example/managementserver");
    assert_eq!(server.username, None);
    assert_eq!(server.ca_certificate, None);
}

#[test]
fn unknown_fields_survive_a_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    fs::write(
        &path,
        r#"{"version":1,"comment":"top","servers":[
            {"server_id":"a","label":"A","base_url":"https://a","username":"u","color":"blue","tags":["x"]},
            {"server_id":"b","label":"B","base_url":"https://b"}]}"#,
    )
    .unwrap();
    let mut profiles = Profiles::load(&path).unwrap();
    let mut a = profiles.get(&id("a")).unwrap().clone();
    a.label = "Renamed".into();
    a.extra.clear(); // an editor that does not know the fields must not drop them
    assert!(profiles.upsert(a), "a replaces the existing entry");
    profiles.save().unwrap();

    let saved = read_json(&path);
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["comment"], "top", "top-level unknown field kept");
    assert_eq!(saved["servers"][0]["label"], "Renamed");
    assert_eq!(
        saved["servers"][0]["color"], "blue",
        "entry unknown field kept"
    );
    assert_eq!(saved["servers"][0]["tags"], json!(["x"]));
    assert_eq!(saved["servers"][1]["server_id"], "b", "order kept");
}

#[test]
fn invalid_json_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    fs::write(
        &path,
        "{\n  \"servers\": [\n    {\"server_id\": \"a\",,}\n  ]\n}\n",
    )
    .unwrap();
    let error = Profiles::load(&path).unwrap_err();
    let message = error.to_string();
    match &error {
        ProfilesError::Invalid { line, column, .. } => {
            assert_eq!((*line, *column), (3, 23), "{message}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("line 3, column 23"), "{message}");
    assert!(
        message.contains("Fix the file"),
        "says what to do: {message}"
    );
}

#[test]
fn a_bad_field_is_named() {
    let error = Profiles::parse(
        "servers.json",
        r#"{"servers":[{"server_id":"ok","base_url":"u"},{"server_id":"has space","base_url":"u"}]}"#,
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("servers[1].server_id"), "{message}");
    assert!(message.contains("letters, digits"), "{message}");
}

#[test]
fn a_missing_field_is_named_by_its_path() {
    // Found by the property tests: the message said "servers[0]: missing field ...".
    let error = Profiles::parse(
        "servers.json",
        r#"{"servers":[{"server_id":"ok","base_url":"u"},{"server_id":"b"}]}"#,
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("servers[1].base_url is missing"),
        "{message}"
    );
    let error = Profiles::parse("servers.json", "[")
        .unwrap_err()
        .to_string();
    assert!(error.contains("line 1, column 1"), "{error}");
}

#[test]
fn duplicate_ids_are_refused() {
    let error = Profiles::parse(
        "servers.json",
        r#"{"servers":[{"server_id":"a","base_url":"u"},{"server_id":"a","base_url":"v"}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(&error, ProfilesError::DuplicateId { server_id, .. } if server_id.as_str() == "a"),
        "{error:?}"
    );
}

#[test]
fn a_password_in_the_file_is_refused_without_showing_it() {
    let error = Profiles::parse(
        "servers.json",
        r#"{"servers":[{"server_id":"a","base_url":"u","username":"x","password":"hunter2"}]}"#,
    )
    .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(
        matches!(error, ProfilesError::PasswordInFile { .. }),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("import"), "says how to move it: {shown}");
}

#[test]
fn no_password_field_is_ever_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    let mut profiles = Profiles::load(&path).unwrap();
    let mut profile = ServerProfile::new(id("a"), "A", "https://a");
    profile.extra.insert("Password".into(), json!("hunter2"));
    profiles.upsert(profile);
    assert!(matches!(
        profiles.save(),
        Err(ProfilesError::PasswordInFile { .. })
    ));
    assert!(!path.exists(), "nothing written");
}

#[test]
fn save_keeps_the_other_servers_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cfg/novabackup-mcp/servers.json");
    let mut profiles = Profiles::load(&path).unwrap();
    for name in ["one", "two", "three"] {
        let mut profile = ServerProfile::new(id(name), name, format!("https://{name}"));
        profile.username = Some(format!("user-{name}"));
        profiles.upsert(profile);
    }
    profiles.save().unwrap();

    let mut again = Profiles::load(&path).unwrap();
    assert!(again.remove(&id("two")).is_some());
    assert!(again.remove(&id("missing")).is_none());
    let mut one = again.get(&id("one")).unwrap().clone();
    one.ca_certificate = Some("/etc/ca.pem".into());
    assert!(again.upsert(one));
    again.save().unwrap();

    let reloaded = Profiles::load(&path).unwrap();
    let ids: Vec<&str> = reloaded
        .servers()
        .iter()
        .map(|s| s.server_id.as_str())
        .collect();
    assert_eq!(ids, ["one", "three"]);
    assert_eq!(
        reloaded.get(&id("three")).unwrap().username.as_deref(),
        Some("user-three"),
        "untouched server kept whole"
    );
    assert_eq!(
        reloaded.get(&id("one")).unwrap().ca_certificate.as_deref(),
        Some(Path::new("/etc/ca.pem"))
    );
    let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["servers.json"], "no temporary file left behind");
}

#[cfg(unix)]
#[test]
fn the_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    let mut profiles = Profiles::load(&path).unwrap();
    profiles.upsert(ServerProfile::new(id("a"), "A", "https://a"));
    profiles.save().unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_failed_save_says_so_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the file should be: the final rename cannot replace it.
    let path = dir.path().join("servers.json");
    fs::create_dir(&path).unwrap();
    let mut profiles = Profiles::empty(&path);
    profiles.upsert(ServerProfile::new(id("a"), "A", "https://a"));
    let error = profiles.save().unwrap_err();
    assert!(matches!(error, ProfilesError::Write { .. }), "{error:?}");
    assert!(error.to_string().contains("unchanged"), "{error}");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["servers.json"], "the temporary file was cleaned up");
}

#[test]
fn a_newer_version_is_refused() {
    let error = Profiles::parse("servers.json", r#"{"version":2,"servers":[]}"#).unwrap_err();
    assert!(
        matches!(error, ProfilesError::UnsupportedVersion { version: 2, .. }),
        "{error:?}"
    );
}

#[test]
fn concurrent_updates_never_lose_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                for round in 0..5 {
                    Profiles::update(&path, |profiles| {
                        let name = format!("s{i}-{round}");
                        profiles.upsert(ServerProfile::new(id(&name), &name, "https://x"));
                        true
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let saved = Profiles::load(&path).unwrap();
    assert_eq!(saved.servers().len(), 40, "every writer's servers are kept");
}

#[test]
fn a_held_lock_makes_others_wait_then_give_up_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.json");
    let held = Profiles::lock(&path).unwrap();
    let started = std::time::Instant::now();
    let error = Profiles::lock_with_wait(&path, std::time::Duration::from_millis(200)).unwrap_err();
    assert!(started.elapsed() >= std::time::Duration::from_millis(200));
    assert!(matches!(error, ProfilesError::Busy { .. }), "{error:?}");
    assert!(error.to_string().contains("Try again"), "{error}");
    drop(held);
    Profiles::lock_with_wait(&path, std::time::Duration::from_millis(200))
        .expect("free again once released");
}
