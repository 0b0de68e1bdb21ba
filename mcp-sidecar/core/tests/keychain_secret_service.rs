//! The keychain against a real Secret Service (gnome-keyring on a private session bus).
//! Run through `tests/keychain/run.sh`, which starts one and passes `--ignored`.
#![cfg(target_os = "linux")]

use std::process::Command;

use novabackup_core::ServerId;
use novabackup_core::keychain::{Keychain, SERVICE};
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
