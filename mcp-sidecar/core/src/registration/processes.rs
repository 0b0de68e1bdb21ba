//! Whether Claude Desktop is running: it reads its settings only at start, and may
//! write them back when it quits.

use sysinfo::{ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System};

/// The names Claude Desktop's main process has: `Claude` (macOS), `Claude.exe`
/// (Windows), `claude-desktop` (Linux builds).
pub const CLAUDE_DESKTOP_PROCESS_NAMES: [&str; 3] = ["Claude", "Claude.exe", "claude-desktop"];

/// A source of the names of the processes running now.
pub trait ProcessLister {
    /// The names (executable names, as the system reports them) of the running processes.
    fn process_names(&self) -> Vec<String>;
}

/// The processes of this machine, read from the system (`/proc` on Linux).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemProcesses;

impl ProcessLister for SystemProcesses {
    fn process_names(&self) -> Vec<String> {
        let mut system = System::new();
        system.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing(),
        );
        system
            .processes()
            .values()
            // A process that has exited but was not yet reaped by its parent is gone.
            .filter(|p| p.status() != ProcessStatus::Zombie)
            .map(|p| p.name().to_string_lossy().into_owned())
            .collect()
    }
}

/// Whether a Claude Desktop process is among those `processes` lists.
pub fn claude_desktop_running(processes: &dyn ProcessLister) -> bool {
    processes
        .process_names()
        .iter()
        .any(|name| CLAUDE_DESKTOP_PROCESS_NAMES.contains(&name.as_str()))
}
