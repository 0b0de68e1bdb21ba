//! Registering in real settings files on disk: a corpus of the shapes Claude Desktop
//! and the other clients write, refusals that leave the bytes identical, backups and
//! restore, and writers racing each other (threads and processes).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, TimeZone, Utc};
use novabackup_core::registration::{
    Client, ENTRY_NAME, Registration, RegistrationError, RestorePoint, ServerEntry, backups_dir,
    original_copy_path, register_in_file, restore, unregister_from_file, versions,
};
use serde_json::{Map, Value, json};
use tempfile::TempDir;

const CONFIG: &str = "claude_desktop_config.json";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/registration")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, second).unwrap()
}

fn entry() -> ServerEntry {
    ServerEntry::new(
        "/opt/novabackup/bin/novabackup-mcp",
        "/home/tech/.config/novabackup-mcp/servers.json",
    )
}

fn registration(name: &str, replace_node: bool) -> Registration {
    Registration {
        client: Client::ClaudeDesktop,
        name: name.to_owned(),
        entry: entry(),
        replace_node,
    }
}

fn expected_entry() -> Value {
    json!({
        "command": "/opt/novabackup/bin/novabackup-mcp",
        "args": [],
        "env": {"MCP_SERVERS_FILE": "/home/tech/.config/novabackup-mcp/servers.json"}
    })
}

/// Parses a file's text (after any byte order mark) into an ordered object.
fn parse(bytes: &[u8]) -> Map<String, Value> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Map::new();
    }
    serde_json::from_str(text).expect("the file stays valid JSON")
}

