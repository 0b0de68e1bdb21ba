//! The client's session against the Management Server simulator on loopback: login,
//! token refresh, single-flight logins, revoked tokens, TLS trust, and secrets kept
//! out of every printed form.

mod client_common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;

use client_common::{DEADLINE, admin_client, deadline, start};
use ms_sim::{CertificateFault, SimConfig};
use novabackup_core::{
    ApiError, ClientSettings, Credentials, Deadline, ManagementClient, Query, TlsProblem,
};
use secrecy::SecretString;

#[tokio::test]
async fn login_reads_the_expiry_from_the_token() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    assert!(
        client.token_info().is_none(),
        "no token before the first call"
    );

    let info = client.login(deadline()).await.expect("the admin logs in");
    let lifetime = (info.expires_at - Utc::now()).num_seconds();
    assert!(
        (3590..=3600).contains(&lifetime),
        "the simulator's tokens live an hour, got {lifetime} s"
    );
    assert_eq!(client.token_info(), Some(info));

    let page = client
        .list("Agents", &Query::new(), deadline())
        .await
        .expect("agents");
    assert_eq!(page.rows.len(), sim.estate().agents.len());
    assert_eq!(sim.counters().logins(), 1, "the fresh token is reused");
}

#[tokio::test]
async fn a_wrong_password_is_invalid_credentials_and_is_not_retried() {
    let sim = start(SimConfig::default()).await;
    let credentials = Credentials::new(
        sim.admin().user_name.clone(),
        SecretString::from("wrong-Pa55!".to_owned()),
    );
    let client =
        ManagementClient::new(&sim.base_url(), credentials, &ClientSettings::default()).unwrap();

    let error = client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "invalid_credentials", "{error:?}");
    let text = error.to_string();
    assert!(text.contains(&sim.base_url()), "names the server: {text}");
    assert!(text.contains("Check them."), "says what to do: {text}");
    assert_eq!(
        error.remedy(),
        Some(novabackup_core::remedy::Remedy::NewCredentials),
        "and names the remedy for a face to word"
    );
    assert!(
        text.contains("The user name or password is incorrect."),
        "carries the server's detail: {text}"
    );
    assert_eq!(
        sim.counters().requests("/api/Account/Authenticate"),
        1,
        "a 401 login is not retried"
    );
    assert_eq!(sim.counters().requests("/api/Agents"), 0);
}

#[tokio::test]
async fn a_short_lived_token_is_refreshed_before_it_expires() {
    let sim = start(SimConfig {
        token_lifetime: Duration::from_secs(3),
        ..SimConfig::default()
    })
    .await;
    let client = admin_client(&sim, &ClientSettings::default());
    let first = client.login(deadline()).await.unwrap();
    client
        .list("Groups", &Query::new(), deadline())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(3200)).await;

    client
        .list("Groups", &Query::new(), deadline())
        .await
        .expect("works after the token's life");
    let second = client.token_info().unwrap();
    assert!(
        second.expires_at > first.expires_at,
        "a new token was obtained"
    );
    assert_eq!(sim.counters().logins(), 2);
    assert_eq!(
        sim.counters().requests("/api/Groups"),
        2,
        "refreshed before use: no request was refused with 401 and repeated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_calls_with_an_expired_token_cause_one_login() {
    let sim = start(SimConfig {
        token_lifetime: Duration::from_secs(2),
        ..SimConfig::default()
    })
    .await;
    let client = admin_client(&sim, &ClientSettings::default());
    client.login(deadline()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    sim.counters().reset();

    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .count("Agents", None, Deadline::after(DEADLINE))
                .await
        })
    });
    let results = futures::future::join_all(calls).await;
    for result in results {
        let count = result.expect("the task ran").expect("the call succeeded");
        assert_eq!(count, sim.estate().agents.len() as u64);
    }
    assert_eq!(
        sim.counters().logins(),
        1,
        "exactly one login for 100 waiting calls"
    );
    assert_eq!(
        sim.counters().requests("/api/Agents"),
        100,
        "no call was refused and repeated"
    );
}

