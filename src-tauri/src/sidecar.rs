//! Where the `novabackup-mcp` program that clients start lives.
//!
//! The app ships it next to its own executable. That path is written into Claude's
//! settings, so it must not move: an AppImage runs from a mount that changes at every
//! launch, so from an AppImage the program is copied to the user's data folder (and
//! the copy refreshed when the app is updated); otherwise the installed path is used.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The sidecar's file name on this system.
pub fn file_name() -> &'static str {
    if cfg!(windows) {
        "novabackup-mcp.exe"
    } else {
        "novabackup-mcp"
    }
}

/// The sidecar next to the running app's executable.
pub fn bundled(app_executable: &Path) -> PathBuf {
    app_executable
        .parent()
        .map_or_else(|| PathBuf::from(file_name()), |dir| dir.join(file_name()))
}

/// The stable path to register: `bundled` itself, or (when the app runs inside a
/// mount such as an AppImage's) a copy in `data_folder/bin` kept up to date.
pub fn stable(bundled: &Path, mount: Option<&Path>, data_folder: &Path) -> io::Result<PathBuf> {
    let inside_mount = mount.is_some_and(|mount| bundled.starts_with(mount));
    if !inside_mount {
        return Ok(bundled.to_path_buf());
    }
    let copy = data_folder.join("bin").join(file_name());
    if !same_content(bundled, &copy) {
        fs::create_dir_all(copy.parent().expect("a path under data_folder/bin"))?;
        // Copy beside, then rename: a client starting the program never sees half of it.
        let partial = copy.with_extension("partial");
        fs::copy(bundled, &partial)?;
        fs::rename(&partial, &copy)?;
        tracing::info!(copy = %copy.display(), "copied novabackup-mcp out of the app image");
    }
    Ok(copy)
}

fn same_content(a: &Path, b: &Path) -> bool {
    match (fs::read(a), fs::read(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_mount_the_bundled_path_is_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        let program = dir.path().join(file_name());
        fs::write(&program, b"v1").expect("write");
        let path = stable(&program, None, &dir.path().join("data")).expect("stable");
        assert_eq!(path, program);
    }

    #[test]
    fn inside_an_app_image_a_copy_in_the_data_folder_is_used_and_refreshed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mount = dir.path().join("tmp/.mount_NovaXYZ");
        fs::create_dir_all(mount.join("usr/bin")).expect("mkdir");
        let program = mount.join("usr/bin").join(file_name());
        fs::write(&program, b"v1").expect("write");
        let data = dir.path().join("data");
        let copy = stable(&program, Some(&mount), &data).expect("copied");
        assert!(!copy.starts_with(&mount), "never a path inside the mount");
        assert_eq!(fs::read(&copy).expect("read"), b"v1");
        fs::write(&program, b"v2").expect("update");
        let again = stable(&program, Some(&mount), &data).expect("refreshed");
        assert_eq!(again, copy, "the path stays the same across updates");
        assert_eq!(
            fs::read(&copy).expect("read"),
            b"v2",
            "the copy follows the app"
        );
    }
}
