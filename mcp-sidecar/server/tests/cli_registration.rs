//! `register`, `status`, `unregister` driven through the built program, with HOME and
//! XDG_CONFIG_HOME pointing at a temporary folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{Value, json};
use tempfile::TempDir;

const PROGRAM: &str = env!("CARGO_BIN_EXE_novabackup-mcp");

/// Held by every test while it runs; the test that starts a stand-in Claude Desktop
/// holds it alone, since `status` everywhere would see that process.
static STAND_IN: RwLock<()> = RwLock::new(());

#[allow(dead_code)] // The guards are held, never read.
enum Guard {
    Shared(RwLockReadGuard<'static, ()>),
    Alone(RwLockWriteGuard<'static, ()>),
}

/// A temporary home with its own PATH folder (empty unless a test puts a program there).
struct Home {
    dir: TempDir,
    _guard: Guard,
}

impl Home {
    fn new() -> Self {
        let guard = Guard::Shared(STAND_IN.read().unwrap_or_else(PoisonError::into_inner));
        Self::with(guard)
    }

    /// A home for a test no other test may run beside.
    fn alone() -> Self {
        let guard = Guard::Alone(STAND_IN.write().unwrap_or_else(PoisonError::into_inner));
        Self::with(guard)
    }

    fn with(guard: Guard) -> Self {
        let dir = TempDir::new().unwrap();
        fs::create_dir_all(dir.path().join("bin")).unwrap();
        Self { dir, _guard: guard }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn claude_desktop_config(&self) -> PathBuf {
        self.path()
            .join(".config/Claude/claude_desktop_config.json")
    }

    /// The one folder the program treats as temporary here, so that these tests pass
    /// wherever the checkout (and so the built program) lives, /tmp included.
    fn temp_dir(&self) -> PathBuf {
        self.path().join("tmp")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_program(Path::new(PROGRAM), args)
    }

    fn run_program(&self, program: &Path, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .env_clear()
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join(".config"))
            .env("PATH", self.path().join("bin"))
            .env(
                novabackup_core::registration::TEMP_DIRS_VARIABLE,
                self.temp_dir(),
            )
            .output()
            .unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn program_path() -> String {
    fs::canonicalize(PROGRAM)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn register_status_unregister_round_trip() {
    let home = Home::new();
    let config = home.claude_desktop_config();

    let status = home.run(&["status"]);
    assert!(status.status.success(), "{}", stderr(&status));
    let text = stdout(&status);
    assert!(text.contains("Claude Desktop: not installed"), "{text}");
    assert!(text.contains("Cursor: not installed"), "{text}");
    assert_eq!(text.lines().count(), 5, "one line per client: {text}");

    let register = home.run(&["register"]);
    assert!(register.status.success(), "{}", stderr(&register));
    assert!(
        stdout(&register).contains("Claude Desktop: registered in"),
        "{}",
        stdout(&register)
    );
    let servers_file = home.path().join(".config/novabackup-mcp/servers.json");
    assert_eq!(
        read_json(&config),
        json!({"mcpServers": {"novabackup": {
            "command": program_path(),
            "args": [],
            "env": {"MCP_SERVERS_FILE": servers_file.to_string_lossy()}
        }}})
    );
    let written = fs::read(&config).unwrap();

    let again = home.run(&["register"]);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("already registered"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        fs::read(&config).unwrap(),
        written,
        "nothing to do, nothing written"
    );

    let status = stdout(&home.run(&["status"]));
    let line = status.lines().next().unwrap();
    assert!(
        line.starts_with(&format!("Claude Desktop: registered ({})", program_path())),
        "{line}"
    );

    let unregister = home.run(&["unregister"]);
    assert!(unregister.status.success(), "{}", stderr(&unregister));
    assert_eq!(read_json(&config), json!({"mcpServers": {}}));
    let again = home.run(&["unregister"]);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("nothing to do"),
        "{}",
        stdout(&again)
    );
    let status = stdout(&home.run(&["status"]));
    assert!(
        status.starts_with("Claude Desktop: not registered in"),
        "{status}"
    );
}

#[test]
fn a_program_in_a_temporary_folder_is_not_registered() {
    let home = Home::new();
    fs::create_dir_all(home.temp_dir()).unwrap();
    let copy = home.temp_dir().join("novabackup-mcp");
    fs::copy(PROGRAM, &copy).unwrap();
    let config = home.claude_desktop_config();
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    let before = r#"{"mcpServers":{"other":{"command":"/usr/bin/other"}}}"#;
    fs::write(&config, before).unwrap();

    let refused = home.run_program(&copy, &["register"]);
    assert!(!refused.status.success(), "{}", stdout(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("temporary folder")
            && message.contains(&home.temp_dir().display().to_string()),
        "the refusal names the temporary folder: {message}"
    );
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        before,
        "the settings file is untouched"
    );

    let accepted = home.run(&["register"]);
    assert!(
        accepted.status.success(),
        "the same program outside it registers: {}",
        stderr(&accepted)
    );
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let home = Home::new();
    let config = home.path().join("custom.json");
    let original = "{\n    \"globalShortcut\": \"Alt+Space\",\n    \"mcpServers\": {\n        \"weather\": {\"command\": \"uvx\", \"args\": [\"weather-mcp\"]}\n    }\n}\n";
    fs::write(&config, original).unwrap();
    let output = home.run(&[
        "register",
        "--config",
        config.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let diff = stdout(&output);
    assert!(diff.contains("(now)") && diff.contains("(after)"), "{diff}");
    assert!(diff.contains("+        \"novabackup\": {"), "{diff}");
    assert!(
        diff.contains(&format!("+            \"command\": \"{}\"", program_path())),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        original,
        "a dry run writes nothing"
    );
    let beside: Vec<_> = fs::read_dir(home.path()).unwrap().collect();
    assert_eq!(
        beside.len(),
        2,
        "no backup or lock file: only bin/ and the file"
    );
}

#[test]
fn invalid_json_is_refused_and_left_identical() {
    let home = Home::new();
    let config = home.claude_desktop_config();
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    let original = b"{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"},\n  }\n}\n";
    fs::write(&config, original).unwrap();
    for args in [
        &["register"][..],
        &["unregister"],
        &["register", "--dry-run"],
    ] {
        let output = home.run(args);
        assert!(!output.status.success(), "{args:?} must fail");
        let message = stderr(&output);
        assert!(message.contains("line 4, column 3"), "{message}");
        assert!(message.contains("nothing was changed"), "{message}");
        assert_eq!(
            fs::read(&config).unwrap(),
            original,
            "{args:?}: bytes identical"
        );
    }
    let status = home.run(&["status"]);
    assert!(status.status.success());
    assert!(
        stdout(&status).contains("settings file unusable"),
        "{}",
        stdout(&status)
    );
}

#[test]
fn node_entry_is_replaced_when_asked_and_original_can_be_restored() {
    let home = Home::new();
    let config = home.claude_desktop_config();
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    let original = "{\"mcpServers\": {\"novabackup\": {\"command\": \"npx\", \"args\": [\"-y\", \"@novabackup/management-server-mcp\"]}}}";
    fs::write(&config, original).unwrap();
    let refused = home.run(&["register"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--replace-node"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(fs::read_to_string(&config).unwrap(), original);

    let replaced = home.run(&["register", "--replace-node"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    assert!(
        stdout(&replaced).contains("novabackup-mcp import"),
        "{}",
        stdout(&replaced)
    );
    assert_eq!(
        read_json(&config)["mcpServers"]["novabackup"]["command"],
        json!(program_path())
    );

    let restored = home.run(&["unregister", "--restore", "original"]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        original,
        "restored byte for byte"
    );
}

#[test]
fn all_registers_in_installed_clients_only() {
    let home = Home::new();
    fs::create_dir_all(home.path().join(".cursor")).unwrap();
    fs::create_dir_all(home.path().join(".config/Code/User")).unwrap();
    let output = home.run(&["register", "--client", "all"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Windsurf: not installed, skipped"), "{text}");
    assert!(
        text.contains("Claude Desktop: not installed, skipped"),
        "{text}"
    );
    assert_eq!(
        read_json(&home.path().join(".cursor/mcp.json"))["mcpServers"]["novabackup"]["command"],
        json!(program_path())
    );
    let vscode = read_json(&home.path().join(".config/Code/User/mcp.json"));
    assert_eq!(vscode["servers"]["novabackup"]["type"], json!("stdio"));
    assert!(
        !home.path().join(".codeium").exists(),
        "nothing written for Windsurf"
    );
    assert!(!home.claude_desktop_config().exists());

    let refused = home.run(&["register", "--client", "all", "--config", "/x.json"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--config names one file"),
        "{}",
        stderr(&refused)
    );
}

#[cfg(unix)]
#[test]
fn claude_code_goes_through_its_command_line_without_secrets() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    // A stand-in for Claude Code's `claude` program (it cannot be installed here):
    // records each invocation's arguments, and succeeds.
    let log = home.path().join("claude-calls.log");
    let claude = home.path().join("bin/claude");
    fs::write(
        &claude,
        format!(
            "#!/bin/sh\n[ -n \"$PROBE\" ] && exit 0\necho \"$@\" >> '{}'\n",
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&claude, fs::Permissions::from_mode(0o755)).unwrap();
    wait_until_runnable(&claude, &[]);

    // Claude Code already runs the Node.js package under our name: replaced only when asked.
    fs::write(
        home.path().join(".claude.json"),
        r#"{"mcpServers": {"novabackup": {"command": "npx", "args": ["-y", "@novabackup/management-server-mcp"]}}}"#,
    )
    .unwrap();
    let refused = home.run(&["register", "--client", "claude-code"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--replace-node"),
        "{}",
        stderr(&refused)
    );
    assert!(!log.exists(), "a refusal runs nothing");

    let dry = home.run(&[
        "register",
        "--client",
        "claude-code",
        "--replace-node",
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("would run:"), "{}", stdout(&dry));
    assert!(!log.exists(), "a dry run runs nothing");

    let output = home.run(&["register", "--client", "claude-code", "--replace-node"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let calls = fs::read_to_string(&log).unwrap();
    let servers_file = home.path().join(".config/novabackup-mcp/servers.json");
    assert_eq!(
        calls,
        format!(
            "mcp remove --scope user novabackup\nmcp add --scope user novabackup -e MCP_SERVERS_FILE={} -- {}\n",
            servers_file.display(),
            program_path()
        )
    );
    assert!(!calls.to_lowercase().contains("password"));
}

#[cfg(unix)]
#[test]
fn status_sees_a_running_claude_desktop() {
    let home = Home::alone();
    fs::create_dir_all(home.claude_desktop_config().parent().unwrap()).unwrap();
    // A real process with Claude Desktop's Linux process name: a copy of `sleep`.
    let stand_in = home.path().join("claude-desktop");
    fs::copy("/bin/sleep", &stand_in).unwrap();
    wait_until_runnable(&stand_in, &["0"]);
    let mut child = Command::new(&stand_in).arg("30").spawn().unwrap();
    let status = home.run(&["status"]);
    let register = home.run(&["register"]);
    child.kill().unwrap();
    child.wait().unwrap();
    let line = stdout(&status).lines().next().unwrap().to_owned();
    assert!(line.contains("Claude Desktop is running"), "{line}");
    assert!(line.contains("quit it from its tray icon"), "{line}");
    assert!(
        stdout(&register).contains("Claude Desktop is running"),
        "{}",
        stdout(&register)
    );
}

#[test]
fn without_a_home_folder_nothing_is_guessed() {
    let output = Command::new(PROGRAM)
        .arg("register")
        .env_clear()
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no home folder is known"),
        "{}",
        stderr(&output)
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

#[cfg(unix)]
#[test]
fn register_wait_writes_the_entry_again_when_claude_desktop_drops_it_on_quit() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::alone();
    let config = home.claude_desktop_config();
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    fs::write(&config, "{}").unwrap();
    // A stand-in Claude Desktop (a script runs under its own file name): it quits after
    // a moment and, as it quits, writes back the settings it loaded at start.
    let stand_in = home.path().join("claude-desktop");
    fs::write(
        &stand_in,
        format!(
            "#!/bin/sh\n[ -n \"$PROBE\" ] && exit 0\nsleep 3\nprintf '{{\"mcpServers\": {{}}}}' > '{}'\n",
            config.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&stand_in, fs::Permissions::from_mode(0o755)).unwrap();
    wait_until_runnable(&stand_in, &[]);
    let mut child = Command::new(&stand_in).spawn().unwrap();
    // Reap it as soon as it exits, as its real parent would.
    let reaper = std::thread::spawn(move || child.wait().unwrap());

    let output = home.run(&["register", "--wait"]);
    assert!(reaper.join().unwrap().success());
    let text = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        text.contains("Waiting for Claude Desktop to quit"),
        "{text}"
    );
    assert!(text.contains("it was written again"), "{text}");
    assert_eq!(
        read_json(&config)["mcpServers"]["novabackup"]["command"],
        json!(program_path()),
        "the entry is there after Claude Desktop quit"
    );
}

#[test]
fn an_installed_extension_gets_no_second_entry() {
    let home = Home::new();
    let claude = home.path().join(".config/Claude");
    let id = "local.mcpb.novabackup.novabackup-mcp";
    fs::create_dir_all(claude.join("Claude Extensions").join(id)).unwrap();
    fs::write(
        claude.join("extensions-installations.json"),
        json!({"extensions": {id: {"id": id, "version": "0.1.0",
            "manifest": {"name": "novabackup-mcp", "version": "0.1.0"}}}})
        .to_string(),
    )
    .unwrap();

    let status = stdout(&home.run(&["status"]));
    assert!(
        status.starts_with("Claude Desktop: installed as a Claude Desktop extension (0.1.0)\n"),
        "{status}"
    );

    let register = home.run(&["register"]);
    assert!(register.status.success(), "{}", stderr(&register));
    let said = stdout(&register);
    assert!(
        said.contains("installed as a Claude Desktop extension"),
        "{said}"
    );
    assert!(said.contains("no settings entry is added"), "{said}");
    assert!(
        !home.claude_desktop_config().exists(),
        "no settings file was written"
    );
}