#[tokio::test]
async fn revoked_tokens_are_replaced_once_and_the_call_succeeds() {
    let sim = start(SimConfig::default()).await;
    let client = admin_client(&sim, &ClientSettings::default());
    client.login(deadline()).await.unwrap();
    sim.faults().revoke_tokens();

    let page = client
        .list("Agents", &Query::new(), deadline())
        .await
        .expect("recovers from the 401");
    assert_eq!(page.rows.len(), sim.estate().agents.len());
    assert_eq!(sim.counters().logins(), 2);
    assert_eq!(
        sim.counters().requests("/api/Agents"),
        2,
        "one refused request, one retry"
    );
}

#[tokio::test]
async fn a_private_ca_is_refused_until_its_certificate_is_configured() {
    let sim = start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await;
    assert!(sim.base_url().starts_with("https://"));

    let untrusted = admin_client(&sim, &ClientSettings::default());
    let error = untrusted.login(deadline()).await.unwrap_err();
    assert!(
        matches!(
            &error,
            ApiError::Tls {
                problem: TlsProblem::UnknownIssuer,
                ..
            }
        ),
        "a certificate from an unknown CA: {error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("does not trust the certificate"), "{text}");
    assert!(text.contains("issued by an unknown authority"), "{text}");
    assert_eq!(
        sim.counters().total_requests(),
        0,
        "nothing was sent over the untrusted connection"
    );

    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(
        &ca,
        sim.ca_certificate_pem().expect("a TLS simulator has a CA"),
    )
    .unwrap();
    let trusted = admin_client(
        &sim,
        &ClientSettings {
            ca_certificate: Some(ca),
            ..ClientSettings::default()
        },
    );
    trusted
        .login(deadline())
        .await
        .expect("trusted with the CA configured");
    let page = trusted
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap();
    assert_eq!(page.rows.len(), sim.estate().agents.len());
}

/// A trusted CA does not excuse a certificate for another name or out of date: each
/// is refused before anything is sent, and explained with what to do.
#[tokio::test]
async fn a_certificate_for_another_name_or_out_of_date_is_refused_and_explained() {
    for (fault, problem, advice) in [
        (
            CertificateFault::WrongHost,
            TlsProblem::WrongHostName,
            "Use the host name the certificate was issued for",
        ),
        (
            CertificateFault::Expired,
            TlsProblem::Expired,
            "Check this computer's clock, or ask the server's administrator to renew",
        ),
    ] {
        let sim = start(SimConfig {
            tls: true,
            certificate: fault,
            ..SimConfig::default()
        })
        .await;
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, sim.ca_certificate_pem().unwrap()).unwrap();
        let client = admin_client(
            &sim,
            &ClientSettings {
                ca_certificate: Some(ca),
                ..ClientSettings::default()
            },
        );
        let error = client.login(deadline()).await.unwrap_err();
        match &error {
            ApiError::Tls { problem: found, .. } => assert_eq!(found, &problem, "{fault:?}"),
            other => panic!("{fault:?}: a TLS refusal, not {other:?}"),
        }
        assert!(error.to_string().contains(advice), "{fault:?}: {error}");
        assert!(!error.is_transient(), "{fault:?}: retrying changes nothing");
        assert_eq!(
            sim.counters().total_requests(),
            0,
            "{fault:?}: nothing sent"
        );
    }
}

