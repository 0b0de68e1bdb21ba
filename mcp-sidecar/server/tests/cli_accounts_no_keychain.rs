//! The command line where no Secret Service can be reached, and argument mistakes
//! caught before anything is asked or sent. Runs without `tests/keychain/run.sh`.

mod cli_accounts_common;

use cli_accounts_common::Home;

const NO_KEYCHAIN: &str = "No keychain is available on this machine";

#[test]
fn login_says_there_is_no_keychain_and_saves_nothing() {
    let home = Home::without_keychain();
    let run = home.run(
        &[
            "login",
            "--server-id",
            "acme-eu",
            "--url",
            "http://127.0.0.1:9/managementserver",
            "--username",
            "alice",
            "--password-stdin",
        ],
        "pw-never-shown-1\n",
    );
    assert_ne!(run.code, 0, "{}", run.both());
    assert!(run.stderr.contains(NO_KEYCHAIN), "{}", run.both());
    assert!(
        run.stderr
            .contains("novabackup-mcp login --server-id acme-eu --store credentials-file"),
        "names the exact command of the headless way: {}",
        run.both()
    );
    assert!(!run.both().contains("pw-never-shown-1"));
    assert!(!home.servers_file().exists(), "nothing saved");
    assert!(home.files_containing("pw-never-shown-1").is_empty());
}

#[test]
fn list_still_shows_saved_servers_and_notes_the_missing_keychain() {
    let home = Home::without_keychain();
    std::fs::create_dir_all(home.servers_file().parent().unwrap()).unwrap();
    std::fs::write(
        home.servers_file(),
        r#"{"servers":[{"server_id":"cmc-test","label":"Test","base_url":"https://cmc.example/managementserver","username":"bob"}]}"#,
    )
    .unwrap();
    let run = home.run(&["list"], "");
    assert_eq!(run.code, 0, "{}", run.both());
    assert!(run.stdout.contains("cmc-test"), "{}", run.both());
    assert!(run.stdout.contains("https://cmc.example/managementserver"));
    assert!(run.stdout.contains("bob"));
    assert!(run.stdout.contains("unknown"), "{}", run.both());
    assert!(run.stderr.contains(NO_KEYCHAIN), "{}", run.both());
}

#[test]
fn logout_without_keychain_removes_nothing() {
    let home = Home::without_keychain();
    std::fs::create_dir_all(home.servers_file().parent().unwrap()).unwrap();
    let saved = r#"{"servers":[{"server_id":"a","base_url":"https://a"}]}"#;
    std::fs::write(home.servers_file(), saved).unwrap();
    let run = home.run(&["logout", "a"], "");
    assert_ne!(run.code, 0, "{}", run.both());
    assert!(
        run.stderr.contains("so nothing was removed"),
        "{}",
        run.both()
    );
    assert_eq!(std::fs::read_to_string(home.servers_file()).unwrap(), saved);
}

#[test]
fn password_stdin_names_the_missing_options() {
    let home = Home::without_keychain();
    let run = home.run(&["login", "--server-id", "x", "--password-stdin"], "pw\n");
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("--url") && run.stderr.contains("--username"),
        "{}",
        run.both()
    );
    assert!(!run.stderr.contains("--server-id,"), "{}", run.both());
}

#[test]
fn an_invalid_server_id_is_explained() {
    let home = Home::without_keychain();
    let run = home.run(&["logout", "not valid!"], "");
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("letters, digits"), "{}", run.both());
}

#[test]
fn a_profiles_file_with_a_password_is_refused_and_not_echoed() {
    let home = Home::without_keychain();
    std::fs::create_dir_all(home.servers_file().parent().unwrap()).unwrap();
    std::fs::write(
        home.servers_file(),
        r#"{"servers":[{"server_id":"a","base_url":"https://a","username":"u","password":"pw-in-file-9"}]}"#,
    )
    .unwrap();
    let run = home.run(&["list"], "");
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("keychain"), "{}", run.both());
    assert!(!run.both().contains("pw-in-file-9"));
}

