//! `login`, `list`, `test`, `logout` and `import` end to end: the built binary, the
//! Management Server simulator on loopback and a real Secret Service. Run through
//! `tests/keychain/run.sh`, which starts the Secret Service and passes `--ignored`.
#![cfg(target_os = "linux")]

mod cli_accounts_common;

use std::path::Path;
use std::process::Command;

use cli_accounts_common::{Home, Run};
use ms_sim::{Sim, SimConfig};

/// A simulator and the runtime that keeps it serving while the test runs commands.
struct Server {
    sim: Sim,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(config: SimConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sim = runtime.block_on(Sim::start(config)).unwrap();
        Self {
            sim,
            _runtime: runtime,
        }
    }

    fn url(&self) -> String {
        self.sim.base_url()
    }

    fn admin(&self) -> (String, String) {
        let admin = self.sim.admin();
        (admin.user_name.clone(), admin.password.clone())
    }
}

/// A server id no other test (or test binary) in the same keyring uses.
fn unique(name: &str) -> String {
    format!("{name}-{}", std::process::id())
}

/// The password the Secret Service holds for `server_id`, asked through libsecret.
fn keyring_password(server_id: &str) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", "novabackup-mcp", "username", server_id])
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap())
}

fn login(home: &Home, server_id: &str, url: &str, user: &str, password: &str) -> Run {
    home.run(
        &[
            "login",
            "--server-id",
            server_id,
            "--label",
            "Demo",
            "--url",
            url,
            "--username",
            user,
            "--password-stdin",
        ],
        &format!("{password}\n"),
    )
}

