//! Builds the Tauri context, declaring the app's own commands so that each must be
//! granted in a capability (nothing is allowed by default).

const COMMANDS: &[&str] = &[
    "overview",
    "check_now",
    "test_connection",
    "save_server",
    "remove_server",
    "add_demo_server",
    "pick_ca_certificate",
    "clients",
    "connect_client",
    "disconnect_client",
    "app_info",
    "settings",
    "save_settings",
    "open_log_folder",
    "tray_status",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}
