//! `unregister`: removes only our entry, through the core's one registration (or,
//! with `--restore`, puts back a kept copy of the whole file).

use std::process::ExitCode;

use chrono::Utc;
use novabackup_core::registration::{
    self as reg, CliRun, Place, RegistrationError, RestorePoint, Step, Unregistered,
};

use super::{RestoreChoice, Tally, UnregisterArgs, platform};

/// Removes our entry from each chosen client (every copy of its settings).
pub fn unregister(args: UnregisterArgs) -> anyhow::Result<ExitCode> {
    let platform = platform()?;
    let clients = args.settings.clients()?;
    let mut tally = Tally::default();
    if let Some(point) = args.restore {
        let places = reg::places(&clients, &platform, true)?;
        for client in places.not_installed {
            println!("{client}: not installed, skipped");
        }
        for place in places.files {
            let outcome = restore(&place, point, args.settings.dry_run);
            tally.record(place.client, outcome.as_ref().map(|c| *c));
        }
        return Ok(tally.finish());
    }
    for step in reg::unregister(&clients, &platform, args.settings.dry_run, Utc::now())? {
        let outcome = step
            .outcome
            .as_ref()
            .map(|done| report(&step, done, args.settings.dry_run));
        tally.record(step.client, outcome);
    }
    Ok(tally.finish())
}

/// Prints what one step did; whether it changed a client's settings.
fn report(step: &Step<Unregistered>, done: &Unregistered, dry_run: bool) -> bool {
    let name = step.client.display_name();
    match done {
        Unregistered::NotInstalled => println!("{name}: not installed, skipped"),
        Unregistered::FromFile(update) => {
            let path = update.path.display();
            if dry_run && update.changed() {
                print!("{}", update.diff());
            } else if update.changed() {
                println!("{name}: unregistered from {path}");
            } else {
                println!("{name}: not registered in {path}, nothing to do");
            }
        }
        Unregistered::WithClaudeCli(cli) => match &cli.run {
            CliRun::Nothing => println!("{name}: not registered, nothing to do"),
            CliRun::WouldRun(calls) => {
                for call in calls {
                    println!("would run: {} {}", cli.program.display(), call.join(" "));
                }
            }
            CliRun::Ran => println!("{name}: unregistered with `claude mcp remove --scope user`"),
        },
    }
    done.changed() && !dry_run
}

fn restore(place: &Place, point: RestoreChoice, dry_run: bool) -> Result<bool, RegistrationError> {
    let point = match point {
        RestoreChoice::Original => RestorePoint::Original,
        RestoreChoice::Latest => RestorePoint::Latest,
    };
    let name = place.client.display_name();
    if dry_run {
        println!(
            "{name}: would restore {} from its {point:?} backup",
            place.path.display()
        );
        return Ok(false);
    }
    let (from, update) = reg::restore(&place.path, point, Utc::now())?;
    if update.changed() {
        println!(
            "{name}: restored {} from {}",
            update.path.display(),
            from.display()
        );
    } else {
        println!(
            "{name}: {} already matches {}, nothing to do",
            update.path.display(),
            from.display()
        );
    }
    Ok(update.changed())
}
