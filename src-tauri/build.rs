//! Builds the Tauri context, declaring the app's own commands so that each must be
//! granted in a capability (nothing is allowed by default).
//!
//! The bundled `novabackup-mcp` must exist at `binaries/novabackup-mcp-<target>` for the
//! Tauri build step; `scripts/stage-sidecar.sh` puts it there. When it is missing (a
//! plain `cargo check` of the workspace), a stand-in that says so is written instead,
//! so the workspace still builds; bundles are made with `scripts/bundle.sh`.

use std::path::Path;

const COMMANDS: &[&str] = &[
    "overview",
    "check_now",
    "test_connection",
    "cancel_connection_test",
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
    "backups",
    "glance",
];

fn main() {
    stage_stand_in();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}

fn stage_stand_in() {
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let extension = if target.contains("windows") {
        ".exe"
    } else {
        ""
    };
    let path = format!("binaries/novabackup-mcp-{target}{extension}");
    println!("cargo:rerun-if-changed={path}");
    if Path::new(&path).exists() {
        return;
    }
    println!(
        "cargo:warning=novabackup-mcp is not staged: run src-tauri/scripts/stage-sidecar.sh before building the app"
    );
    std::fs::create_dir_all("binaries").expect("binaries folder");
    std::fs::write(
        &path,
        "#!/bin/sh\necho 'novabackup-mcp was not bundled: run src-tauri/scripts/stage-sidecar.sh and rebuild' >&2\nexit 1\n",
    )
    .expect("stand-in written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("stand-in made executable");
    }
}
