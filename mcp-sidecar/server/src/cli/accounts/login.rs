//! `login`: ask for (or take) a server's details, prove them, then keep them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use novabackup_core::ServerId;
use novabackup_core::keychain::SystemKeychain;
use novabackup_core::profiles::Profiles;
use novabackup_core::saving::{
    self, CaCertificate, NewPassword, PasswordPlace, SaveAs, SaveError, ServerDetails,
};
use secrecy::SecretString;

use super::verify::{self, LoginAttempt};
use super::{Accounts, LoginArgs, PasswordStore, parse_server_id, prompt, runtime};

/// Everything `login` needs, gathered from options, the saved profile and prompts.
struct Answers {
    server_id: ServerId,
    label: String,
    base_url: String,
    username: String,
    password: SecretString,
    /// The CA certificate to log in with: the one given, else the saved one.
    ca_certificate: Option<PathBuf>,
    /// The CA certificate to save: the one given, else the saved one as it is then.
    ca_to_save: CaCertificate,
}

pub(super) fn run(accounts: &Accounts, args: LoginArgs) -> anyhow::Result<ExitCode> {
    let chosen = args.store;
    let chosen_file = args.credentials_file.clone();
    if chosen_file.is_some() && chosen != PasswordStore::CredentialsFile {
        bail!(
            "--credentials-file goes with --store credentials-file; add that, or leave both out to use the keychain"
        );
    }
    let profiles = accounts.load_profiles()?;
    let answers = gather(&profiles, args)?;
    // Before the network: a machine without a keychain should hear so at once.
    let keychain = SystemKeychain::new();
    let credentials_file = match chosen {
        PasswordStore::Keychain => {
            keychain.open().map_err(Clone::clone).with_context(|| {
                format!(
                    "nothing was saved. On a machine without a keychain, keep the password in a \
                     plain file readable only by you instead: novabackup-mcp login --server-id {} \
                     --store credentials-file",
                    answers.server_id
                )
            })?;
            None
        }
        PasswordStore::CredentialsFile => Some(
            chosen_file
                .or_else(|| accounts.host.credentials_file())
                .context("cannot tell where the credentials file goes: no home folder is known. Pass --credentials-file PATH")?,
        ),
    };

    let retry = format!("novabackup-mcp login --server-id {}", answers.server_id);
    let outcome = runtime()?.block_on(verify::log_in(LoginAttempt {
        base_url: &answers.base_url,
        username: &answers.username,
        password: &answers.password,
        ca_certificate: answers.ca_certificate.clone(),
    }));
    if let Err(error) = outcome {
        eprintln!("error: {}", verify::explain(&error, &retry));
        eprintln!("Nothing was saved.");
        return Ok(ExitCode::FAILURE);
    }

    let password = match credentials_file {
        None => NewPassword::Keychain(answers.password),
        Some(path) => NewPassword::File {
            path,
            password: answers.password,
        },
    };
    let details = ServerDetails {
        label: answers.label,
        base_url: answers.base_url,
        username: answers.username,
        ca_certificate: answers.ca_to_save,
        password,
    };
    let server_id = answers.server_id;
    let saved = saving::save(
        &accounts.servers_file,
        SaveAs::Id(server_id.clone()),
        details,
        &keychain,
    )
    .map_err(|error| explain_save(error, &server_id))?;

    if let Some((old, error)) = &saved.copy_left {
        eprintln!(
            "warning: the old copy of the password in {} could not be removed: {error}",
            old.display()
        );
    }
    let profile = &saved.profile;
    let password_file = &profile.password_file;
    let kept = match password_file {
        None => "the password is in your system keyring".to_owned(),
        Some(path) => format!("the password is in {}", path.display()),
    };
    println!(
        "{} {server_id} ({}) as {}; {kept}.",
        if saved.replaced { "Updated" } else { "Saved" },
        profile.base_url,
        profile.username.as_deref().unwrap_or_default(),
    );
    if let Some(path) = password_file {
        eprintln!(
            "warning: the password now sits in the plain file {} (readable only by you). \
             Anyone who can read your files, or a backup of them, can read it. Where a \
             keychain is available, `novabackup-mcp login --server-id {server_id}` keeps it there instead.",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A save that failed, with what was kept and what was not.
fn explain_save(error: SaveError, server_id: &ServerId) -> anyhow::Error {
    match error {
        SaveError::SettingsNotWritten {
            password, source, ..
        } => {
            let place = match password {
                PasswordPlace::Keychain => "in the keychain".to_owned(),
                PasswordPlace::File(path) => format!("in {}", path.display()),
            };
            anyhow::Error::new(source).context(format!(
                "the password for {server_id} is {place}, but the server's settings could not be saved"
            ))
        }
        error @ (SaveError::Keychain(_)
        | SaveError::NotReadBack
        | SaveError::CredentialsFile(_)) => anyhow::Error::new(error)
            .context("the credentials work, but the password could not be kept; nothing was saved"),
        other => other.into(),
    }
}

/// Fills in what the options leave out: from the saved profile when re-running for a
/// known server, else by asking (never with `--password-stdin`, which asks nothing).
fn gather(profiles: &Profiles, args: LoginArgs) -> anyhow::Result<Answers> {
    let interactive = !args.password_stdin;
    if !interactive {
        let known = args
            .server_id
            .as_deref()
            .and_then(|id| ServerId::new(id.trim()).ok())
            .and_then(|id| profiles.get(&id));
        let mut missing = Vec::new();
        if args.server_id.is_none() {
            missing.push("--server-id");
        }
        if args.url.is_none() && known.is_none() {
            missing.push("--url");
        }
        if args.username.is_none() && known.and_then(|p| p.username.as_ref()).is_none() {
            missing.push("--username");
        }
        if !missing.is_empty() {
            bail!(
                "--password-stdin asks nothing, so these options are needed too: {}",
                missing.join(", ")
            );
        }
    }

    let server_id = match args.server_id {
        Some(id) => parse_server_id(&id)?,
        None => loop {
            let text = prompt::ask("Server id (a short name, e.g. acme-eu)", None)?;
            match ServerId::new(text) {
                Ok(id) => break id,
                Err(error) => eprintln!("{error}"),
            }
        },
    };
    let saved = profiles.get(&server_id);
    let pick =
        |given: Option<String>, saved: Option<&str>, question: &str, fallback: Option<&str>| {
            match given {
                Some(value) => Ok(value.trim().to_owned()),
                None if interactive => prompt::ask(question, saved.or(fallback)),
                None => Ok(saved.or(fallback).unwrap_or_default().to_owned()),
            }
        };
    let label = pick(
        args.label,
        saved.map(|p| p.label.as_str()).filter(|l| !l.is_empty()),
        "Friendly label",
        Some(server_id.as_str()),
    )?;
    let base_url = pick(
        args.url,
        saved.map(|p| p.base_url.as_str()),
        "Management Server URL (with the virtual directory, e.g. https://cmc.example.com/managementserver)",
        None,
    )?;
    let username = pick(
        args.username,
        saved.and_then(|p| p.username.as_deref()),
        "Username",
        None,
    )?;
    let base_url = base_url.trim_end_matches('/').to_owned();
    if base_url.is_empty() || username.is_empty() {
        bail!("the server URL and the username cannot be empty");
    }
    let ca_given = args
        .ca_certificate
        .map(|path| absolute_file(&path))
        .transpose()?;
    let ca_certificate = ca_given
        .clone()
        .or_else(|| saved.and_then(|p| p.ca_certificate.clone()));
    let ca_to_save = ca_given.map_or(CaCertificate::Saved, |path| CaCertificate::Set(Some(path)));
    let password = if interactive {
        prompt::ask_password(&format!("Password for {username}"))?
    } else {
        prompt::read_password_stdin()?
    };
    Ok(Answers {
        server_id,
        label,
        base_url,
        username,
        password,
        ca_certificate,
        ca_to_save,
    })
}

/// The CA file as an absolute path, so the saved profile works from any folder.
fn absolute_file(path: &Path) -> anyhow::Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| {
        format!(
            "cannot use the CA certificate {}: check the path to the PEM file",
            path.display()
        )
    })
}
