//! `register`: adds or updates the entry in each chosen client, through the core's one
//! registration, and says what it did in each.

use std::process::ExitCode;

use chrono::Utc;
use novabackup_core::registration::{
    self as reg, Choices, ClaudeCli, CliRun, Client, FileChange, InstalledExtension, Registered,
    Step,
};

use super::{RegisterArgs, Tally, entry, platform, wait};

/// Adds or updates the entry in each chosen client; with `--wait`, checks Claude
/// Desktop's once it has quit.
pub fn register(args: RegisterArgs) -> anyhow::Result<ExitCode> {
    let platform = platform()?;
    let entry = entry(&platform)?;
    let clients = args.settings.clients()?;
    let choices = Choices {
        replace_node: args.replace_node,
        both_copies: args.all_configs,
        dry_run: args.settings.dry_run,
    };
    let steps = reg::register(&clients, &platform, &entry, choices, Utc::now())?;
    let mut tally = Tally::default();
    let mut desktop_files = Vec::new();
    for step in &steps {
        let outcome = step.outcome.as_ref().map(|done| report(step, done, &args));
        if let (Ok(Registered::InFile(_)), Client::ClaudeDesktop, false) =
            (&step.outcome, step.client, args.settings.dry_run)
        {
            desktop_files.push(step.path.clone());
        }
        tally.record(step.client, outcome);
    }
    if args.wait {
        wait::then_check(&desktop_files, &entry, args.replace_node, &mut tally);
    }
    Ok(tally.finish())
}

/// Prints what one step did; whether it changed a client's settings.
fn report(step: &Step<Registered>, done: &Registered, args: &RegisterArgs) -> bool {
    let name = step.client.display_name();
    match done {
        Registered::NotInstalled => println!("{name}: not installed, skipped"),
        Registered::Extension(extension) => report_extension(extension),
        Registered::InFile(change) => {
            if !step.installed {
                println!(
                    "{name} does not seem to be installed; the entry will be there when it is."
                );
            }
            report_file(name, change, args);
        }
        Registered::WithClaudeCli(cli) => report_cli(name, cli),
    }
    done.changed() && !args.settings.dry_run
}

fn report_cli(name: &str, cli: &ClaudeCli) {
    if let Some(message) = &cli.unreadable {
        println!("{name}: note: {message}");
    }
    if cli.run == CliRun::Nothing {
        println!("{name}: already registered, nothing to do");
        return;
    }
    if !cli.other_node_entries.is_empty() {
        println!(
            "{name}: the Node.js server is registered too ({}); remove it with `claude mcp remove <name>`, then run `novabackup-mcp import`",
            cli.other_node_entries.join(", ")
        );
    }
    match &cli.run {
        CliRun::WouldRun(calls) => {
            for call in calls {
                println!("would run: {} {}", cli.program.display(), call.join(" "));
            }
        }
        _ => println!("{name}: registered with `claude mcp add --scope user`"),
    }
}

fn report_file(name: &str, change: &FileChange, args: &RegisterArgs) {
    let path = change.update.path.display();
    if args.settings.dry_run {
        if change.update.changed() {
            print!("{}", change.update.diff());
        } else {
            println!("{name}: already registered in {path}, nothing would change");
        }
    } else if change.update.changed() {
        println!("{name}: registered in {path}");
        if change.update.before.is_some() {
            println!(
                "  (earlier versions are kept in {}; undo with `novabackup-mcp unregister --restore latest`)",
                reg::backups_dir(&change.update.path).display()
            );
        }
    } else {
        println!("{name}: already registered in {path}, nothing to do");
    }
    if change.node_entries.is_empty() {
        return;
    }
    let names = change.node_entries.join(", ");
    if args.replace_node {
        println!(
            "{name}: {} the Node.js server's entry ({names}); run `novabackup-mcp import` to move its saved credentials into the keychain",
            if args.settings.dry_run {
                "would replace"
            } else {
                "replaced"
            }
        );
    } else {
        println!(
            "{name}: the Node.js server is registered too ({names}); run `novabackup-mcp register --replace-node` to remove it, then `novabackup-mcp import`"
        );
    }
}

/// Says that Claude Desktop has novabackup-mcp as an extension, so no entry is added.
fn report_extension(extension: &InstalledExtension) {
    let version = extension
        .version
        .as_deref()
        .map(|v| format!(" ({v})"))
        .unwrap_or_default();
    println!(
        "Claude Desktop: novabackup-mcp is installed as a Claude Desktop extension{version}, \
         which Claude starts itself; no settings entry is added (it would start a second copy). \
         To use this program instead, remove the extension in Claude Desktop's Settings → \
         Extensions, then register again."
    );
    if extension.enabled == Some(false) {
        println!(
            "Claude Desktop: the extension is switched off; switch it on in Settings → Extensions."
        );
    }
}
