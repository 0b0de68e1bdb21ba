//! Settings and app commands in the mock runtime: defaults, validation, persistence,
//! the log folder, and that the page may call nothing from another origin.

mod common;

use common::{TestApp, code};
use serde_json::json;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response};
use tauri::webview::InvokeRequest;

#[test]
fn settings_default_to_a_five_minute_check_and_are_saved() {
    let app = TestApp::new();
    let settings = app.call("settings", json!({})).expect("settings");
    assert_eq!(settings["checkIntervalMinutes"], 5);
    assert_eq!(settings["startAtLogin"], false);

    let mut changed = settings.clone();
    changed["checkIntervalMinutes"] = json!(15);
    changed["notifications"] = json!(false);
    let saved = app
        .call("save_settings", json!({ "settings": changed }))
        .expect("saved");
    assert_eq!(saved["checkIntervalMinutes"], 15);
    let file =
        std::fs::read_to_string(app.dir.path().join("app-config/settings.json")).expect("file");
    assert!(file.contains("\"checkIntervalMinutes\": 15"), "{file}");
    assert_eq!(app.companion().settings().check_interval_minutes, 15);

    changed["checkIntervalMinutes"] = json!(0);
    let error = app
        .call("save_settings", json!({ "settings": changed }))
        .expect_err("refused");
    assert_eq!(code(&error), "invalid_input");
    assert_eq!(
        app.companion().settings().check_interval_minutes,
        15,
        "kept the good value"
    );
}

#[test]
fn the_app_says_where_passwords_and_logs_are_and_opens_the_log_folder() {
    let app = TestApp::new();
    let info = app.call("app_info", json!({})).expect("info");
    assert_eq!(info["keychain"], "system", "the Secret Service on Linux");
    assert_eq!(
        info["systemLanguage"], "en",
        "as the test app's system says"
    );
    let logs = app.dir.path().join("logs");
    assert_eq!(info["logFolder"], logs.display().to_string());
    app.call("open_log_folder", json!({})).expect("opened");
    assert_eq!(*app.opened.lock().expect("opened"), vec![logs.clone()]);
    assert!(logs.is_dir(), "the folder exists before it is opened");
}

#[test]
fn the_tray_starts_out_not_set_up() {
    let app = TestApp::new();
    let tray = app.call("tray_status", json!({})).expect("tray");
    assert_eq!(tray["tooltip"], "NovaBACKUP: not set up");
    assert_eq!(tray["overall"], "not_set_up");
}

#[test]
fn the_language_follows_the_system_until_one_is_chosen_and_then_words_the_app() {
    let app = TestApp::new();
    let settings = app.call("settings", json!({})).expect("settings");
    assert_eq!(
        settings["language"], "system",
        "the default follows the system"
    );
    assert_eq!(
        app.call("overview", json!({})).expect("overview")["summary"],
        "not set up"
    );

    let mut german = settings.clone();
    german["language"] = json!("de");
    app.call("save_settings", json!({ "settings": german.clone() }))
        .expect("saved");
    let file =
        std::fs::read_to_string(app.dir.path().join("app-config/settings.json")).expect("file");
    assert!(file.contains("\"language\": \"de\""), "{file}");
    assert_eq!(
        app.call("overview", json!({})).expect("overview")["summary"],
        "nicht eingerichtet",
        "the summary speaks German"
    );
    german["checkIntervalMinutes"] = json!(0);
    let refused = app
        .call("save_settings", json!({ "settings": german }))
        .expect_err("refused");
    assert_eq!(
        refused["message"], "Wählen Sie ein Prüfintervall von 1 bis 1440 Minuten.",
        "a refused value is worded in the user's language"
    );
    let error = app
        .call(
            "save_server",
            json!({ "input": {
                "serverId": null, "label": "", "baseUrl": "https://x.example.com/managementserver",
                "username": "tech", "password": "pw", "caCertificate": null
            }}),
        )
        .expect_err("no name");
    assert_eq!(
        error["message"],
        "Geben Sie einen Namen für den Server ein."
    );

    let mut english = settings;
    english["language"] = json!("en");
    app.call("save_settings", json!({ "settings": english }))
        .expect("saved");
    assert_eq!(
        app.call("overview", json!({})).expect("overview")["summary"],
        "not set up"
    );
}

#[test]
fn a_settings_file_from_before_languages_loads_with_the_system_language() {
    let app = TestApp::new();
    let path = app.dir.path().join("app-config/settings.json");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    std::fs::write(
        &path,
        r#"{"startAtLogin": true, "checkIntervalMinutes": 7}"#,
    )
    .expect("old file");
    let loaded = novabackup_companion::settings::SettingsFile::load(&path).expect("loads");
    assert_eq!(
        loaded.settings.language,
        novabackup_companion::i18n::LanguageChoice::System
    );
    assert_eq!(loaded.settings.check_interval_minutes, 7);
}

#[test]
fn a_page_from_another_origin_may_not_call_commands() {
    let app = TestApp::new();
    let request = InvokeRequest {
        cmd: "overview".into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "https://example.com".parse().expect("url"),
        body: InvokeBody::Json(json!({})),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    let refused = get_ipc_response(&app.window, request).expect_err("refused");
    assert!(refused.to_string().contains("not allowed"), "{refused}");
}
