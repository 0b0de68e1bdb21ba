//! Registering in Claude Code through its own command line (`claude mcp add --scope
//! user`), which knows where and how Claude Code keeps its settings.

use std::path::Path;
use std::process::Command;

use super::entry::ServerEntry;
use super::error::RegistrationError;

/// The `claude` invocations that register `entry` as `name` for the user: remove an
/// older entry of that name, then add ours. Arguments hold no secret: the entry has
/// only the program's path and the profiles file's path.
pub fn add_commands(name: &str, entry: &ServerEntry) -> Vec<Vec<String>> {
    let mut add: Vec<String> = ["mcp", "add", "--scope", "user", name]
        .map(str::to_owned)
        .to_vec();
    for (key, value) in entry.env() {
        add.push("-e".to_owned());
        add.push(format!("{key}={value}"));
    }
    add.push("--".to_owned());
    add.push(entry.command().to_string_lossy().into_owned());
    vec![remove_command(name), add]
}

/// The `claude` invocation that removes the user entry `name`.
pub fn remove_command(name: &str) -> Vec<String> {
    ["mcp", "remove", "--scope", "user", name]
        .map(str::to_owned)
        .to_vec()
}

/// Registers through the `claude` program at `claude`. A failed removal of an older
/// entry is expected (there was none); a failed addition is an error.
pub fn add_with_cli(
    claude: &Path,
    name: &str,
    entry: &ServerEntry,
) -> Result<(), RegistrationError> {
    let commands = add_commands(name, entry);
    for (i, args) in commands.iter().enumerate() {
        let last = i + 1 == commands.len();
        let outcome = run(claude, args);
        if last {
            outcome?;
        }
    }
    Ok(())
}

/// Unregisters through the `claude` program at `claude`.
pub fn remove_with_cli(claude: &Path, name: &str) -> Result<(), RegistrationError> {
    run(claude, &remove_command(name))
}

fn run(claude: &Path, args: &[String]) -> Result<(), RegistrationError> {
    let action = if args.get(1).is_some_and(|a| a == "add") {
        "add"
    } else {
        "remove"
    };
    let output = Command::new(claude)
        .args(args)
        .output()
        .map_err(RegistrationError::io("run", claude))?;
    if output.status.success() {
        return Ok(());
    }
    Err(RegistrationError::ClaudeCli {
        action,
        status: output.status.to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    })
}