/// A value's JSON with its key order: equal strings mean equal values in equal order.
fn ordered(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

fn servers_of(root: &Map<String, Value>) -> Map<String, Value> {
    root.get("mcpServers")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A temporary folder holding `bytes` as Claude Desktop's settings file.
fn setup(bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(CONFIG);
    fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Register, register again, unregister, unregister again over `original`, checking
/// at each step that everything but our entry is as it was, in the same order.
fn round_trip(case: &str, original: &[u8]) {
    let (_dir, path) = setup(original);
    let before = parse(original);
    let before_servers = servers_of(&before);

    let first = register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false)
        .unwrap_or_else(|e| panic!("{case}: register: {e}"));
    assert!(
        first.update.changed(),
        "{case}: the first registration writes"
    );
    let written = fs::read(&path).unwrap();
    let after = parse(&written);
    // Every other top-level key keeps its value and its place.
    let others_after: Vec<(&String, &Value)> =
        after.iter().filter(|(k, _)| *k != "mcpServers").collect();
    let others_before: Vec<(&String, &Value)> =
        before.iter().filter(|(k, _)| *k != "mcpServers").collect();
    assert_eq!(
        ordered(&others_after),
        ordered(&others_before),
        "{case}: other keys"
    );
    if before.contains_key("mcpServers") {
        let keys_before: Vec<&String> = before.keys().collect();
        let keys_after: Vec<&String> = after.keys().collect();
        assert_eq!(keys_after, keys_before, "{case}: top-level key order");
    } else {
        assert_eq!(
            after.keys().next_back().map(String::as_str),
            Some("mcpServers"),
            "{case}"
        );
    }
    // Every other server keeps its value and its place; ours is at the end (or in its old place).
    let servers = servers_of(&after);
    let mut expected_servers = before_servers.clone();
    expected_servers.insert(ENTRY_NAME.to_owned(), expected_entry());
    assert_eq!(
        ordered(&servers),
        ordered(&expected_servers),
        "{case}: servers"
    );
    assert!(
        !String::from_utf8_lossy(&written)
            .to_lowercase()
            .contains("password"),
        "{case}: no password in the entry"
    );
    check_style(case, original, &written);
    // The untouched original is kept byte for byte.
    assert_eq!(
        fs::read(original_copy_path(&path)).unwrap(),
        original,
        "{case}: original copy"
    );

    let again = register_in_file(&path, &registration(ENTRY_NAME, false), at(2), false).unwrap();
    assert!(
        !again.update.changed(),
        "{case}: a second registration changes nothing"
    );
    assert_eq!(
        fs::read(&path).unwrap(),
        written,
        "{case}: the bytes stay identical"
    );
    assert_eq!(
        versions(&path).len(),
        1,
        "{case}: no backup when nothing changes"
    );

    let removed =
        unregister_from_file(&path, Client::ClaudeDesktop, ENTRY_NAME, at(3), false).unwrap();
    assert!(removed.changed(), "{case}: unregister writes");
    let unregistered = fs::read(&path).unwrap();
    let final_root = parse(&unregistered);
    let mut expected_root = before.clone();
    expected_root
        .entry("mcpServers")
        .or_insert_with(|| json!({}));
    assert_eq!(
        ordered(&final_root),
        ordered(&expected_root),
        "{case}: only our entry removed"
    );
    check_style(case, original, &unregistered);
    if !before_servers.is_empty() {
        // The entry was added and removed as text: not a byte of the rest moved.
        assert_eq!(
            String::from_utf8_lossy(&unregistered),
            String::from_utf8_lossy(original),
            "{case}: register then unregister gives back the exact bytes"
        );
    }

    let again =
        unregister_from_file(&path, Client::ClaudeDesktop, ENTRY_NAME, at(4), false).unwrap();
    assert!(
        !again.changed(),
        "{case}: unregistering twice changes nothing"
    );
    assert_eq!(fs::read(&path).unwrap(), unregistered);
    assert_eq!(versions(&path).len(), 2, "{case}: one backup per change");
}

/// The rewritten file keeps the original's byte order mark, line ends, final newline
/// and indentation.
fn check_style(case: &str, original: &[u8], written: &[u8]) {
    let original = String::from_utf8_lossy(original);
    let written = String::from_utf8_lossy(written);
    assert_eq!(
        written.starts_with('\u{feff}'),
        original.starts_with('\u{feff}'),
        "{case}: byte order mark"
    );
    if original.contains("\r\n") {
        assert_eq!(
            written.matches('\n').count(),
            written.matches("\r\n").count(),
            "{case}: every line ends with CRLF"
        );
    } else {
        assert!(!written.contains('\r'), "{case}: no CR added");
    }
    let body = original.trim_start_matches('\u{feff}').trim();
    if !body.is_empty() && body != "{}" {
        assert_eq!(
            written.ends_with('\n'),
            original.ends_with('\n'),
            "{case}: final newline kept as it was"
        );
    }
    if let Some(indent) = first_indent(&original) {
        assert_eq!(
            first_indent(&written),
            Some(indent),
            "{case}: indentation kept"
        );
    }
}

/// The leading whitespace of the first indented line.
fn first_indent(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let width = line.len() - line.trim_start().len();
        (width > 0).then(|| &line[..width])
    })
}

#[test]
fn corpus_round_trips_keep_everything_else() {
    let lf_cases = [
        "empty.json",
        "empty_object.json",
        "preferences_only.json",
        "unknown_keys.json",
        "thirty_servers.json",
        "node_entry_other_name.json",
        "tabs_no_final_newline.json",
        "non_ascii.json",
    ];
    for case in lf_cases {
        let bytes = fixture(case);
        round_trip(case, &bytes);
        let crlf = String::from_utf8(bytes.clone())
            .unwrap()
            .replace('\n', "\r\n");
        round_trip(&format!("{case} with CRLF"), crlf.as_bytes());
        let mut bom = "\u{feff}".as_bytes().to_vec();
        bom.extend_from_slice(&bytes);
        round_trip(&format!("{case} with a byte order mark"), &bom);
        let trimmed = String::from_utf8(bytes).unwrap();
        round_trip(
            &format!("{case} without a final newline"),
            trimmed.trim_end().as_bytes(),
        );
    }
}

