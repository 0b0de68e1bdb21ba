//! `import`: the Node.js server's plaintext credentials file into the profiles file
//! and the keychain, each entry proven first; the plaintext file removed only on request
//! and only once every password is stored and read back.

use std::process::ExitCode;

use anyhow::Context as _;
use novabackup_core::credentials_file::{self, PlaintextCredential};
use novabackup_core::keychain::Keychain;
use novabackup_core::profiles::Profiles;
use novabackup_core::saving::{self, CaCertificate, NewPassword, SaveAs, SaveError, ServerDetails};

use super::verify::{self, LoginAttempt};
use super::{Accounts, ImportArgs, runtime};

pub(super) fn run(accounts: &Accounts, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let path = match args.from {
        Some(path) => path,
        None => accounts.host.credentials_file().context(
            "cannot tell where the credentials file is: no home folder is known. Pass it with --from",
        )?,
    };
    let entries = credentials_file::read(&path)?;
    if entries.is_empty() {
        println!("{} holds no servers; nothing to import.", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let profiles = accounts.load_profiles()?;
    let keychain = accounts
        .keychain()
        .context("nothing was imported and the plaintext file was kept")?;
    let runtime = runtime()?;

    let mut failed = 0usize;
    for entry in &entries {
        match runtime.block_on(import_one(accounts, &keychain, &profiles, entry)) {
            Ok(()) => println!(
                "Imported {} ({}) as {}; the password is in your system keyring.",
                entry.server_id, entry.base_url, entry.username
            ),
            Err(message) => {
                failed += 1;
                println!(
                    "Not imported {} ({}): {message}",
                    entry.server_id, entry.base_url
                );
            }
        }
    }

    let file = path.display();
    if failed > 0 {
        println!(
            "Kept {file}: {failed} of {} entries were not imported. Fix them and run `novabackup-mcp import` again.",
            entries.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.delete_plaintext {
        credentials_file::remove(&path)?;
        println!("Deleted the plaintext file {file}.");
    } else {
        println!(
            "{file} still holds the passwords in plain text. Once you are happy, delete it with \
             `novabackup-mcp import --delete-plaintext` (or by hand)."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Proves one entry against its server, then saves it through the core's one save
/// (its password into the keychain and read back, its saved CA certificate kept). The
/// error is a message that says what to do.
async fn import_one(
    accounts: &Accounts,
    keychain: &Keychain,
    profiles: &Profiles,
    entry: &PlaintextCredential,
) -> Result<(), String> {
    let ca_certificate = profiles
        .get(&entry.server_id)
        .and_then(|p| p.ca_certificate.clone());
    verify::log_in(LoginAttempt {
        base_url: &entry.base_url,
        username: &entry.username,
        password: &entry.password,
        ca_certificate,
    })
    .await
    .map_err(|e| {
        let retry = format!(
            "novabackup-mcp login --server-id {} --url {} --username {}",
            entry.server_id, entry.base_url, entry.username
        );
        verify::explain(&e, &retry)
    })?;

    let details = ServerDetails {
        label: entry.label.clone(),
        base_url: entry.base_url.clone(),
        username: entry.username.clone(),
        ca_certificate: CaCertificate::Saved,
        password: NewPassword::Keychain(entry.password.clone()),
    };
    match saving::save(
        &accounts.servers_file,
        SaveAs::Id(entry.server_id.clone()),
        details,
        keychain,
    ) {
        Ok(_) => Ok(()),
        Err(SaveError::SettingsNotWritten { source, .. }) => {
            Err(format!("the password is in the keychain, but {source}"))
        }
        Err(SaveError::NotReadBack) => {
            Err("the keychain did not give the password back as stored; try again".into())
        }
        Err(error) => Err(error.to_string()),
    }
}
