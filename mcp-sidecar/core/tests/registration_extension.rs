//! novabackup-mcp installed as a Claude Desktop extension, in a fake Claude Desktop
//! folder under a temporary HOME laid out as Claude Desktop writes it: found by its
//! manifest name whatever its id, its version and switch read, other extensions and
//! unreadable records ignored, and `status` saying so instead of offering an entry.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use novabackup_core::profiles::Os;
use novabackup_core::registration::{
    Client, ENTRY_NAME, EXTENSION_NAME, EntryState, INSTALLATIONS_FILE, InstalledExtension,
    Platform, ProcessLister, Registration, ServerEntry, claude_desktop_extension, client_status,
    installed_extension, register_in_file,
};
use serde_json::json;
use tempfile::TempDir;

/// No process runs (a stand-in for the process table).
struct Nobody;

impl ProcessLister for Nobody {
    fn process_names(&self) -> Vec<String> {
        Vec::new()
    }
}

const ID: &str = "local.mcpb.novabackup.novabackup-mcp";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Claude Desktop's folder with the extensions recorded in `extensions`, as it writes it:
/// the record, each unpacked bundle and each switch.
fn install(claude: &Path, extensions: &[(&str, &str, &str, Option<bool>)]) {
    let mut record = serde_json::Map::new();
    for (id, name, version, enabled) in extensions {
        let manifest = json!({"manifest_version": "0.3", "name": name, "version": version});
        record.insert(
            id.to_string(),
            json!({"id": id, "version": version, "hash": "0f", "installedAt": "2026-11-30T09:00:00.000Z",
                   "manifest": manifest, "signatureInfo": {"status": "unsigned"}, "source": "local"}),
        );
        write(
            &claude
                .join("Claude Extensions")
                .join(id)
                .join("manifest.json"),
            &manifest.to_string(),
        );
        if let Some(on) = enabled {
            write(
                &claude
                    .join("Claude Extensions Settings")
                    .join(format!("{id}.json")),
                &json!({"isEnabled": on, "userConfig": {"api_key": "not-ours"}}).to_string(),
            );
        }
    }
    write(
        &claude.join(INSTALLATIONS_FILE),
        &json!({"extensions": record}).to_string(),
    );
}

fn macos_claude(home: &Path) -> PathBuf {
    home.join("Library/Application Support/Claude")
}

#[test]
fn found_by_its_manifest_name_with_version_and_switch() {
    let home = TempDir::new().unwrap();
    let claude = macos_claude(home.path());
    assert_eq!(installed_extension(&claude), None, "no Claude folder yet");
    install(
        &claude,
        &[
            (
                "ant.dir.ant.anthropic.filesystem",
                "filesystem",
                "0.2.0",
                Some(true),
            ),
            (ID, EXTENSION_NAME, "0.1.0", Some(true)),
        ],
    );
    assert_eq!(
        installed_extension(&claude),
        Some(InstalledExtension {
            id: ID.to_owned(),
            version: Some("0.1.0".to_owned()),
            enabled: Some(true),
        })
    );
    let platform = Platform::with_home(Os::MacOs, home.path());
    assert_eq!(
        claude_desktop_extension(&platform).map(|e| e.id),
        Some(ID.to_owned())
    );

    // Another id (installed from a directory, say) is still ours by name; switched off is seen.
    install(
        &claude,
        &[("ant.dir.novabackup", EXTENSION_NAME, "0.2.0", Some(false))],
    );
    let found = installed_extension(&claude).unwrap();
    assert_eq!(found.id, "ant.dir.novabackup");
    assert_eq!(found.enabled, Some(false));

    // No settings file: the switch is unknown, not guessed.
    fs::remove_dir_all(claude.join("Claude Extensions Settings")).unwrap();
    install(&claude, &[(ID, EXTENSION_NAME, "0.1.0", None)]);
    assert_eq!(installed_extension(&claude).unwrap().enabled, None);
}

#[test]
fn other_extensions_and_unreadable_records_count_as_none() {
    let home = TempDir::new().unwrap();
    let claude = macos_claude(home.path());
    install(
        &claude,
        &[(
            "local.mcpb.someone.backup",
            "backup-tool",
            "1.0.0",
            Some(true),
        )],
    );
    assert_eq!(installed_extension(&claude), None);

    // A folder left behind without a record is not an installed extension.
    write(
        &claude
            .join("Claude Extensions")
            .join(ID)
            .join("manifest.json"),
        &json!({"name": EXTENSION_NAME}).to_string(),
    );
    assert_eq!(installed_extension(&claude), None);

    for broken in [
        "",
        "{",
        "[]",
        "{\"extensions\": []}",
        "{\"extensions\": {\"x\": 1}}",
    ] {
        write(&claude.join(INSTALLATIONS_FILE), broken);
        assert_eq!(installed_extension(&claude), None, "{broken:?}");
    }
}

#[test]
fn found_next_to_the_microsoft_store_settings_on_windows() {
    let root = TempDir::new().unwrap();
    let mut platform = Platform::with_home(Os::Windows, &root.path().join("Users/me"));
    platform.host.appdata = Some(root.path().join("Users/me/AppData/Roaming"));
    platform.local_appdata = Some(root.path().join("Users/me/AppData/Local"));
    let store = root
        .path()
        .join("Users/me/AppData/Local/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude");
    fs::create_dir_all(&store).unwrap();
    assert_eq!(claude_desktop_extension(&platform), None);
    install(&store, &[(ID, EXTENSION_NAME, "0.1.0", Some(true))]);
    assert_eq!(
        claude_desktop_extension(&platform).and_then(|e| e.version),
        Some("0.1.0".to_owned())
    );
}

#[test]
fn status_says_installed_as_an_extension_and_warns_of_a_second_copy() {
    let home = TempDir::new().unwrap();
    let platform = Platform::with_home(Os::Linux, home.path());
    let claude = home.path().join(".config/Claude");
    let program = home.path().join("bin/novabackup-mcp");
    write(&program, "");
    install(&claude, &[(ID, EXTENSION_NAME, "0.1.0", Some(true))]);

    let line = &client_status(Client::ClaudeDesktop, &platform, &program, &Nobody)[0];
    assert_eq!(line.state, EntryState::Missing);
    assert!(!line.entry_wanted());
    assert_eq!(
        line.to_string(),
        "Claude Desktop: installed as a Claude Desktop extension (0.1.0)"
    );

    // An entry as well: Claude starts two copies, and status says how to keep one.
    let registration = Registration {
        client: Client::ClaudeDesktop,
        name: ENTRY_NAME.to_owned(),
        entry: ServerEntry::new(&program, home.path().join("servers.json")),
        replace_node: false,
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    register_in_file(
        &claude.join("claude_desktop_config.json"),
        &registration,
        now,
        false,
    )
    .unwrap();
    let line = client_status(Client::ClaudeDesktop, &platform, &program, &Nobody)[0].to_string();
    assert!(line.starts_with("Claude Desktop: registered ("), "{line}");
    assert!(line.contains("two copies"), "{line}");
    assert!(
        line.contains("novabackup-mcp unregister --client claude-desktop"),
        "{line}"
    );

    // Switched off: said so.
    install(&claude, &[(ID, EXTENSION_NAME, "0.1.0", Some(false))]);
    let line = client_status(Client::ClaudeDesktop, &platform, &program, &Nobody)[0].to_string();
    assert!(line.contains("switched off"), "{line}");

    // Other clients never report Claude Desktop's extension.
    let cursor = &client_status(Client::Cursor, &platform, &program, &Nobody)[0];
    assert_eq!(cursor.extension, None);
}
