//! `register --wait`: Claude Desktop may write its settings back when it quits,
//! dropping an entry added while it ran; wait until it has quit, then make sure the
//! entry is still there.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::Utc;
use novabackup_core::registration::{
    self as reg, Client, ENTRY_NAME, Registration, ServerEntry, SystemProcesses,
};

use super::Tally;

/// How long `register --wait` waits for Claude Desktop to quit.
const WAIT_LIMIT: Duration = Duration::from_secs(30 * 60);

/// Waits for a running Claude Desktop to quit, then writes the entry again into each
/// of `files` that lost it.
pub(super) fn then_check(
    files: &[PathBuf],
    entry: &ServerEntry,
    replace_node: bool,
    tally: &mut Tally,
) {
    if files.is_empty() || !reg::claude_desktop_running(&SystemProcesses) {
        return;
    }
    println!("Waiting for Claude Desktop to quit (use Quit in its tray icon menu)...");
    let deadline = Instant::now() + WAIT_LIMIT;
    while reg::claude_desktop_running(&SystemProcesses) {
        if Instant::now() > deadline {
            println!(
                "Claude Desktop is still running; run `novabackup-mcp status` after it quits."
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let registration = Registration {
        client: Client::ClaudeDesktop,
        name: ENTRY_NAME.to_owned(),
        entry: entry.clone(),
        replace_node,
    };
    for path in files {
        let outcome = reg::register_in_file(path, &registration, Utc::now(), false).map(|change| {
            let path = change.update.path.display();
            if change.update.changed() {
                println!(
                    "Claude Desktop dropped the entry from {path} as it quit; it was written again."
                );
            } else {
                println!("Claude Desktop has quit and the entry is still in {path}.");
            }
            false
        });
        tally.record(Client::ClaudeDesktop, outcome.as_ref().map(|c| *c));
    }
}