#[test]
fn import_of_a_missing_file_says_how_to_point_at_it() {
    let home = Home::without_keychain();
    let run = home.run(&["import"], "");
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(".novabackup-mcp/credentials.json") && run.stderr.contains("--from"),
        "{}",
        run.both()
    );
}

#[test]
fn a_headless_machine_uses_mcp_credentials_file() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(ms_sim::Sim::start(ms_sim::SimConfig::default()))
        .unwrap();
    let admin = sim.admin().clone();
    let mut home = Home::without_keychain();
    let file = home.path().join("headless/credentials.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let entries = serde_json::json!({"version": 1, "servers": [
        {"server_id": "headless", "label": "Headless", "base_url": sim.base_url(),
         "username": admin.user_name, "password": admin.password},
        {"server_id": "stale", "label": "Stale", "base_url": sim.base_url(),
         "username": admin.user_name, "password": "outdated-headless-pw"},
    ]});
    std::fs::write(&file, entries.to_string()).unwrap();
    home.env("MCP_CREDENTIALS_FILE", file.to_str().unwrap());

    let listed = home.run(&["list"], "");
    assert_eq!(listed.code, 0, "{}", listed.both());
    let line = listed
        .stdout
        .lines()
        .find(|l| l.starts_with("headless"))
        .unwrap_or_else(|| panic!("listed: {}", listed.both()));
    assert!(
        line.ends_with(&format!("in file {}", file.display())),
        "{line}"
    );
    assert!(
        !listed.stderr.contains(NO_KEYCHAIN),
        "no keychain needed: {}",
        listed.both()
    );

    let tested = home.run(&["test", "headless"], "");
    assert_eq!(tested.code, 0, "{}", tested.both());
    assert!(
        tested.stdout.starts_with("ok    headless"),
        "{}",
        tested.both()
    );

    let all = home.run(&["test"], "");
    assert_ne!(all.code, 0, "one entry is stale: {}", all.both());
    assert!(all.stdout.contains("FAIL  stale"), "{}", all.both());

    for run in [&listed, &tested, &all] {
        for secret in [admin.password.as_str(), "outdated-headless-pw"] {
            assert!(!run.both().contains(secret), "{}", run.both());
        }
    }
}

/// The headless way `login` itself offers: the password in a plain file (0600, the
/// Node server's format), chosen explicitly and warned about; `list`, `test`, the MCP
/// server's start-up and `logout` all find it there. No keychain is reachable.
#[test]
fn login_can_keep_the_password_in_a_plain_file_when_asked() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(ms_sim::Sim::start(ms_sim::SimConfig::default()))
        .unwrap();
    let admin = sim.admin().clone();
    let home = Home::without_keychain();
    let file = home.path().join(".novabackup-mcp/credentials.json");
    let url = sim.base_url();
    let login = |id: &str| {
        home.run(
            &[
                "login",
                "--server-id",
                id,
                "--url",
                &url,
                "--username",
                &admin.user_name,
                "--password-stdin",
                "--store",
                "credentials-file",
            ],
            &format!("{}\n", admin.password),
        )
    };

    let saved = login("headless");
    assert_eq!(saved.code, 0, "{}", saved.both());
    assert!(
        saved
            .stdout
            .contains(&format!("the password is in {}", file.display())),
        "{}",
        saved.both()
    );
    assert!(
        saved
            .stderr
            .contains("warning: the password now sits in the plain file"),
        "{}",
        saved.both()
    );
    assert_eq!(login("second").code, 0);

    let text = std::fs::read_to_string(&file).expect("the default credentials file");
    let written: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["servers"][0]["server_id"], "headless");
    assert_eq!(
        written["servers"][0]["password"],
        admin.password.as_str(),
        "the Node server's format"
    );
    assert_eq!(written["servers"][1]["server_id"], "second");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "readable by its owner only");
    }
    let profiles = std::fs::read_to_string(home.servers_file()).unwrap();
    assert!(
        !profiles.contains(&admin.password),
        "the profiles file holds no password"
    );
    assert!(profiles.contains("password_file"), "{profiles}");
    assert_eq!(
        home.files_containing(&admin.password),
        vec![file.clone()],
        "the chosen file is the only place the password is written"
    );

    let listed = home.run(&["list"], "");
    assert_eq!(listed.code, 0, "{}", listed.both());
    assert!(
        listed
            .stdout
            .contains(&format!("in file {}", file.display())),
        "{}",
        listed.both()
    );
    let tested = home.run(&["test"], "");
    assert_eq!(tested.code, 0, "{}", tested.both());
    assert!(
        tested.stdout.contains("ok    headless"),
        "{}",
        tested.both()
    );

    let removed = home.run(&["logout", "headless"], "");
    assert_eq!(removed.code, 0, "{}", removed.both());
    assert!(
        removed
            .stdout
            .contains(&format!("deleted its password from {}", file.display())),
        "{}",
        removed.both()
    );
    let left: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        left["servers"].as_array().unwrap().len(),
        1,
        "the other entry stays"
    );
    assert_eq!(left["servers"][0]["server_id"], "second");

    for run in [&saved, &listed, &tested, &removed] {
        assert!(!run.both().contains(&admin.password), "{}", run.both());
    }
}