#[test]
fn registering_touches_only_the_lines_it_must() {
    // Compact arrays, odd spacing and blank lines stay exactly as the user wrote them.
    let original = "{\n  \"globalShortcut\": \"Alt+Space\",\n\n  \"mcpServers\": {\n    \"filesystem\": { \"command\": \"npx\", \"args\": [\"-y\", \"fs\"] }\n  }\n}\n";
    let (_dir, path) = setup(original.as_bytes());
    let change = register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false).unwrap();
    let written = String::from_utf8(fs::read(&path).unwrap()).unwrap();
    let expected = "{\n  \"globalShortcut\": \"Alt+Space\",\n\n  \"mcpServers\": {\n    \"filesystem\": { \"command\": \"npx\", \"args\": [\"-y\", \"fs\"] },\n    \"novabackup\": {\n      \"command\": \"/opt/novabackup/bin/novabackup-mcp\",\n      \"args\": [],\n      \"env\": {\n        \"MCP_SERVERS_FILE\": \"/home/tech/.config/novabackup-mcp/servers.json\"\n      }\n    }\n  }\n}\n";
    assert_eq!(written, expected);
    let diff = change.update.diff();
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    assert_eq!(
        removed.len(),
        1,
        "only the line that gains a comma changes: {removed:?}"
    );

    // A one-line file stays on one line.
    let (_dir, path) = setup(br#"{"mcpServers": {"a": {"command": "x"}}, "b": [1, 2]}"#);
    register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false).unwrap();
    let written = String::from_utf8(fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        written,
        r#"{"mcpServers": {"a": {"command": "x"}, "novabackup": {"command":"/opt/novabackup/bin/novabackup-mcp","args":[],"env":{"MCP_SERVERS_FILE":"/home/tech/.config/novabackup-mcp/servers.json"}}}, "b": [1, 2]}"#
    );
}

#[test]
fn non_ascii_paths_work_for_the_file_and_the_entry() {
    let dir = TempDir::new().unwrap();
    let path = dir
        .path()
        .join("Jürgen Müller")
        .join("Anwendungsdaten 日本")
        .join(CONFIG);
    let original = fixture("non_ascii.json");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, &original).unwrap();
    let registration = Registration {
        entry: ServerEntry::new(
            "/home/jürgen/Programme Ü/novabackup-mcp",
            "/home/jürgen/.config/novabackup-mcp/servers.json",
        ),
        ..registration(ENTRY_NAME, false)
    };
    register_in_file(&path, &registration, at(1), false).unwrap();
    let servers = servers_of(&parse(&fs::read(&path).unwrap()));
    assert_eq!(
        servers[ENTRY_NAME]["command"],
        json!("/home/jürgen/Programme Ü/novabackup-mcp")
    );
    assert_eq!(
        servers[ENTRY_NAME]["env"]["MCP_SERVERS_FILE"],
        json!("/home/jürgen/.config/novabackup-mcp/servers.json")
    );
    assert_eq!(fs::read(original_copy_path(&path)).unwrap(), original);
    unregister_from_file(&path, Client::ClaudeDesktop, ENTRY_NAME, at(2), false).unwrap();
    assert_eq!(
        fs::read(&path).unwrap(),
        original,
        "back to the exact bytes"
    );
}

#[test]
fn missing_file_and_missing_folder_are_created() {
    let dir = TempDir::new().unwrap();
    for path in [
        dir.path().join(CONFIG),
        dir.path().join("Claude").join("deeper").join(CONFIG),
    ] {
        let change =
            register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false).unwrap();
        assert!(change.update.changed());
        assert_eq!(change.update.before, None);
        let root = parse(&fs::read(&path).unwrap());
        assert_eq!(
            ordered(&root),
            ordered(&json!({"mcpServers": {"novabackup": expected_entry()}}))
        );
        assert!(
            !original_copy_path(&path).exists(),
            "there was no original to keep"
        );
        let removed =
            unregister_from_file(&path, Client::ClaudeDesktop, ENTRY_NAME, at(2), false).unwrap();
        assert!(removed.changed());
        assert_eq!(
            ordered(&parse(&fs::read(&path).unwrap())),
            ordered(&json!({"mcpServers": {}}))
        );
    }
    let absent = dir.path().join("nothing").join(CONFIG);
    let removed =
        unregister_from_file(&absent, Client::ClaudeDesktop, ENTRY_NAME, at(1), false).unwrap();
    assert!(!removed.changed());
    assert!(
        !absent.exists() && !absent.parent().unwrap().exists(),
        "unregister creates nothing"
    );
}