/// Neither output stream of any run, nor any file under the home (but `except`), holds `secret`.
fn assert_never_leaked(home: &Home, runs: &[&Run], secret: &str, except: Option<&Path>) {
    for run in runs {
        assert!(
            !run.both().contains(secret),
            "leaked in output: {}",
            run.both()
        );
    }
    let files: Vec<_> = home
        .files_containing(secret)
        .into_iter()
        .filter(|f| Some(f.as_path()) != except)
        .collect();
    assert!(files.is_empty(), "password written to {files:?}");
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn login_list_test_logout_round_trip() {
    let server = Server::start(SimConfig::default());
    let (user, password) = server.admin();
    let home = Home::new();
    let id = unique("roundtrip");

    let saved = login(&home, &id, &server.url(), &user, &password);
    assert_eq!(saved.code, 0, "{}", saved.both());
    assert!(
        saved.stdout.contains(&format!(
            "Saved {id} ({}) as {user}; the password is in your system keyring.",
            server.url()
        )),
        "{}",
        saved.both()
    );
    assert_eq!(keyring_password(&id).as_deref(), Some(password.as_str()));
    let profiles = std::fs::read_to_string(home.servers_file()).unwrap();
    assert!(profiles.contains(&id) && profiles.contains(&server.url()));

    let listed = home.run(&["list"], "");
    assert_eq!(listed.code, 0, "{}", listed.both());
    let line = listed
        .stdout
        .lines()
        .find(|l| l.starts_with(&id))
        .unwrap_or_else(|| panic!("{id} listed: {}", listed.both()));
    for part in [server.url().as_str(), user.as_str(), "Demo", "in keyring"] {
        assert!(line.contains(part), "{part} in {line}");
    }

    for args in [vec!["test"], vec!["test", id.as_str()]] {
        let tested = home.run(&args, "");
        assert_eq!(tested.code, 0, "{}", tested.both());
        assert!(
            tested.stdout.starts_with(&format!("ok    {id}"))
                && tested.stdout.contains(" ms  token valid until "),
            "{}",
            tested.both()
        );
    }

    let updated = home.run(
        &[
            "login",
            "--server-id",
            &id,
            "--label",
            "Renamed",
            "--password-stdin",
        ],
        &format!("{password}\n"),
    );
    assert_eq!(updated.code, 0, "{}", updated.both());
    assert!(
        updated.stdout.starts_with(&format!("Updated {id}")),
        "a known server keeps its URL and user: {}",
        updated.both()
    );

    let out = home.run(&["logout", &id], "");
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(
        out.stdout
            .contains("deleted its password from your system keyring"),
        "{}",
        out.both()
    );
    assert_eq!(keyring_password(&id), None, "keychain entry removed");
    let listed_after = home.run(&["list"], "");
    assert!(
        !listed_after.stdout.contains(&id),
        "{}",
        listed_after.both()
    );
    let again = home.run(&["logout", &id], "");
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("nothing to do"), "{}", again.both());

    assert_never_leaked(
        &home,
        &[&saved, &listed, &updated, &out, &listed_after, &again],
        &password,
        None,
    );
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn a_wrong_password_is_refused_and_nothing_is_saved() {
    let server = Server::start(SimConfig::default());
    let (user, _) = server.admin();
    let home = Home::new();
    let id = unique("wrongpw");
    let run = login(&home, &id, &server.url(), &user, "not-the-password-42");
    assert_ne!(run.code, 0, "{}", run.both());
    assert!(run.stderr.contains("was not accepted"), "{}", run.both());
    assert!(run.stderr.contains("Nothing was saved."), "{}", run.both());
    assert!(!home.servers_file().exists());
    assert_eq!(keyring_password(&id), None);
    assert_never_leaked(&home, &[&run], "not-the-password-42", None);
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn an_unreachable_server_is_explained() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/managementserver");
    let home = Home::new();
    let id = unique("unreachable");
    let run = login(&home, &id, &url, "admin", "pw-unreachable-7");
    assert_ne!(run.code, 0, "{}", run.both());
    assert!(run.stderr.contains("Could not reach"), "{}", run.both());
    assert!(run.stderr.contains("Nothing was saved."), "{}", run.both());
    assert!(!home.servers_file().exists());
    assert_eq!(keyring_password(&id), None);
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn a_private_certificate_authority_is_suggested_then_trusted() {
    let server = Server::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    });
    let (user, password) = server.admin();
    let home = Home::new();
    let id = unique("tls");

    let refused = login(&home, &id, &server.url(), &user, &password);
    assert_ne!(refused.code, 0, "{}", refused.both());
    assert!(
        refused.stderr.contains("--ca-certificate"),
        "{}",
        refused.both()
    );
    assert!(!home.servers_file().exists());

    let ca = home.path().join("ca.pem");
    std::fs::write(&ca, server.sim.ca_certificate_pem().unwrap()).unwrap();
    let accepted = home.run(
        &[
            "login",
            "--server-id",
            &id,
            "--url",
            &server.url(),
            "--username",
            &user,
            "--ca-certificate",
            ca.to_str().unwrap(),
            "--password-stdin",
        ],
        &password,
    );
    assert_eq!(accepted.code, 0, "{}", accepted.both());
    let tested = home.run(&["test", &id], "");
    assert_eq!(
        tested.code,
        0,
        "the saved CA is used again: {}",
        tested.both()
    );

    let out = home.run(&["logout", &id], "");
    assert_eq!(out.code, 0, "{}", out.both());
    assert_never_leaked(
        &home,
        &[&refused, &accepted, &tested, &out],
        &password,
        None,
    );
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn test_reports_each_failure_and_exits_non_zero() {
    let server = Server::start(SimConfig::default());
    let (user, password) = server.admin();
    let home = Home::new();
    let good = unique("good");
    let stale = unique("stale");
    assert_eq!(login(&home, &good, &server.url(), &user, &password).code, 0);
    assert_eq!(
        login(&home, &stale, &server.url(), &user, &password).code,
        0
    );
    // The password saved for `stale` no longer works (changed on the server, say).
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label",
            "x",
            "service",
            "novabackup-mcp",
            "username",
            &stale,
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"outdated-pw").unwrap();
    assert!(child.wait().unwrap().success());

    let tested = home.run(&["test"], "");
    assert_ne!(tested.code, 0, "{}", tested.both());
    assert!(
        tested.stdout.contains(&format!("ok    {good}")),
        "{}",
        tested.both()
    );
    assert!(
        tested.stdout.contains(&format!("FAIL  {stale}")),
        "{}",
        tested.both()
    );
    assert!(
        tested.stdout.contains("was not accepted"),
        "{}",
        tested.both()
    );

    // No password at all for a server.
    assert_eq!(home.run(&["logout", &stale], "").code, 0);
    assert_eq!(
        login(&home, &stale, &server.url(), &user, &password).code,
        0
    );
    Command::new("secret-tool")
        .args(["clear", "service", "novabackup-mcp", "username", &stale])
        .status()
        .unwrap();
    let missing = home.run(&["test", &stale], "");
    assert_ne!(missing.code, 0);
    assert!(
        missing
            .stdout
            .contains("No password for it in the keychain")
            && missing
                .stdout
                .contains(&format!("login --server-id {stale}")),
        "{}",
        missing.both()
    );
    let listed = home.run(&["list"], "");
    assert!(listed.stdout.contains("missing"), "{}", listed.both());

    for id in [&good, &stale] {
        home.run(&["logout", id], "");
    }
    assert_never_leaked(&home, &[&tested, &missing, &listed], &password, None);
}

