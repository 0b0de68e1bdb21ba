//! Whether a program's path will still lead to it tomorrow: an AppImage's mount and
//! temporary folders do not.

use std::path::Path;

use super::error::RegistrationError;
use super::platform::Platform;

/// Refuses a `program` path inside an AppImage mount (`/tmp/.mount_*`, `$APPDIR`) or a
/// temporary folder, with a message that says where to put the program instead.
pub fn check_stable(program: &Path, platform: &Platform) -> Result<(), RegistrationError> {
    let refuse = |reason: String| {
        Err(RegistrationError::UnstablePath {
            path: program.to_path_buf(),
            reason,
        })
    };
    let in_mount = program.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|s| s.starts_with(".mount_"))
    });
    if in_mount
        || platform
            .appimage_mount
            .as_deref()
            .is_some_and(|mount| program.starts_with(mount))
    {
        return refuse("the inside of an AppImage, which moves at every launch".to_owned());
    }
    if let Some(temp) = platform
        .temp_dirs
        .iter()
        .find(|temp| program.starts_with(temp))
    {
        return refuse(format!(
            "inside the temporary folder {}, which is emptied without notice",
            temp.display()
        ));
    }
    Ok(())
}
