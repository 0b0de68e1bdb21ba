//! `logout`: forget a saved server and delete its password from where it was kept
//! (the keychain, or the plain file the user chose for it), through the core's one
//! removal (`novabackup_core::saving::remove`).

use std::process::ExitCode;

use anyhow::bail;
use novabackup_core::ServerId;
use novabackup_core::keychain::SystemKeychain;
use novabackup_core::saving::{self, PasswordPlace, RemoveError};

use super::Accounts;

/// Removes the server's profile and its password, saying what was there.
pub(super) fn run(accounts: &Accounts, server_id: &ServerId) -> anyhow::Result<ExitCode> {
    let keychain = SystemKeychain::new();
    let removed = saving::remove(&accounts.servers_file, server_id, &keychain).map_err(
        |error| match error {
            RemoveError::Keychain(error) if keychain.open().is_err() => anyhow::Error::new(error)
                .context("could not reach the keychain, so nothing was removed"),
            error @ (RemoveError::Keychain(_) | RemoveError::CredentialsFile(_)) => {
                anyhow::Error::new(error)
                    .context(format!("could not delete the password of {server_id}"))
            }
            other => other.into(),
        },
    )?;
    let place = match &removed.password {
        PasswordPlace::Keychain => "your system keyring".to_owned(),
        PasswordPlace::File(file) => file.display().to_string(),
    };
    match (removed.profile, removed.password_deleted) {
        (Some(profile), true) => println!(
            "Removed {server_id} ({}) and deleted its password from {place}.",
            profile.base_url
        ),
        (Some(profile), false) => println!(
            "Removed {server_id} ({}). There was no password for it in {place}.",
            profile.base_url
        ),
        (None, true) => println!(
            "{server_id} was not a saved server; deleted the password it had left in {place}."
        ),
        (None, false) => bail!(
            "there is no saved server \"{server_id}\" and no password for it in the keychain; \
             nothing to do. See the saved servers with `novabackup-mcp list`"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
