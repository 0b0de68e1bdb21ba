//! The typed bridge to the UI: every command and event, exported by tauri-specta to
//! the committed `ui/src/bindings.ts`.

use specta_typescript::Typescript;
use tauri::Runtime;
use tauri_specta::{Builder, collect_commands, collect_events};

use crate::commands::{app, backups, clients, servers};
use crate::events::{BackupsChanged, ClientsChecked, HealthChanged, ShowBackups};

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
        ])
        .events(collect_events![
            HealthChanged,
            ClientsChecked,
            BackupsChanged,
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
}
