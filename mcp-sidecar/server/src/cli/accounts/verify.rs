//! Proving a user name and password against a Management Server by logging in.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use novabackup_core::client::{ClientSettings, Credentials, Deadline, ManagementClient, TokenInfo};
use novabackup_core::error::{ApiError, TlsProblem};
use secrecy::SecretString;

/// How long one login may take in all, retries included.
pub(super) const LOGIN_BUDGET: Duration = Duration::from_secs(30);

/// One server to log in to.
pub(super) struct Target<'a> {
    pub base_url: &'a str,
    pub username: &'a str,
    pub password: &'a SecretString,
    pub ca_certificate: Option<PathBuf>,
}

/// A successful login.
pub(super) struct Verified {
    /// How long the login took.
    pub latency: Duration,
    /// What the server said about its token.
    pub token: TokenInfo,
}

/// Logs in once with a fresh client.
pub(super) async fn log_in(target: Target<'_>) -> Result<Verified, ApiError> {
    let settings = ClientSettings {
        ca_certificate: target.ca_certificate,
        ..ClientSettings::default()
    };
    let credentials = Credentials::new(target.username, target.password.clone());
    let client = ManagementClient::new(target.base_url, credentials, &settings)?;
    let started = Instant::now();
    let token = client.login(Deadline::after(LOGIN_BUDGET)).await?;
    Ok(Verified {
        latency: started.elapsed(),
        token,
    })
}

/// The error's own message plus the command-line step that fixes it, when there is one.
pub(super) fn explain(error: &ApiError, retry: &str) -> String {
    let hint = match error {
        ApiError::Tls {
            problem: TlsProblem::UnknownIssuer,
            ..
        } => format!(
            " If the server uses a private certificate authority, pass its certificate: \
             {retry} --ca-certificate CA.pem"
        ),
        _ => String::new(),
    };
    format!("{error}{hint}")
}
