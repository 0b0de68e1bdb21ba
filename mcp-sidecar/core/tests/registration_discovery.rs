//! Finding each client's files on macOS, Windows (classic and Microsoft Store) and
//! Linux from an injected home and environment; status lines; Claude Desktop detected
//! by process name; Claude Code through a stand-in `claude` program; unstable paths.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};
use novabackup_core::profiles::Os;
use novabackup_core::registration::{
    Client, ENTRY_NAME, EntryState, Platform, ProcessLister, Registration, ServerEntry,
    SystemProcesses, add_with_cli, check_stable, claude_desktop_running, client_status, discover,
    register_in_file, remove_with_cli,
};
use tempfile::TempDir;

/// A fixed process list: stands in for the process table where a test needs a given
/// answer (a real stand-in process is used in `a_running_claude_desktop_is_seen`).
struct Listed(Vec<&'static str>);

impl ProcessLister for Listed {
    fn process_names(&self) -> Vec<String> {
        self.0.iter().map(|s| s.to_string()).collect()
    }
}

fn touch(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn program() -> PathBuf {
    PathBuf::from("/opt/novabackup/bin/novabackup-mcp")
}

#[test]
fn macos_layout() {
    let home = TempDir::new().unwrap();
    let platform = Platform::with_home(Os::MacOs, home.path());
    let found = discover(Client::ClaudeDesktop, &platform);
    let expected = home
        .path()
        .join("Library/Application Support/Claude/claude_desktop_config.json");
    assert_eq!(found.targets[0].path, expected);
    assert!(!found.targets[0].exists);
    assert!(
        !found.installed || Path::new("/Applications/Claude.app").is_dir(),
        "nothing says Claude is installed"
    );
    fs::create_dir_all(home.path().join("Applications/Claude.app")).unwrap();
    let found = discover(Client::ClaudeDesktop, &platform);
    assert!(
        found.installed,
        "installed before it ever wrote its settings"
    );
    assert!(!found.targets[0].exists);

    let vscode = discover(Client::VsCode, &platform);
    assert_eq!(
        vscode.targets[0].path,
        home.path()
            .join("Library/Application Support/Code/User/mcp.json")
    );
}

#[test]
fn linux_layout_respects_xdg_config_home() {
    let home = TempDir::new().unwrap();
    let mut platform = Platform::with_home(Os::Linux, home.path());
    let found = discover(Client::ClaudeDesktop, &platform);
    assert_eq!(
        found.targets[0].path,
        home.path()
            .join(".config/Claude/claude_desktop_config.json")
    );
    assert!(!found.installed);
    let xdg = home.path().join("xdg");
    platform.host.xdg_config_home = Some(xdg.clone());
    let found = discover(Client::ClaudeDesktop, &platform);
    assert_eq!(
        found.targets[0].path,
        xdg.join("Claude/claude_desktop_config.json")
    );

    // A `claude-desktop` program on PATH means installed, even with no settings yet.
    let bin = home.path().join("bin");
    touch(&bin.join("claude-desktop"), "");
    platform.path = vec![bin];
    assert!(discover(Client::ClaudeDesktop, &platform).installed);

    for (client, relative) in [
        (Client::Cursor, ".cursor/mcp.json"),
        (Client::Windsurf, ".codeium/windsurf/mcp_config.json"),
        (Client::ClaudeCode, ".claude.json"),
    ] {
        let found = discover(client, &platform);
        assert_eq!(
            found.targets[0].path,
            home.path().join(relative),
            "{client}"
        );
        assert!(!found.installed, "{client} is not installed");
    }
    fs::create_dir_all(home.path().join(".cursor")).unwrap();
    assert!(discover(Client::Cursor, &platform).installed);
}

#[test]
fn claude_code_respects_claude_config_dir() {
    let home = TempDir::new().unwrap();
    let mut platform = Platform::with_home(Os::Linux, home.path());
    let dir = home.path().join("claude-settings");
    platform.claude_config_dir = Some(dir.clone());
    let found = discover(Client::ClaudeCode, &platform);
    assert_eq!(found.targets[0].path, dir.join(".claude.json"));
    assert_eq!(found.claude_cli, None);
}

#[test]
fn vscode_includes_insiders_when_present() {
    let home = TempDir::new().unwrap();
    let platform = Platform::with_home(Os::Linux, home.path());
    let config = home.path().join(".config");
    fs::create_dir_all(config.join("Code/User")).unwrap();
    fs::create_dir_all(config.join("Code - Insiders/User")).unwrap();
    let found = discover(Client::VsCode, &platform);
    let paths: Vec<&PathBuf> = found.targets.iter().map(|t| &t.path).collect();
    assert_eq!(
        paths,
        [
            &config.join("Code/User/mcp.json"),
            &config.join("Code - Insiders/User/mcp.json")
        ]
    );
    assert_eq!(found.targets[1].variant, "Insiders");
    assert!(found.installed);
}

fn windows(root: &Path) -> Platform {
    let mut platform = Platform::with_home(Os::Windows, &root.join("Users/tech"));
    platform.host.appdata = Some(root.join("Users/tech/AppData/Roaming"));
    platform.local_appdata = Some(root.join("Users/tech/AppData/Local"));
    platform
}

#[test]
fn windows_classic_layout() {
    let root = TempDir::new().unwrap();
    let platform = windows(root.path());
    let classic = root
        .path()
        .join("Users/tech/AppData/Roaming/Claude/claude_desktop_config.json");
    let found = discover(Client::ClaudeDesktop, &platform);
    assert_eq!(found.targets[0].path, classic);
    assert!(found.alternatives.is_empty());
    assert!(!found.installed);
    fs::create_dir_all(root.path().join("Users/tech/AppData/Local/AnthropicClaude")).unwrap();
    assert!(discover(Client::ClaudeDesktop, &platform).installed);
}

#[test]
fn windows_store_layout_is_matched_by_pattern_and_preferred() {
    let root = TempDir::new().unwrap();
    let platform = windows(root.path());
    let local = root.path().join("Users/tech/AppData/Local");
    fs::create_dir_all(local.join("Packages/ClaudeNot_a_match")).unwrap();
    fs::create_dir_all(local.join("Packages/Microsoft.Claude_xyz")).unwrap();
    let package = local.join("Packages/Claude_pzs8sxrjxfjjc");
    fs::create_dir_all(&package).unwrap();
    let store = package.join("LocalCache/Roaming/Claude/claude_desktop_config.json");
    let classic = root
        .path()
        .join("Users/tech/AppData/Roaming/Claude/claude_desktop_config.json");

    // Installed from the Store, no settings yet: the Store's private copy is the target.
    let found = discover(Client::ClaudeDesktop, &platform);
    assert!(found.installed, "the package folder means installed");
    assert_eq!(found.targets[0].path, store);
    assert_eq!(found.targets[0].variant, "Microsoft Store");
    assert_eq!(found.alternatives[0].path, classic);
    assert!(found.conflicting_copies().is_empty());

    // Only the classic file exists: that is the one Claude reads.
    touch(&classic, "{\"a\": 1}");
    let found = discover(Client::ClaudeDesktop, &platform);
    assert_eq!(found.targets[0].path, classic);
    assert!(found.conflicting_copies().is_empty());

    // Both exist and are the same: the Store copy, no conflict.
    touch(&store, "{\"a\": 1}");
    let found = discover(Client::ClaudeDesktop, &platform);
    assert_eq!(found.targets[0].path, store);
    assert!(found.conflicting_copies().is_empty());

    // Both exist and differ: say so, naming both.
    touch(&store, "{\"b\": 2}");
    let found = discover(Client::ClaudeDesktop, &platform);
    assert_eq!(
        found.conflicting_copies(),
        vec![store.clone(), classic.clone()]
    );
    let line = &client_status(
        Client::ClaudeDesktop,
        &platform,
        &program(),
        &Listed(vec![]),
    )[0];
    assert_eq!(line.path, store);
    assert!(
        line.to_string().contains("two settings files differ"),
        "{line}"
    );
    assert!(line.to_string().contains("--all-configs"), "{line}");
}

#[test]
fn status_reports_each_state() {
    let home = TempDir::new().unwrap();
    let platform = Platform::with_home(Os::Linux, home.path());
    let nobody = Listed(vec!["bash", "claude"]);
    let status = |program: &Path| client_status(Client::ClaudeDesktop, &platform, program, &nobody);

    let lines = status(&program());
    assert_eq!(lines[0].state, EntryState::NotInstalled);
    assert_eq!(lines[0].to_string(), "Claude Desktop: not installed");
    assert_eq!(
        lines[0].running,
        Some(false),
        "`claude` (Claude Code) is not Claude Desktop"
    );

    let config = home
        .path()
        .join(".config/Claude/claude_desktop_config.json");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    assert_eq!(status(&program())[0].state, EntryState::Missing);

    // Registered with a real program file: registered; moved away: gone; another: different.
    let bin = home.path().join("novabackup-mcp");
    touch(&bin, "");
    let registration = Registration {
        client: Client::ClaudeDesktop,
        name: ENTRY_NAME.to_owned(),
        entry: ServerEntry::new(&bin, home.path().join("servers.json")),
        replace_node: false,
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    register_in_file(&config, &registration, now, false).unwrap();
    let line = &status(&bin)[0];
    assert_eq!(line.state, EntryState::Registered);
    assert!(
        line.to_string().starts_with("Claude Desktop: registered ("),
        "{line}"
    );
    #[cfg(unix)]
    {
        // An entry through a link that leads to the program counts as registered.
        let link = home.path().join("link-to-novabackup-mcp");
        std::os::unix::fs::symlink(&bin, &link).unwrap();
        let canonical = fs::canonicalize(&bin).unwrap();
        let through_link = Registration {
            entry: ServerEntry::new(&link, home.path().join("servers.json")),
            ..registration.clone()
        };
        register_in_file(&config, &through_link, now, false).unwrap();
        assert_eq!(status(&canonical)[0].state, EntryState::Registered);
        register_in_file(&config, &registration, now, false).unwrap();
    }
    let other = home.path().join("elsewhere/novabackup-mcp");
    touch(&other, "");
    assert_eq!(
        status(&other)[0].state,
        EntryState::DifferentCommand {
            command: bin.to_string_lossy().into_owned()
        }
    );
    fs::remove_file(&bin).unwrap();
    assert_eq!(
        status(&other)[0].state,
        EntryState::ProgramGone {
            command: bin.to_string_lossy().into_owned()
        }
    );

    fs::write(&config, "{\"mcpServers\": {\"novabackup\": {\"command\": \"npx\", \"args\": [\"-y\", \"@novabackup/management-server-mcp\"]}}}").unwrap();
    let line = &status(&bin)[0];
    assert_eq!(line.state, EntryState::NodePackage);
    assert!(line.to_string().contains("--replace-node"), "{line}");

    fs::write(&config, "{\n  \"mcpServers\": {,\n}").unwrap();
    let line = &status(&bin)[0];
    assert!(
        matches!(line.state, EntryState::ConfigInvalid { .. }),
        "{line}"
    );
    assert!(line.to_string().contains("line 2, column 18"), "{line}");

    let running = Listed(vec!["Claude"]);
    let line = &client_status(Client::ClaudeDesktop, &platform, &bin, &running)[0];
    assert_eq!(line.running, Some(true));
    assert!(
        line.to_string().contains("quit it from its tray icon"),
        "{line}"
    );
}

#[cfg(unix)]
#[test]
fn a_running_claude_desktop_is_seen() {
    // A real process named like Claude Desktop's: a copy of `sleep` called `claude-desktop`.
    let dir = TempDir::new().unwrap();
    let stand_in = dir.path().join("claude-desktop");
    fs::copy("/bin/sleep", &stand_in).unwrap();
    wait_until_runnable(&stand_in, &["0"]);
    assert!(
        !claude_desktop_running(&SystemProcesses),
        "no Claude Desktop runs before the test starts one"
    );
    let mut child = Command::new(&stand_in).arg("30").spawn().unwrap();
    let seen = claude_desktop_running(&SystemProcesses);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(seen, "the stand-in process is seen as Claude Desktop");
    assert!(
        !claude_desktop_running(&SystemProcesses),
        "gone once it exits"
    );
}

#[cfg(unix)]
#[test]
fn claude_code_is_registered_through_its_command_line() {
    use std::os::unix::fs::PermissionsExt;
    // A stand-in for Claude Code's `claude` program (a real external CLI we cannot
    // install here): it records its arguments, one invocation per line.
    let dir = TempDir::new().unwrap();
    let log = dir.path().join("calls.log");
    let claude = dir.path().join("bin/claude");
    touch(
        &claude,
        &format!(
            "#!/bin/sh\n[ -n \"$PROBE\" ] && exit 0\nprintf '%s|' \"$@\" >> '{}'\necho >> '{}'\n[ \"$2\" = remove ] && [ ! -f '{}.added' ] && exit 1\n[ \"$2\" = add ] && touch '{}.added'\nexit 0\n",
            log.display(),
            log.display(),
            log.display(),
            log.display()
        ),
    );
    fs::set_permissions(&claude, fs::Permissions::from_mode(0o755)).unwrap();
    wait_until_runnable(&claude, &[]);
    let mut platform = Platform::with_home(Os::Linux, dir.path());
    platform.path = vec![dir.path().join("bin")];
    let found = discover(Client::ClaudeCode, &platform);
    assert_eq!(found.claude_cli.as_deref(), Some(claude.as_path()));
    assert!(found.installed);

    let entry = ServerEntry::new(program(), "/home/tech/.config/novabackup-mcp/servers.json");
    add_with_cli(&claude, ENTRY_NAME, &entry).expect("a failed removal of nothing is fine");
    remove_with_cli(&claude, ENTRY_NAME).unwrap();
    let calls = fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(
        lines,
        [
            "mcp|remove|--scope|user|novabackup|",
            "mcp|add|--scope|user|novabackup|-e|MCP_SERVERS_FILE=/home/tech/.config/novabackup-mcp/servers.json|--|/opt/novabackup/bin/novabackup-mcp|",
            "mcp|remove|--scope|user|novabackup|",
        ]
    );
    assert!(!calls.to_lowercase().contains("password") && !calls.contains("token"));

    // A refusal from `claude` is an error carrying its message.
    let failing = dir.path().join("bin/failing");
    touch(
        &failing,
        "#!/bin/sh\n[ -n \"$PROBE\" ] && exit 0\necho 'no such server' >&2\nexit 3\n",
    );
    fs::set_permissions(&failing, fs::Permissions::from_mode(0o755)).unwrap();
    wait_until_runnable(&failing, &[]);
    let error = remove_with_cli(&failing, ENTRY_NAME)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no such server") && error.contains("claude mcp remove"),
        "{error}"
    );
}

#[test]
fn unstable_program_paths_are_refused() {
    let mut platform = Platform::with_home(Os::Linux, Path::new("/home/tech"));
    platform.temp_dirs = vec![PathBuf::from("/tmp")];
    assert!(check_stable(Path::new("/usr/bin/novabackup-mcp"), &platform).is_ok());
    let mount = check_stable(
        Path::new("/tmp/.mount_NovaBaXyZ12/usr/bin/novabackup-mcp"),
        &platform,
    )
    .unwrap_err()
    .to_string();
    assert!(
        mount.contains("AppImage") && mount.contains("stable folder"),
        "{mount}"
    );
    let temp = check_stable(Path::new("/tmp/build/novabackup-mcp"), &platform)
        .unwrap_err()
        .to_string();
    assert!(temp.contains("temporary folder /tmp"), "{temp}");
    platform.appimage_mount = Some(PathBuf::from("/run/user/1000/appimage"));
    assert!(
        check_stable(
            Path::new("/run/user/1000/appimage/bin/novabackup-mcp"),
            &platform
        )
        .is_err()
    );
}

/// Runs `program` once (with `PROBE=1`) until the system lets it start: a program
/// written a moment ago is "busy" while a child process that another test forked
/// meanwhile still holds it open for writing.
#[cfg(unix)]
fn wait_until_runnable(program: &Path, probe_args: &[&str]) {
    for _ in 0..100 {
        match Command::new(program)
            .args(probe_args)
            .env("PROBE", "1")
            .status()
        {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => return,
        }
    }
}
