//! The desktop's own dialogs and folders (a file picker, opening a folder), behind
//! one small seam: the app plugs in Tauri's dialog and opener plugins at start; the
//! command tests, which run without a desktop, plug in their own.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

/// A future that picks a file, or `None` when the user cancels.
pub type PickedFile = Pin<Box<dyn Future<Output = Option<PathBuf>> + Send>>;

/// Opens a folder in the file manager; the error says why not.
pub type OpenFolder = Box<dyn Fn(&Path) -> Result<(), String> + Send + Sync>;

/// What the app asks of the desktop.
pub struct Desktop {
    /// Asks the user for a CA certificate file.
    pub pick_certificate: Box<dyn Fn() -> PickedFile + Send + Sync>,
    /// Opens a folder in the file manager.
    pub open_folder: OpenFolder,
}
