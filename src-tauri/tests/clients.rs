//! Client commands in the mock runtime against real files in a temporary HOME:
//! connect writes Claude Desktop's entry, the restart is noticed, a vanished or broken
//! entry is flagged and repaired, disconnect removes only our entry.

mod common;

use common::TestApp;
use serde_json::{Value, json};

fn desktop_config(app: &TestApp) -> std::path::PathBuf {
    app.home.join(".config/Claude/claude_desktop_config.json")
}

/// Claude Desktop's settings file holding `text`, as if Claude Desktop were installed.
fn desktop_config_with(app: &TestApp, text: &str) -> std::path::PathBuf {
    let config = desktop_config(app);
    std::fs::create_dir_all(config.parent().expect("parent")).expect("mkdir");
    std::fs::write(&config, text).expect("config written");
    config
}

fn read(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("config written")).expect("JSON")
}

fn desktop(app: &TestApp) -> Value {
    let all = app.call("clients", json!({})).expect("clients");
    assert_eq!(
        all[0]["client"], "claude_desktop",
        "Claude Desktop comes first"
    );
    all[0].clone()
}

#[test]
fn connecting_claude_desktop_registers_the_bundled_sidecar_and_keeps_other_entries() {
    let app = TestApp::new();
    let config = desktop_config_with(
        &app,
        r#"{"mcpServers":{"other":{"command":"/usr/bin/other"}},"theme":"dark"}"#,
    );
    assert_eq!(desktop(&app)["state"], "not_connected");

    let view = app
        .call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("connected");
    assert_eq!(view["state"], "connected", "{view}");
    let written = read(&config);
    assert_eq!(
        written["mcpServers"]["novabackup"]["command"],
        app.sidecar.display().to_string()
    );
    assert_eq!(
        written["mcpServers"]["other"]["command"], "/usr/bin/other",
        "other entries kept"
    );
    assert_eq!(written["theme"], "dark", "other settings kept");

    let view = app
        .call("disconnect_client", json!({ "client": "claude_desktop" }))
        .expect("disconnected");
    assert_eq!(view["state"], "not_connected");
    let written = read(&config);
    assert!(
        written["mcpServers"].get("novabackup").is_none(),
        "{written}"
    );
    assert_eq!(written["mcpServers"]["other"]["command"], "/usr/bin/other");
}

#[test]
fn a_restart_of_claude_desktop_is_noticed() {
    let app = TestApp::new();
    std::fs::create_dir_all(desktop_config(&app).parent().expect("parent")).expect("mkdir");
    app.processes.set(&["claude-desktop"]);
    let view = app
        .call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("connected");
    assert_eq!(
        view["needsRestart"], true,
        "Claude was running: it must restart"
    );
    assert_eq!(
        desktop(&app)["needsRestart"],
        true,
        "still running the old settings"
    );
    app.processes.set(&[]);
    assert_eq!(
        desktop(&app)["needsRestart"],
        true,
        "quit, not started again yet"
    );
    app.processes.set(&["claude-desktop"]);
    assert_eq!(desktop(&app)["needsRestart"], false, "started again: done");
}