/// Servers share HTTP clients by what they trust, not by the CA file's name: a CA file
/// replaced in place is trusted by the next client made, and servers behind the same
/// CA each keep their own session.
#[tokio::test]
async fn clients_are_shared_by_what_they_trust_and_a_renewed_ca_file_counts() {
    let first = start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await;
    let second = start(SimConfig {
        tls: true,
        seed: 2,
        ..SimConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("company-ca.pem");
    let settings = ClientSettings {
        ca_certificate: Some(ca.clone()),
        ..ClientSettings::default()
    };
    std::fs::write(&ca, first.ca_certificate_pem().unwrap()).unwrap();
    let a = admin_client(&first, &settings);
    a.login(deadline())
        .await
        .expect("trusted with the first CA");
    let refused = admin_client(&second, &settings).login(deadline()).await;
    assert!(
        matches!(refused, Err(ApiError::Tls { .. })),
        "the second server's CA is not in the file yet: {refused:?}"
    );

    std::fs::write(&ca, second.ca_certificate_pem().unwrap()).unwrap();
    let b = admin_client(&second, &settings);
    b.login(deadline())
        .await
        .expect("the renewed file is read for the next client");
    let again = admin_client(&first, &settings);
    a.list("Agents", &Query::new(), deadline())
        .await
        .expect("a client made before keeps its trust");
    assert!(
        matches!(again.login(deadline()).await, Err(ApiError::Tls { .. })),
        "a new client trusts only what the file says now"
    );
    assert_eq!(first.counters().logins(), 1);
    assert_eq!(second.counters().logins(), 1);
}

/// Collects everything logged while a test runs.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_debug_display_errors_or_logs() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = start(SimConfig::default()).await;
    let password = sim.admin().password.clone();
    let client = admin_client(
        &sim,
        &ClientSettings {
            max_retries: 1,
            ..ClientSettings::default()
        },
    );
    let mut printed = vec![format!("{client:?}")];

    client.login(deadline()).await.unwrap();
    sim.faults().revoke_tokens();
    client
        .list("Agents", &Query::new(), deadline())
        .await
        .unwrap();
    printed.push(format!("{client:?} {:?}", client.token_info()));

    let mut errors: Vec<ApiError> = Vec::new();
    let wrong = Credentials::new(
        sim.admin().user_name.clone(),
        SecretString::from(format!("{password}-x")),
    );
    let wrong = ManagementClient::new(&sim.base_url(), wrong, &ClientSettings::default()).unwrap();
    errors.push(wrong.login(deadline()).await.unwrap_err());
    errors.push(
        client
            .list("Agents", &Query::new().filter("Nope eq 1"), deadline())
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .get("Agents(987654321)", &Query::new(), deadline())
            .await
            .unwrap_err(),
    );
    sim.faults().fail_next(1, 500);
    errors.push(
        client
            .list("Agents", &Query::new(), deadline())
            .await
            .unwrap_err(),
    );
    sim.faults().set_malformed_json(true);
    errors.push(
        client
            .list("Agents", &Query::new(), deadline())
            .await
            .unwrap_err(),
    );
    sim.faults().set_malformed_json(false);
    sim.faults().set_hang(true);
    errors.push(
        client
            .list(
                "Agents",
                &Query::new(),
                Deadline::after(Duration::from_millis(300)),
            )
            .await
            .unwrap_err(),
    );
    sim.faults().set_hang(false);
    let kinds: Vec<&str> = errors.iter().map(ApiError::kind).collect();
    assert_eq!(
        kinds,
        [
            "invalid_credentials",
            "query_rejected",
            "not_found",
            "server_error",
            "unexpected_response",
            "timeout"
        ]
    );
    for error in &errors {
        printed.push(format!("{error} {error:?}"));
    }

    let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(!logged.is_empty(), "the client logs at debug level");
    printed.push(logged);
    for text in printed {
        assert!(!text.contains(&password), "the password leaked: {text}");
        // Every JWT starts with the base64 of `{"`: no token may appear anywhere.
        assert!(!text.contains("eyJ"), "a token leaked: {text}");
        assert!(
            !text.to_ascii_lowercase().contains("bearer "),
            "an Authorization header leaked: {text}"
        );
    }
}

#[tokio::test]
async fn an_address_without_the_virtual_directory_is_reported_as_unreachable() {
    let sim = start(SimConfig::default()).await;
    let root = sim.base_url().replace("/managementserver", "");
    let admin = sim.admin();
    let credentials = Credentials::new(
        admin.user_name.clone(),
        SecretString::from(admin.password.clone()),
    );
    let client = ManagementClient::new(&root, credentials, &ClientSettings::default()).unwrap();
    let error = client.login(deadline()).await.unwrap_err();
    let ApiError::Unreachable { detail, .. } = &error else {
        panic!("expected Unreachable, got {error:?}");
    };
    assert!(detail.contains("HTTP 404"), "{detail}");
    assert!(
        error
            .to_string()
            .contains("including \"/managementserver\" at the end"),
        "{error}"
    );
}
