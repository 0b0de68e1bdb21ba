//! The keychain against a real Secret Service (gnome-keyring on a private session bus).
//! Run through `tests/keychain/run.sh`, which starts one and passes `--ignored`.
#![cfg(target_os = "linux")]

use std::process::Command;
use std::time::{Duration, Instant};

use novabackup_core::ServerId;
use novabackup_core::keychain::{Keychain, KeychainError, SERVICE};
use secrecy::{ExposeSecret, SecretString};

/// What `secret-tool` (libsecret, a different client) finds for this server.
fn secret_tool_lookup(server_id: &ServerId) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", server_id.as_str()])
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap())
}

/// A server id of its own per test, so tests sharing one keyring never collide.
fn unique_id(name: &str) -> ServerId {
    ServerId::new(format!("{name}-{}", std::process::id())).unwrap()
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn stores_reads_back_and_deletes_in_the_secret_service() {
    let keychain = Keychain::system().expect("the Secret Service started by run.sh answers");
    let server = unique_id("roundtrip");
    let password = SecretString::from("Tr1cky \"pass\" wörd ✓");

    assert!(
        keychain.get(&server).unwrap().is_none(),
        "nothing stored yet"
    );
    keychain.store(&server, &password).unwrap();

    let read = keychain.get(&server).unwrap().expect("stored password");
    assert_eq!(read.expose_secret(), password.expose_secret());
    assert_eq!(
        secret_tool_lookup(&server).as_deref(),
        Some(password.expose_secret()),
        "another client sees it under service novabackup-mcp, account = server id"
    );

    keychain
        .store(&server, &SecretString::from("second"))
        .unwrap();
    assert_eq!(
        keychain.get(&server).unwrap().unwrap().expose_secret(),
        "second",
        "storing again replaces"
    );

    let search = Command::new("secret-tool")
        .args(["search", "service", SERVICE, "username", server.as_str()])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&search.stdout) + String::from_utf8_lossy(&search.stderr);
    assert!(
        shown.contains(&format!("label = NovaBACKUP MCP password for {server}")),
        "a readable label in the keyring: {shown}"
    );

    assert!(
        keychain.delete(&server).unwrap(),
        "deleted an existing item"
    );
    assert!(keychain.get(&server).unwrap().is_none());
    assert_eq!(
        secret_tool_lookup(&server),
        None,
        "gone for other clients too"
    );
    assert!(!keychain.delete(&server).unwrap(), "nothing left to delete");
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn reads_an_item_written_by_another_client() {
    let server = unique_id("foreign");
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label",
            "written by secret-tool",
            "service",
            SERVICE,
            "username",
            server.as_str(),
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"from-libsecret")
        .unwrap();
    assert!(child.wait().unwrap().success());

    let keychain = Keychain::system().unwrap();
    assert_eq!(
        keychain.get(&server).unwrap().unwrap().expose_secret(),
        "from-libsecret"
    );
    assert!(keychain.delete(&server).unwrap());
}

/// Set by [`a_locked_keychain_says_to_unlock_it`] for the run it starts on a keyring of its own.
const LOCKED_CASE: &str = "NOVABACKUP_LOCKED_KEYCHAIN_CASE";

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn a_locked_keychain_says_to_unlock_it() {
    // Locking is for the whole keyring and cannot be undone without a desktop prompt,
    // so the case runs in this same test binary on a private bus and keyring of its own.
    let run_sh = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/keychain/run.sh");
    let output = Command::new(run_sh)
        .arg(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "locked_keychain_case",
            "--nocapture",
        ])
        .env(LOCKED_CASE, "1")
        .output()
        .unwrap();
    let shown = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("locked case checked"),
        "the case ran: {shown}"
    );
}

#[test]
#[ignore = "needs a Secret Service: run through tests/keychain/run.sh"]
fn locked_keychain_case() {
    if std::env::var_os(LOCKED_CASE).is_none() {
        eprintln!("skipped: runs only inside a_locked_keychain_says_to_unlock_it");
        return;
    }
    let keychain = Keychain::system_with_timeout(Duration::from_secs(3)).unwrap();
    let server = unique_id("locked");
    keychain.store(&server, &SecretString::from("x")).unwrap();
    let locked = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .unwrap();
    assert!(locked.status.success(), "{locked:?}");

    let started = Instant::now();
    let error = keychain.get(&server).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered within the bound"
    );
    assert!(
        matches!(
            error,
            KeychainError::Locked { .. } | KeychainError::Timeout { .. }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("nlock it"), "{error}");
    println!("locked case checked: {error}");
}