#[test]
fn a_credentials_file_without_the_store_that_uses_it_is_refused() {
    let home = Home::without_keychain();
    let run = home.run(
        &[
            "login",
            "--server-id",
            "x",
            "--url",
            "https://x",
            "--username",
            "u",
            "--password-stdin",
            "--credentials-file",
            "/somewhere/c.json",
        ],
        "pw-unused\n",
    );
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("--store credentials-file"),
        "{}",
        run.both()
    );
    assert!(!home.servers_file().exists(), "nothing saved");
}

#[test]
fn logins_in_terminals_and_the_app_saving_at_once_all_land() {
    use novabackup_core::keychain::Keychain;
    use novabackup_core::profiles::Profiles;
    use novabackup_core::saving::{self, CaCertificate, NewPassword, SaveAs, ServerDetails};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(ms_sim::Sim::start(ms_sim::SimConfig::default()))
        .unwrap();
    let admin = sim.admin().clone();
    let home = Home::without_keychain();
    let url = sim.base_url();
    let logins = 6;
    let app_saves = 20;
    std::thread::scope(|scope| {
        // Each `login` a process of its own, all started at once.
        let terminals: Vec<_> = (0..logins)
            .map(|n| {
                let (home, url, admin) = (&home, &url, &admin);
                scope.spawn(move || {
                    let id = format!("cli-{n}");
                    home.run(
                        &[
                            "login",
                            "--server-id",
                            &id,
                            "--url",
                            url,
                            "--username",
                            &admin.user_name,
                            "--password-stdin",
                            "--store",
                            "credentials-file",
                        ],
                        &admin.password,
                    )
                })
            })
            .collect();
        // The app meanwhile: its Save is the core's save, a new id from the label and
        // the password through the keychain (in memory here: no keychain runs).
        let keychain = Keychain::in_memory();
        for _ in 0..app_saves {
            let details = ServerDetails {
                label: "From the app".to_owned(),
                base_url: url.clone(),
                username: admin.user_name.clone(),
                ca_certificate: CaCertificate::Set(None),
                password: NewPassword::Keychain(admin.password.clone().into()),
            };
            saving::save(
                &home.servers_file(),
                SaveAs::NewFromLabel,
                details,
                &keychain,
            )
            .expect("the app saved");
        }
        for terminal in terminals {
            let run = terminal.join().unwrap();
            assert_eq!(run.code, 0, "{}", run.both());
        }
    });
    let profiles = Profiles::load(home.servers_file()).unwrap();
    let ids: Vec<&str> = profiles
        .servers()
        .iter()
        .map(|p| p.server_id.as_str())
        .collect();
    assert_eq!(ids.len(), logins + app_saves, "every save landed: {ids:?}");
    for n in 0..logins {
        assert!(ids.contains(&format!("cli-{n}").as_str()), "{ids:?}");
    }
    let plain = home.path().join(".novabackup-mcp/credentials.json");
    let kept = novabackup_core::credentials_file::read(&plain).unwrap();
    assert_eq!(
        kept.len(),
        logins,
        "each terminal's password is in the file"
    );
}
