//! Copies kept before a settings file is changed: the untouched original, once, and
//! the last few versions, timestamped; and putting one of them back.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::error::RegistrationError;
use super::file_update::{Update, update_file};

/// How many timestamped versions are kept per file.
pub const KEPT_VERSIONS: usize = 5;

/// Which copy to put back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestorePoint {
    /// The file as it was before novabackup-mcp first changed it.
    Original,
    /// The version just before the most recent change.
    Latest,
}

/// `claude_desktop_config.json.novabackup-original`, next to the file.
pub fn original_copy_path(file: &Path) -> PathBuf {
    sibling(file, ".novabackup-original")
}

/// `claude_desktop_config.json.novabackup-backups/`, next to the file.
pub fn backups_dir(file: &Path) -> PathBuf {
    sibling(file, ".novabackup-backups")
}

fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    file.with_file_name(name)
}

/// The timestamped versions of `file`, oldest first.
pub fn versions(file: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(backups_dir(file)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
        .collect();
    found.sort();
    found
}

/// Keeps `bytes` (the content about to be replaced) as the original copy when none
/// exists yet, and as a new timestamped version, dropping all but the newest
/// [`KEPT_VERSIONS`].
pub(crate) fn keep(file: &Path, bytes: &[u8], now: DateTime<Utc>) -> Result<(), RegistrationError> {
    let original = original_copy_path(file);
    if !original.exists() {
        write_new(&original, bytes).map_err(RegistrationError::io("back up", &original))?;
    }
    let dir = backups_dir(file);
    create_private_dir(&dir).map_err(RegistrationError::io("create", &dir))?;
    let stamp = now.format("%Y-%m-%dT%H-%M-%S%.3fZ");
    let mut attempt = 0u32;
    loop {
        let name = if attempt == 0 {
            format!("{stamp}.json")
        } else {
            format!("{stamp}-{attempt:03}.json")
        };
        let path = dir.join(name);
        match write_new(&path, bytes) {
            Ok(()) => break,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 999 => attempt += 1,
            Err(e) => return Err(RegistrationError::io("back up", &path)(e)),
        }
    }
    let all = versions(file);
    for old in all.iter().take(all.len().saturating_sub(KEPT_VERSIONS)) {
        // A version that cannot be removed only costs disk space.
        let _ = fs::remove_file(old);
    }
    Ok(())
}

/// Copies are readable by the owner only: a client's settings can hold other servers'
/// tokens, and a copy must not be easier to read than the file itself.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Puts a kept copy of `file` back, with the same care as any change (the current
/// content becomes a timestamped version first). Returns the copy that was used.
pub fn restore(
    file: &Path,
    point: RestorePoint,
    now: DateTime<Utc>,
) -> Result<(PathBuf, Update), RegistrationError> {
    let source = match point {
        RestorePoint::Original => Some(original_copy_path(file)).filter(|p| p.is_file()),
        RestorePoint::Latest => versions(file).pop(),
    };
    let source = source.ok_or_else(|| RegistrationError::NoBackup {
        which: match point {
            RestorePoint::Original => "original",
            RestorePoint::Latest => "recent",
        },
        path: file.to_path_buf(),
    })?;
    let bytes = fs::read(&source).map_err(RegistrationError::io("read", &source))?;
    let update = update_file(file, now, |current| {
        Ok((current != Some(bytes.as_slice())).then(|| bytes.clone()))
    })?;
    Ok((source, update))
}
