//! `logout`: forget a saved server and delete its password from the keychain.

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use novabackup_core::ServerId;
use novabackup_core::profiles::Profiles;

use super::Accounts;

/// Removes the server's profile and its keychain password, saying what was there.
pub(super) fn run(accounts: &Accounts, server_id: &ServerId) -> anyhow::Result<ExitCode> {
    let keychain = accounts
        .keychain()
        .context("could not reach the keychain, so nothing was removed")?;
    let mut removed = None;
    Profiles::update(&accounts.servers_file, |profiles| {
        removed = profiles.remove(server_id);
        removed.is_some()
    })?;
    let deleted = keychain
        .delete(server_id)
        .with_context(|| format!("could not delete the password of {server_id}"))?;
    match (removed, deleted) {
        (Some(profile), true) => println!(
            "Removed {server_id} ({}) and deleted its password from your system keyring.",
            profile.base_url
        ),
        (Some(profile), false) => println!(
            "Removed {server_id} ({}). There was no password for it in your system keyring.",
            profile.base_url
        ),
        (None, true) => println!(
            "{server_id} was not a saved server; deleted the password it had left in your system keyring."
        ),
        (None, false) => bail!(
            "there is no saved server \"{server_id}\" and no password for it in the keychain; \
             nothing to do. See the saved servers with `novabackup-mcp list`"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