#[test]
fn a_vanished_or_broken_entry_is_flagged_and_repaired() {
    let app = TestApp::new();
    let config = desktop_config(&app);
    std::fs::create_dir_all(config.parent().expect("parent")).expect("mkdir");
    app.call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("connected");

    std::fs::write(&config, r#"{"mcpServers":{}}"#).expect("entry removed by hand");
    assert_eq!(
        desktop(&app)["state"],
        "missing",
        "the user had connected it"
    );
    app.call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("repaired");
    assert_eq!(desktop(&app)["state"], "connected");

    std::fs::write(
        &config,
        r#"{"mcpServers":{"novabackup":{"command":"/opt/old-place/novabackup-mcp"}}}"#,
    )
    .expect("entry pointing at a program that moved");
    assert_eq!(desktop(&app)["state"], "broken");
    let repaired = novabackup_companion::clients::repair_all(&app.companion());
    assert!(
        repaired.contains(&"Claude Desktop".to_owned()),
        "{repaired:?}"
    );
    assert_eq!(
        read(&config)["mcpServers"]["novabackup"]["command"],
        app.sidecar.display().to_string()
    );
}

#[test]
fn a_client_file_that_is_not_json_is_refused_untouched() {
    let app = TestApp::new();
    let config = desktop_config_with(&app, "{ not json");
    let error = app
        .call("connect_client", json!({ "client": "claude_desktop" }))
        .expect_err("refused");
    assert_eq!(error["code"], "registration", "{error}");
    assert_eq!(
        std::fs::read_to_string(&config).expect("read"),
        "{ not json",
        "file untouched"
    );
}

#[test]
fn the_advanced_settings_travel_to_the_connected_client() {
    let app = TestApp::new();
    let config = desktop_config_with(&app, "{}");
    app.call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("connected");
    let env = &read(&config)["mcpServers"]["novabackup"]["env"];
    assert_eq!(env["MCP_FANOUT_CONCURRENCY"], "50", "{env}");
    assert_eq!(env["MCP_REQUEST_TIMEOUT_SECONDS"], "10", "{env}");
    assert_eq!(env["MCP_LOG_LEVEL"], "info", "{env}");

    let mut settings = app.call("settings", json!({})).expect("settings");
    settings["concurrency"] = json!(8);
    settings["timeoutSeconds"] = json!(30);
    settings["logLevel"] = json!("debug");
    app.call("save_settings", json!({ "settings": settings.clone() }))
        .expect("saved");
    let env = &read(&config)["mcpServers"]["novabackup"]["env"];
    assert_eq!(env["MCP_FANOUT_CONCURRENCY"], "8", "{env}");
    assert_eq!(env["MCP_REQUEST_TIMEOUT_SECONDS"], "30", "{env}");
    assert_eq!(env["MCP_LOG_LEVEL"], "debug", "{env}");
    assert_eq!(desktop(&app)["state"], "connected", "still ours");

    // A change the program does not see leaves the file alone.
    let before = std::fs::read(&config).expect("config");
    settings["notifications"] = json!(false);
    app.call("save_settings", json!({ "settings": settings.clone() }))
        .expect("saved");
    assert_eq!(std::fs::read(&config).expect("config"), before);

    // An out-of-range value is refused and changes nothing.
    settings["concurrency"] = json!(51);
    let error = app
        .call("save_settings", json!({ "settings": settings }))
        .expect_err("refused");
    assert_eq!(error["code"], "invalid_input", "{error}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("1 and 50")),
        "{error}"
    );
    assert_eq!(std::fs::read(&config).expect("config"), before);
}

#[test]
fn a_client_not_connected_is_not_touched_by_a_settings_change() {
    let app = TestApp::new();
    let config = desktop_config_with(&app, "{\"theme\": \"dark\"}\n");
    let mut settings = app.call("settings", json!({})).expect("settings");
    settings["concurrency"] = json!(2);
    app.call("save_settings", json!({ "settings": settings }))
        .expect("saved");
    assert_eq!(
        std::fs::read_to_string(&config).expect("config"),
        "{\"theme\": \"dark\"}\n"
    );
}

/// Claude Desktop's record of novabackup-mcp installed as an extension, as Claude writes it.
fn install_extension(app: &TestApp) {
    let claude = desktop_config(app).parent().expect("parent").to_path_buf();
    let id = "local.mcpb.novabackup.novabackup-mcp";
    std::fs::create_dir_all(claude.join("Claude Extensions").join(id)).expect("mkdir");
    let record = json!({"extensions": {id: {"id": id, "version": "0.1.0",
        "manifest": {"name": "novabackup-mcp", "version": "0.1.0"}}}});
    std::fs::write(
        claude.join("extensions-installations.json"),
        record.to_string(),
    )
    .expect("record written");
}

#[test]
fn claude_desktop_with_the_extension_gets_no_second_entry() {
    let app = TestApp::new();
    let config = desktop_config_with(&app, r#"{"mcpServers":{}}"#);
    install_extension(&app);
    let card = desktop(&app);
    assert_eq!(card["state"], "extension", "{card}");
    assert_eq!(card["duplicateEntry"], false);

    let view = app
        .call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("nothing to do is not an error");
    assert_eq!(view["state"], "extension");
    assert_eq!(view["needsRestart"], false, "nothing changed, no restart");
    assert_eq!(read(&config), json!({"mcpServers": {}}), "nothing written");
}

#[test]
fn an_entry_beside_the_extension_is_flagged_and_disconnect_removes_it() {
    let app = TestApp::new();
    let config = desktop_config_with(&app, r#"{"mcpServers":{}}"#);
    app.call("connect_client", json!({ "client": "claude_desktop" }))
        .expect("connected");
    install_extension(&app);
    let card = desktop(&app);
    assert_eq!(card["state"], "extension");
    assert_eq!(card["duplicateEntry"], true, "{card}");

    let view = app
        .call("disconnect_client", json!({ "client": "claude_desktop" }))
        .expect("disconnected");
    assert_eq!(view["duplicateEntry"], false);
    assert!(read(&config)["mcpServers"].get("novabackup").is_none());
}