/// Asserts `outcome` is a refusal, the file's bytes are unchanged and nothing was
/// written beside it; returns the message.
fn assert_refused<T: std::fmt::Debug>(
    case: &str,
    dir: &Path,
    path: &Path,
    original: &[u8],
    outcome: Result<T, RegistrationError>,
) -> String {
    let error = outcome.expect_err(case);
    assert_eq!(fs::read(path).unwrap(), original, "{case}: bytes identical");
    let names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![CONFIG.to_owned()],
        "{case}: nothing written next to the file"
    );
    error.to_string()
}

#[test]
fn invalid_files_are_refused_with_line_and_column() {
    let cases = [
        ("invalid_trailing_comma.json", "line 6, column 5", "mistake"),
        (
            "servers_array.json",
            "line 3, column 17",
            "\"mcpServers\" as an array",
        ),
        (
            "root_array.json",
            "line 1, column 1",
            "the whole file as an array",
        ),
    ];
    for (case, position, what) in cases {
        let original = fixture(case);
        let (dir, path) = setup(&original);
        let message = assert_refused(
            case,
            dir.path(),
            &path,
            &original,
            register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false),
        );
        assert!(message.contains(position), "{case}: {message}");
        assert!(message.contains(what), "{case}: {message}");
        assert!(message.contains("nothing was changed"), "{case}: {message}");
        assert!(message.contains("Claude Desktop"), "{case}: {message}");
        assert_refused(
            case,
            dir.path(),
            &path,
            &original,
            unregister_from_file(&path, Client::ClaudeDesktop, ENTRY_NAME, at(1), false),
        );
        let dry = register_in_file(&path, &registration(ENTRY_NAME, false), at(1), true);
        assert_refused(case, dir.path(), &path, &original, dry);
    }
    // A CRLF file with a byte order mark still reports the right place.
    let crlf = format!(
        "\u{feff}{}",
        String::from_utf8(fixture("invalid_trailing_comma.json"))
            .unwrap()
            .replace('\n', "\r\n")
    );
    let (dir, path) = setup(crlf.as_bytes());
    let message = assert_refused(
        "CRLF",
        dir.path(),
        &path,
        crlf.as_bytes(),
        register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false),
    );
    assert!(message.contains("line 6, column 5"), "{message}");
}

#[test]
fn a_read_only_file_is_refused() {
    let original = fixture("unknown_keys.json");
    let (dir, path) = setup(&original);
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    let message = assert_refused(
        "read-only",
        dir.path(),
        &path,
        &original,
        register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false),
    );
    assert!(message.contains("read-only"), "{message}");
    assert!(message.contains("Make it writable"), "{message}");
}

#[test]
fn the_node_package_under_our_name_is_replaced_only_when_asked() {
    let original = fixture("node_entry.json");
    let (dir, path) = setup(&original);
    let message = assert_refused(
        "node entry",
        dir.path(),
        &path,
        &original,
        register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false),
    );
    assert!(
        message.contains("--replace-node") && message.contains("import"),
        "{message}"
    );

    let change = register_in_file(&path, &registration(ENTRY_NAME, true), at(1), false).unwrap();
    assert_eq!(change.node_entries, vec!["novabackup".to_owned()]);
    let root = parse(&fs::read(&path).unwrap());
    let servers = servers_of(&root);
    let names: Vec<&String> = servers.keys().collect();
    assert_eq!(
        names,
        ["github", "novabackup", "memory"],
        "ours takes the Node entry's place"
    );
    assert_eq!(servers["novabackup"], expected_entry());
    assert_eq!(servers["memory"], servers_of(&parse(&original))["memory"]);
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"args\": [\"-y\", \"@modelcontextprotocol/server-memory\"]"),
        "the other entries keep their exact text: {text}"
    );
}

