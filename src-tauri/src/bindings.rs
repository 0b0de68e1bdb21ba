//! The typed bridge to the UI: every command and event, exported by tauri-specta to
//! the committed `ui/src/bindings.ts`.

use specta_typescript::Typescript;
use tauri::Runtime;
use tauri_specta::{Builder, collect_commands, collect_events};

use crate::commands::{app, backups, clients, servers};
use crate::events::{BackupsChanged, ClientsChecked, GlanceChanged, HealthChanged, ShowBackups};

/// Where the generated TypeScript lives, relative to this crate.
pub const BINDINGS_FILE: &str = "../ui/src/bindings.ts";

/// The commands and events, for the invoke handler and the TypeScript export.
pub fn builder<R: Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(collect_commands![
            servers::overview,
            servers::check_now,
            servers::test_connection,
            servers::cancel_connection_test,
            servers::save_server::<tauri::Wry>,
            servers::remove_server,
            servers::add_demo_server::<tauri::Wry>,
            servers::pick_ca_certificate,
            clients::clients,
            clients::connect_client,
            clients::disconnect_client,
            app::app_info,
            app::settings,
            app::save_settings,
            app::open_log_folder,
            app::tray_status,
            backups::backups,
            backups::glance,
        ])
        .events(collect_events![
            HealthChanged,
            ClientsChecked,
            BackupsChanged,
            GlanceChanged,
            ShowBackups
        ])
}

/// Writes the TypeScript bindings to `path`.
pub fn export(path: &std::path::Path) -> Result<(), String> {
    builder::<tauri::Wry>()
        .export(
            Typescript::default().header("// @ts-nocheck\n/* eslint-disable */"),
            path,
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Fails when `ui/src/bindings.ts` no longer matches the commands; run with
    /// `UPDATE_BINDINGS=1` to rewrite it.
    #[test]
    fn typescript_bindings_are_up_to_date() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_FILE);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            export(&committed).expect("the bindings export");
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let fresh = dir.path().join("bindings.ts");
        export(&fresh).expect("the bindings export");
        let fresh = std::fs::read_to_string(&fresh).expect("exported file");
        assert!(fresh.contains("testConnection"), "the export is not empty");
        let committed = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test bindings` in src-tauri"
        );
    }

    /// The app's commands are named in three places the build needs: the typed bindings
    /// (generated from `builder`), `build.rs` (each command gets a permission) and the
    /// window's capability (each permission granted). A command missing from one of
    /// them fails here, not at run time with "not allowed".
    #[test]
    fn every_command_is_declared_and_granted() {
        use std::collections::BTreeSet;
        let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |path: &str| std::fs::read_to_string(crate_dir.join(path)).expect(path);
        let quoted = |text: &str, before: &str| -> BTreeSet<String> {
            text.split(before)
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned)
                .collect()
        };
        let bindings = quoted(&read(BINDINGS_FILE), "__TAURI_INVOKE(\"");
        let build = read("build.rs");
        let listed = build
            .split_once("const COMMANDS: &[&str] = &[")
            .and_then(|(_, rest)| rest.split_once("];"))
            .expect("build.rs lists COMMANDS")
            .0;
        let declared: BTreeSet<String> = listed
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capability JSON");
        let granted: BTreeSet<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
            .map(|name| name.replace('-', "_"))
            .collect();
        assert!(
            bindings.len() > 10,
            "the bindings name the commands: {bindings:?}"
        );
        assert_eq!(
            declared, bindings,
            "build.rs COMMANDS and the commands in builder()"
        );
        assert_eq!(
            granted, bindings,
            "the capability's allow-* and the commands in builder()"
        );
    }
}
