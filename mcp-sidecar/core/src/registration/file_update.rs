//! Changing a settings file without ever losing a byte of it: one writer of ours at a
//! time (a lock file), copies kept first, a temporary file in the same folder flushed
//! and renamed over the old one with its permissions, and a fresh read just before the
//! rename so a change made meanwhile by another program is never overwritten.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::backup;
use super::error::RegistrationError;

/// How often the change is recomputed when the file keeps changing under us.
const ATTEMPTS: usize = 20;

/// What an update did. Its `Debug` shows sizes, not content: a client's settings can
/// hold other servers' tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Update {
    /// The file that was (or would have been) written, symbolic links resolved.
    pub path: PathBuf,
    /// Its content before, `None` when it did not exist.
    pub before: Option<Vec<u8>>,
    /// Its content now, `None` when nothing needed to change.
    pub after: Option<Vec<u8>>,
}

impl fmt::Debug for Update {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Update")
            .field("path", &self.path)
            .field("before_bytes", &self.before.as_ref().map(Vec::len))
            .field("after_bytes", &self.after.as_ref().map(Vec::len))
            .finish()
    }
}

impl Update {
    /// Whether the file was changed.
    pub fn changed(&self) -> bool {
        self.after.is_some()
    }

    /// The change as a unified diff (empty when nothing changes).
    pub fn diff(&self) -> String {
        let Some(after) = &self.after else {
            return String::new();
        };
        let before = String::from_utf8_lossy(self.before.as_deref().unwrap_or_default());
        let after = String::from_utf8_lossy(after);
        let name = self.path.display().to_string();
        similar::TextDiff::from_lines(before.as_ref(), after.as_ref())
            .unified_diff()
            .header(&format!("{name} (now)"), &format!("{name} (after)"))
            .to_string()
    }
}

/// Reads a file, `None` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, RegistrationError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(RegistrationError::io("read", path)(e)),
    }
}

/// The file a path leads to: a symbolic link (a dotfiles manager's) is followed, so the
/// link stays a link.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Applies `edit` to the file at `path`. `edit` gets the current bytes (`None` when the
/// file does not exist) and returns the new bytes, or `None` when nothing has to change;
/// it may run several times (when the file changes meanwhile). Nothing is written,
/// locked or copied when nothing changes.
pub fn update_file<F>(
    path: &Path,
    now: DateTime<Utc>,
    mut edit: F,
) -> Result<Update, RegistrationError>
where
    F: FnMut(Option<&[u8]>) -> Result<Option<Vec<u8>>, RegistrationError>,
{
    let path = resolve(path);
    let before = read_optional(&path)?;
    let Some(_) = edit(before.as_deref())? else {
        return Ok(Update {
            path,
            before,
            after: None,
        });
    };
    check_writable(&path)?;
    let dir = parent(&path);
    fs::create_dir_all(dir).map_err(RegistrationError::io("create the folder", dir))?;
    let _lock = lock(&path)?;
    for _ in 0..ATTEMPTS {
        let before = read_optional(&path)?;
        let Some(after) = edit(before.as_deref())? else {
            return Ok(Update {
                path,
                before,
                after: None,
            });
        };
        if let Some(bytes) = &before {
            backup::keep(&path, bytes, now)?;
        }
        let temp = write_temporary(&path, &after)?;
        if read_optional(&path)? != before {
            // Another program wrote the file meanwhile: start over from its version.
            continue;
        }
        temp.persist(&path)
            .map_err(|e| RegistrationError::io("replace", &path)(e.error))?;
        sync_dir(dir);
        return Ok(Update {
            path,
            before,
            after: Some(after),
        });
    }
    Err(RegistrationError::KeptChanging { path })
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Refuses a file marked read-only (even for an administrator, who could write it
/// anyway) or one the user may not write.
fn check_writable(path: &Path) -> Result<(), RegistrationError> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(());
    };
    let refuse = || RegistrationError::ReadOnly {
        path: path.to_path_buf(),
    };
    if meta.permissions().readonly() {
        return Err(refuse());
    }
    match fs::OpenOptions::new().append(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Err(refuse()),
        Err(e) => Err(RegistrationError::io("open", path)(e)),
    }
}

/// Holds an exclusive lock on `.<name>.novabackup-lock` next to the file until dropped.
fn lock(path: &Path) -> Result<fs::File, RegistrationError> {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".novabackup-lock");
    let lock_path = path.with_file_name(name);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(RegistrationError::io("create the lock file", &lock_path))?;
    fs4::FileExt::lock(&file).map_err(RegistrationError::io("lock", &lock_path))?;
    Ok(file)
}

fn write_temporary(
    path: &Path,
    bytes: &[u8],
) -> Result<tempfile::NamedTempFile, RegistrationError> {
    let dir = parent(path);
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".");
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(RegistrationError::io("create a temporary file in", dir))?;
    let io_error = RegistrationError::io("write", temp.path().to_path_buf());
    let result = (|| {
        temp.write_all(bytes)?;
        if let Ok(meta) = fs::metadata(path) {
            temp.as_file().set_permissions(meta.permissions())?;
        }
        temp.as_file().sync_all()
    })();
    result.map_err(io_error)?;
    Ok(temp)
}

/// Makes the rename durable. Best effort: not every file system can sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