#[test]
fn the_node_package_under_another_name_is_reported_then_removed_when_asked() {
    let original = fixture("node_entry_other_name.json");
    let (_dir, path) = setup(&original);
    let dry = register_in_file(&path, &registration(ENTRY_NAME, false), at(1), true).unwrap();
    assert_eq!(dry.node_entries, vec!["nova-old".to_owned()]);
    assert!(dry.update.changed());
    assert_eq!(
        fs::read(&path).unwrap(),
        original,
        "a dry run writes nothing"
    );
    assert!(
        dry.update.diff().contains("+    \"novabackup\": {"),
        "{}",
        dry.update.diff()
    );

    let change = register_in_file(&path, &registration(ENTRY_NAME, true), at(1), false).unwrap();
    assert_eq!(change.node_entries, vec!["nova-old".to_owned()]);
    let shown = format!("{change:?}");
    assert!(
        !shown.contains("MCP_LOG_LEVEL") && !shown.contains("weather-mcp"),
        "Debug shows no content of the user's file: {shown}"
    );
    let servers = servers_of(&parse(&fs::read(&path).unwrap()));
    let names: Vec<&String> = servers.keys().collect();
    assert_eq!(names, ["weather", "novabackup"]);
}

#[test]
fn an_older_entry_of_ours_is_updated_keeping_what_the_user_added() {
    let original = br#"{"mcpServers": {"novabackup": {"command": "/old/place/novabackup-mcp", "args": ["--x"], "env": {"MCP_LOG_LEVEL": "debug", "MCP_SERVERS_FILE": "/old/servers.json"}, "disabled": false}}}"#;
    let (_dir, path) = setup(original);
    register_in_file(&path, &registration(ENTRY_NAME, false), at(1), false).unwrap();
    let servers = servers_of(&parse(&fs::read(&path).unwrap()));
    assert_eq!(
        ordered(&servers["novabackup"]),
        ordered(&json!({
            "command": "/opt/novabackup/bin/novabackup-mcp",
            "args": [],
            "env": {"MCP_LOG_LEVEL": "debug", "MCP_SERVERS_FILE": "/home/tech/.config/novabackup-mcp/servers.json"},
            "disabled": false
        }))
    );
}

#[test]
fn backups_keep_the_original_and_the_last_five_versions_and_restore_them() {
    let original = fixture("preferences_only.json");
    let (_dir, path) = setup(&original);
    let mut contents = vec![original.clone()];
    for i in 0..8u32 {
        let name = format!("extra-{i}");
        register_in_file(&path, &registration(&name, false), at(i), false).unwrap();
        contents.push(fs::read(&path).unwrap());
    }
    let kept = versions(&path);
    assert_eq!(
        kept.len(),
        5,
        "only the last five versions are kept: {kept:?}"
    );
    assert!(kept.iter().all(|p| p.starts_with(backups_dir(&path))));
    // The newest backup is the version before the last change.
    assert_eq!(fs::read(kept.last().unwrap()).unwrap(), contents[7]);
    assert_eq!(fs::read(&kept[0]).unwrap(), contents[3]);
    assert_eq!(fs::read(original_copy_path(&path)).unwrap(), original);

    let (from, update) = restore(&path, RestorePoint::Latest, at(30)).unwrap();
    assert_eq!(from, *kept.last().unwrap());
    assert!(update.changed());
    assert_eq!(fs::read(&path).unwrap(), contents[7]);

    let (_, update) = restore(&path, RestorePoint::Original, at(31)).unwrap();
    assert!(update.changed());
    assert_eq!(fs::read(&path).unwrap(), original, "restored byte for byte");
    let (_, update) = restore(&path, RestorePoint::Original, at(32)).unwrap();
    assert!(
        !update.changed(),
        "restoring what is already there writes nothing"
    );
}

#[test]
fn restore_without_backups_says_so() {
    let (_dir, path) = setup(b"{}");
    let error = restore(&path, RestorePoint::Original, at(1)).unwrap_err();
    assert!(
        matches!(error, RegistrationError::NoBackup { .. }),
        "{error}"
    );
    assert_eq!(fs::read(&path).unwrap(), b"{}");
}