/// Writes the Node.js server's credentials file with these (id, user, password) entries.
fn write_credentials(path: &Path, url: &str, entries: &[(&str, &str, &str)]) {
    let servers: Vec<_> = entries
        .iter()
        .map(|(id, user, password)| {
            serde_json::json!({"server_id": id, "label": format!("Label {id}"), "base_url": url,
                "username": user, "password": password})
        })
        .collect();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        serde_json::to_string_pretty(&serde_json::json!({"version": 1, "servers": servers}))
            .unwrap(),
    )
    .unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn import_keeps_the_plaintext_file_unless_asked() {
    let server = Server::start(SimConfig::default());
    let north = server.sim.user("tech-north").unwrap().clone();
    let (admin, admin_pw) = server.admin();
    let home = Home::new();
    let (a, b) = (unique("imp-a"), unique("imp-b"));
    // The default place: ~/.novabackup-mcp/credentials.json.
    let file = home.path().join(".novabackup-mcp/credentials.json");
    write_credentials(
        &file,
        &server.url(),
        &[
            (&a, &admin, &admin_pw),
            (&b, &north.user_name, &north.password),
        ],
    );

    let run = home.run(&["import"], "");
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(
        run.stdout.contains(&format!("Imported {a}")),
        "{}",
        run.both()
    );
    assert!(
        run.stdout.contains(&format!("Imported {b}")),
        "{}",
        run.both()
    );
    assert!(
        run.stdout.contains("still holds the passwords"),
        "{}",
        run.both()
    );
    assert!(file.exists(), "kept without --delete-plaintext");
    assert_eq!(keyring_password(&a).as_deref(), Some(admin_pw.as_str()));
    assert_eq!(
        keyring_password(&b).as_deref(),
        Some(north.password.as_str())
    );
    let tested = home.run(&["test"], "");
    assert_eq!(tested.code, 0, "imported servers work: {}", tested.both());

    for secret in [&admin_pw, &north.password] {
        assert_never_leaked(&home, &[&run, &tested], secret, Some(&file));
    }
    for id in [&a, &b] {
        home.run(&["logout", id], "");
    }
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn import_deletes_the_plaintext_file_only_when_every_entry_is_stored() {
    let server = Server::start(SimConfig::default());
    let (admin, admin_pw) = server.admin();
    let home = Home::new();
    let (good, bad) = (unique("del-good"), unique("del-bad"));
    let file = home.path().join("elsewhere/credentials.json");

    // One entry fails: the file stays, the good one is stored anyway.
    write_credentials(
        &file,
        &server.url(),
        &[
            (&good, &admin, &admin_pw),
            (&bad, &admin, "wrong-pw-for-import"),
        ],
    );
    let partial = home.run(
        &[
            "import",
            "--from",
            file.to_str().unwrap(),
            "--delete-plaintext",
        ],
        "",
    );
    assert_ne!(partial.code, 0, "{}", partial.both());
    assert!(
        partial.stdout.contains(&format!("Imported {good}")),
        "{}",
        partial.both()
    );
    assert!(
        partial.stdout.contains(&format!("Not imported {bad}")),
        "{}",
        partial.both()
    );
    assert!(partial.stdout.contains("Kept"), "{}", partial.both());
    assert!(file.exists(), "kept while an entry failed");
    assert_eq!(keyring_password(&bad), None);

    // All entries good: the file goes.
    write_credentials(&file, &server.url(), &[(&good, &admin, &admin_pw)]);
    let done = home.run(
        &[
            "import",
            "--from",
            file.to_str().unwrap(),
            "--delete-plaintext",
        ],
        "",
    );
    assert_eq!(done.code, 0, "{}", done.both());
    assert!(
        done.stdout.contains("Deleted the plaintext file"),
        "{}",
        done.both()
    );
    assert!(!file.exists());
    assert_eq!(keyring_password(&good).as_deref(), Some(admin_pw.as_str()));

    assert_never_leaked(&home, &[&partial, &done], &admin_pw, None);
    assert_never_leaked(
        &home,
        &[&partial, &done],
        "wrong-pw-for-import",
        Some(&file),
    );
    home.run(&["logout", &good], "");
}

/// Runs `novabackup-mcp ARGS` on a pseudo-terminal (through `script`), answering each
/// prompt once it appears, as a person typing would. Returns the exit code and everything
/// the terminal showed.
fn run_on_terminal(home: &Home, args: &str, dialogue: &[(&str, &str)]) -> (i32, String) {
    use std::io::{Read, Write};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let command = format!("{} {args}", env!("CARGO_BIN_EXE_novabackup-mcp"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "dumb")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default(),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buffer) {
            if n == 0 || sender.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let mut stdin = child.stdin.take().unwrap();
    for (prompt, answer) in dialogue {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !String::from_utf8_lossy(&shown).contains(prompt) {
            let left = deadline.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(left) {
                Ok(chunk) => shown.extend(chunk),
                Err(_) => panic!(
                    "no prompt {prompt:?}; the terminal showed:\n{}",
                    String::from_utf8_lossy(&shown)
                ),
            }
        }
        // Let the program turn echo off before a password is typed.
        std::thread::sleep(Duration::from_millis(200));
        stdin.write_all(format!("{answer}\r").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = child.wait().unwrap();
    drop(stdin);
    while let Ok(chunk) = receiver.recv_timeout(Duration::from_secs(2)) {
        shown.extend(chunk);
    }
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&shown).into_owned(),
    )
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn interactive_login_prompts_for_everything_and_hides_the_password() {
    let server = Server::start(SimConfig::default());
    let (user, password) = server.admin();
    let home = Home::new();
    let id = unique("typed");
    let url = server.url();

    let (code, shown) = run_on_terminal(
        &home,
        "login",
        &[
            ("Server id", &id),
            ("Friendly label", "Typed In"),
            ("Management Server URL", &url),
            ("Username", &user),
            (&format!("Password for {user}: "), &password),
        ],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains(&format!("Saved {id} ({url}) as {user}")),
        "{shown}"
    );
    assert!(
        !shown.contains(&password),
        "the password is not echoed: {shown}"
    );
    assert_eq!(keyring_password(&id).as_deref(), Some(password.as_str()));

    // Again for the same server: Enter keeps each saved value.
    let (code, shown) = run_on_terminal(
        &home,
        &format!("login --server-id {id}"),
        &[
            ("Friendly label [Typed In]", ""),
            (&format!("[{url}]"), ""),
            (&format!("Username [{user}]"), ""),
            (&format!("Password for {user}: "), &password),
        ],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains(&format!("Updated {id} ({url}) as {user}")),
        "{shown}"
    );
    assert!(!shown.contains(&password), "{shown}");
    let profiles = std::fs::read_to_string(home.servers_file()).unwrap();
    assert!(profiles.contains("\"Typed In\""), "{profiles}");

    // --password-stdin with nothing piped in: the terminal line is read hidden too.
    let (code, shown) = run_on_terminal(
        &home,
        &format!("login --server-id {id} --password-stdin"),
        &[("", &password)],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(&format!("Updated {id}")), "{shown}");
    assert!(!shown.contains(&password), "not echoed: {shown}");

    home.run(&["logout", &id], "");
    assert_never_leaked(&home, &[], &password, None);
}

/// The companion app reaches the keychain only through this program
/// (`novabackup-mcp keychain`), so that one binary owns every item. Its items are the
/// ones `login` and `logout` use.
#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn the_app_reaches_the_same_keychain_items_through_this_program() {
    use novabackup_core::ServerId;
    use novabackup_core::keychain::owner::Owner;
    use secrecy::{ExposeSecret, SecretString};

    let owner = Owner::at(env!("CARGO_BIN_EXE_novabackup-mcp"));
    let id = unique("owned");
    let server_id = ServerId::new(id.clone()).unwrap();
    let password = "Ünïcödé \"quoted\" pass\\word";

    assert!(owner.get(&server_id).unwrap().is_none(), "nothing at first");
    owner
        .store(&server_id, &SecretString::from(password))
        .unwrap();
    assert_eq!(keyring_password(&id).as_deref(), Some(password));
    let read = owner.get(&server_id).unwrap().expect("stored");
    assert_eq!(read.expose_secret(), password);

    // An item saved by `login` is the same item.
    let server = Server::start(SimConfig::default());
    let (user, admin_password) = server.admin();
    let home = Home::new();
    let saved = login(&home, &id, &server.url(), &user, &admin_password);
    assert_eq!(saved.code, 0, "{}", saved.both());
    let read = owner.get(&server_id).unwrap().expect("stored by login");
    assert_eq!(read.expose_secret(), admin_password);

    assert!(owner.delete(&server_id).unwrap(), "there was one");
    assert_eq!(keyring_password(&id), None, "keychain entry removed");
    assert!(!owner.delete(&server_id).unwrap(), "nothing left");
}
