//! `logout`: forget a saved server and delete its password from where it was kept
//! (the keychain, or the plain file the user chose for it).

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use novabackup_core::ServerId;
use novabackup_core::credentials_file;
use novabackup_core::profiles::Profiles;

use super::Accounts;

/// Removes the server's profile and its password, saying what was there.
pub(super) fn run(accounts: &Accounts, server_id: &ServerId) -> anyhow::Result<ExitCode> {
    let password_file = accounts
        .load_profiles()?
        .get(server_id)
        .and_then(|p| p.password_file.clone());
    // Reach the password's home before removing anything, so a failure removes nothing.
    let keychain = match &password_file {
        Some(_) => None,
        None => Some(
            accounts
                .keychain()
                .context("could not reach the keychain, so nothing was removed")?,
        ),
    };
    let mut removed = None;
    Profiles::update(&accounts.servers_file, |profiles| {
        removed = profiles.remove(server_id);
        removed.is_some()
    })?;
    let (deleted, place) = match (&keychain, &password_file) {
        (Some(keychain), _) => (
            keychain
                .delete(server_id)
                .with_context(|| format!("could not delete the password of {server_id}"))?,
            "your system keyring".to_owned(),
        ),
        (None, Some(file)) => (
            credentials_file::forget(file, server_id)
                .with_context(|| format!("could not delete the password of {server_id}"))?,
            file.display().to_string(),
        ),
        (None, None) => (false, String::new()),
    };
    match (removed, deleted) {
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
