//! One writer at a time: the tray app and the command line may both change the saved
//! servers, and a load-change-save by one must not undo the other's.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::ProfilesError;

/// How long [`super::Profiles::lock`] waits for another program to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// An exclusive hold on a profiles file, for one load-change-save; released when dropped.
#[derive(Debug)]
pub struct ProfilesLock {
    _file: File,
}

/// Takes the advisory lock next to `path` (`.servers.json.lock`), waiting at most `wait`.
pub(super) fn acquire(path: &Path, wait: Duration) -> Result<ProfilesLock, ProfilesError> {
    let lock_path = lock_path(path);
    let failed = |source| ProfilesError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = lock_path.parent() {
        super::atomic::create_private_dir(dir).map_err(failed)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(failed)?;
    let started = Instant::now();
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(ProfilesLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(ProfilesError::Busy {
                    path: path.to_path_buf(),
                });
            }
            Err(fs4::TryLockError::Error(source)) => return Err(failed(source)),
        }
    }
}

/// The lock file is never removed, so that every program locks the same file.
fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.lock"))
}