#[cfg(unix)]
#[test]
fn permissions_and_symbolic_links_survive() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = TempDir::new().unwrap();
    let real = dir.path().join("dotfiles").join(CONFIG);
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::write(&real, b"{\"a\": 1}\n").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join(CONFIG);
    symlink(&real, &link).unwrap();

    register_in_file(&link, &registration(ENTRY_NAME, false), at(1), false).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its permissions");
    let mode_of = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode_of(&original_copy_path(&real)),
        0o600,
        "copies are private"
    );
    assert_eq!(mode_of(&backups_dir(&real)), 0o700, "copies are private");
    for version in versions(&real) {
        assert_eq!(mode_of(&version), 0o600, "copies are private");
    }
    assert!(servers_of(&parse(&fs::read(&real).unwrap())).contains_key(ENTRY_NAME));
    let leftovers: Vec<String> = fs::read_dir(real.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
}

const RACE_FILE: &str = "NOVABACKUP_REGISTRATION_RACE_FILE";
const RACE_PREFIX: &str = "NOVABACKUP_REGISTRATION_RACE_PREFIX";
const RACE_ROUNDS: usize = 15;

fn register_many(path: &Path, prefix: &str) {
    for i in 0..RACE_ROUNDS {
        let name = format!("{prefix}-{i:02}");
        register_in_file(path, &registration(&name, false), at(0), false)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn assert_all_landed(path: &Path, prefixes: &[&str]) {
    let root = parse(&fs::read(path).unwrap());
    assert_eq!(
        root.get("globalShortcut"),
        Some(&json!("Alt+Space")),
        "other keys survive"
    );
    let servers = servers_of(&root);
    for prefix in prefixes {
        for i in 0..RACE_ROUNDS {
            let name = format!("{prefix}-{i:02}");
            assert!(
                servers.contains_key(&name),
                "{name} was lost: {:?}",
                servers.keys()
            );
        }
    }
    assert_eq!(servers.len(), 1 + prefixes.len() * RACE_ROUNDS);
}

#[test]
fn two_threads_registering_at_once_both_land() {
    let (_dir, path) = setup(&fixture("unknown_keys.json"));
    std::thread::scope(|scope| {
        for prefix in ["left", "right"] {
            let path = &path;
            scope.spawn(move || register_many(path, prefix));
        }
    });
    assert_all_landed(&path, &["left", "right"]);
}

/// Run by [`two_processes_registering_at_once_both_land`] in child processes (this
/// same test program); does nothing when run on its own.
#[test]
fn race_child() {
    if let (Some(path), Some(prefix)) =
        (std::env::var_os(RACE_FILE), std::env::var(RACE_PREFIX).ok())
    {
        register_many(Path::new(&path), &prefix);
    }
}

#[test]
fn two_processes_registering_at_once_both_land() {
    let (_dir, path) = setup(&fixture("unknown_keys.json"));
    let me = std::env::current_exe().unwrap();
    let children: Vec<_> = ["first", "second"]
        .iter()
        .map(|prefix| {
            Command::new(&me)
                .args(["--exact", "race_child", "--test-threads", "1"])
                .env(RACE_FILE, &path)
                .env(RACE_PREFIX, prefix)
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
    assert_all_landed(&path, &["first", "second"]);
}

#[test]
fn a_change_made_meanwhile_by_another_program_is_not_overwritten() {
    use novabackup_core::registration::update_file;
    let (_dir, path) = setup(b"{\"a\": 1}");
    let mut calls = 0;
    let update = update_file(&path, at(1), |current| {
        calls += 1;
        if calls == 2 {
            // Another program (not one of ours, so it takes no lock) writes the file
            // after our read and before our rename.
            fs::write(&path, b"{\"a\": 1, \"other\": true}").unwrap();
        }
        let mut root = parse(current.unwrap_or_default());
        root.insert("ours".to_owned(), json!(true));
        Ok(Some(serde_json::to_vec(&root).unwrap()))
    })
    .unwrap();
    assert!(update.changed());
    assert_eq!(
        calls, 3,
        "the change was computed again from the new content"
    );
    assert_eq!(
        ordered(&parse(&fs::read(&path).unwrap())),
        ordered(&json!({"a": 1, "other": true, "ours": true})),
        "both changes are there"
    );
}
