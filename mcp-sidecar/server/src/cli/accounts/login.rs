//! `login`: ask for (or take) a server's details, prove them, then keep them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use novabackup_core::ServerId;
use novabackup_core::credentials_file::{self, PlaintextCredential};
use novabackup_core::keychain::Keychain;
use novabackup_core::profiles::Profiles;
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
    ca_certificate: Option<PathBuf>,
}

/// Where this login keeps the password, opened before anything is sent.
enum Store {
    Keychain(Keychain),
    File(PathBuf),
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
    let previous_file = profiles
        .get(&answers.server_id)
        .and_then(|p| p.password_file.clone());
    // Before the network: a machine without a keychain should hear so at once.
    let store = match chosen {
        PasswordStore::Keychain => Store::Keychain(accounts.keychain().with_context(|| {
            format!(
                "nothing was saved. On a machine without a keychain, keep the password in a \
                 plain file readable only by you instead: novabackup-mcp login --server-id {} \
                 --store credentials-file",
                answers.server_id
            )
        })?),
        PasswordStore::CredentialsFile => Store::File(
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

    let password_file = match &store {
        Store::Keychain(keychain) => {
            keychain
                .store(&answers.server_id, &answers.password)
                .context(
                    "the credentials work, but the password could not be kept; nothing was saved",
                )?;
            None
        }
        Store::File(path) => {
            credentials_file::store(
                path,
                &PlaintextCredential {
                    server_id: answers.server_id.clone(),
                    label: answers.label.clone(),
                    base_url: answers.base_url.clone(),
                    username: answers.username.clone(),
                    password: answers.password.clone(),
                },
            )
            .context(
                "the credentials work, but the password could not be kept; nothing was saved",
            )?;
            Some(path.clone())
        }
    };
    let server_id = answers.server_id;
    let base_url = answers.base_url;
    let username = answers.username;
    let replaced = accounts
        .save_profile(&server_id, |profile| {
            profile.label = answers.label;
            profile.base_url = base_url.clone();
            profile.username = Some(username.clone());
            profile.ca_certificate = answers.ca_certificate;
            profile.password_file = password_file.clone();
        })
        .with_context(|| {
            format!(
                "the password for {server_id} is in the keychain, but the server's settings could not be saved"
            )
        })?;

    if let Some(old) = previous_file.filter(|old| password_file.as_ref() != Some(old)) {
        // The password moved: the old plain copy goes.
        if let Err(error) = credentials_file::forget(&old, &server_id) {
            eprintln!(
                "warning: the old copy of the password in {} could not be removed: {error}",
                old.display()
            );
        }
    }
    let kept = match &password_file {
        None => "the password is in your system keyring".to_owned(),
        Some(path) => format!("the password is in {}", path.display()),
    };
    println!(
        "{} {server_id} ({base_url}) as {username}; {kept}.",
        if replaced { "Updated" } else { "Saved" },
    );
    if let Some(path) = &password_file {
        eprintln!(
            "warning: the password now sits in the plain file {} (readable only by you). \
             Anyone who can read your files, or a backup of them, can read it. Where a \
             keychain is available, `novabackup-mcp login --server-id {server_id}` keeps it there instead.",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
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
    let ca_certificate = match args.ca_certificate {
        Some(path) => Some(absolute_file(&path)?),
        None => saved.and_then(|p| p.ca_certificate.clone()),
    };
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
