//! The backups at a glance against the simulator on loopback: a health round followed
//! by the digest, the Backups view, the tray's glance and the notifications. The
//! server's backups change between rounds by serving another estate on the same
//! address (same customers, computers and logins; other outcomes), as a real server's
//! do when its customers' backups start failing and are fixed.

mod common;

use std::net::SocketAddr;

use common::TestApp;
use ms_sim::{CustomerHealth, Sim, SimConfig};
use novabackup_companion::backups::{
    self, BackupNotice, BackupsState, BackupsView, Glance, VerdictView,
};
use novabackup_companion::i18n::Language;
use novabackup_companion::servers;
use serde_json::json;

/// A simulator on `addr` whose every customer's backups are `customers`.
async fn serve(addr: SocketAddr, customers: CustomerHealth) -> Sim {
    Sim::start_on(
        addr,
        SimConfig {
            customers: Some(customers),
            ..SimConfig::default()
        },
    )
    .await
    .expect("simulator")
}

/// Saves a server the way the window does.
fn save(app: &TestApp, label: &str, base_url: &str, username: &str, password: &str) {
    app.call(
        "save_server",
        json!({ "input": {
            "serverId": null,
            "label": label,
            "baseUrl": base_url,
            "username": username,
            "password": password,
            "caCertificate": null,
        }}),
    )
    .expect("saved");
}

/// One round as the app's loop runs it: the servers checked, then the digest.
async fn round(app: &TestApp) -> (Vec<BackupNotice>, BackupsView, Glance) {
    let companion = app.companion();
    let overview = servers::check(&companion, None).await.expect("round");
    let notices = backups::round(&companion, &overview).await;
    let view = companion.backups.view(&companion);
    let glance = backups::glance(&overview, &view, Language::English);
    (notices, view, glance.glance)
}

#[tokio::test(flavor = "multi_thread")]
async fn new_failures_are_announced_once_per_customer_and_clear_when_fixed() {
    let well = serve("127.0.0.1:0".parse().unwrap(), CustomerHealth::AllWell).await;
    let addr = well.addr();
    let admin = well.admin().clone();
    let app = TestApp::new();
    let empty = app.call("backups", json!({})).expect("backups");
    assert_eq!(empty["state"], "notSetUp", "no server saved: {empty}");
    save(
        &app,
        "Acme MS",
        &well.base_url(),
        &admin.user_name,
        &admin.password,
    );

    let (notices, view, glance) = round(&app).await;
    assert_eq!(view.state, BackupsState::Ready);
    assert_eq!(view.customers.len(), well.estate().tenants.len());
    assert!(
        view.customers.iter().all(|c| c.verdict == VerdictView::Ok),
        "every customer is well: {:?}",
        view.customers
    );
    assert_eq!(glance, Glance::AllWell);
    assert!(
        notices.is_empty(),
        "the first round only learns what is known"
    );
    well.shutdown().await;

    let failing = serve(addr, CustomerHealth::EveryAgentFailing).await;
    let (notices, view, glance) = round(&app).await;
    assert_eq!(glance, Glance::BackupsFailing);
    let header = app.call("glance", json!({})).expect("glance");
    assert_eq!(
        header["state"], "backupsFailing",
        "the window's header says what the tray says: {header}"
    );
    let sentence = header["sentence"].as_str().unwrap_or_default();
    assert!(
        sentence.contains("need attention") && sentence.contains(&view.customers[0].name),
        "the sentence names who needs attention: {sentence}"
    );
    assert!(
        view.customers
            .iter()
            .all(|c| c.verdict == VerdictView::Failing)
    );
    let customers: Vec<&str> = view.customers.iter().map(|c| c.key.as_str()).collect();
    let failed_notices: Vec<&BackupNotice> = notices
        .iter()
        .filter(|n| n.title.contains("failed"))
        .collect();
    assert_eq!(
        failed_notices.len(),
        customers.len(),
        "one notice of failed backups per customer: {notices:?}"
    );
    for customer in &view.customers {
        let notice = failed_notices
            .iter()
            .find(|n| n.customer == customer.key)
            .expect("a notice for each customer");
        let new = customer.runs.failed as usize;
        assert!(
            notice.title.contains(&customer.name) && notice.title.contains(&new.to_string()),
            "names the customer and how many failed: {} ({new} failed)",
            notice.title
        );
    }
    let logins = failing.counters().logins();
    let (again, _, _) = round(&app).await;
    assert!(
        again.is_empty(),
        "the same runs are not announced twice: {again:?}"
    );
    assert_eq!(
        failing.counters().logins() - logins,
        1,
        "one login a round: the digest asks with the health check's session"
    );
    let served = app.companion().backups.logs_kept();
    assert!(served > 0, "first error lines are kept between rounds");
    let logs_before = failing.counters().requests("/api/JobHistories(");
    round(&app).await;
    assert_eq!(
        failing.counters().requests("/api/JobHistories(") - logs_before,
        0,
        "a log already read is not read again"
    );
    failing.shutdown().await;

    let fixed = serve(addr, CustomerHealth::AllWell).await;
    let (notices, view, glance) = round(&app).await;
    assert_eq!(glance, Glance::AllWell, "fixing the fault clears it");
    assert!(view.customers.iter().all(|c| c.verdict == VerdictView::Ok));
    assert!(notices.is_empty(), "nothing new went wrong: {notices:?}");
    fixed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_does_not_answer_is_named_and_its_customers_left_out() {
    let sim = serve("127.0.0.1:0".parse().unwrap(), CustomerHealth::Mixed).await;
    let admin = sim.admin().clone();
    let app = TestApp::new();
    for (label, url) in [
        ("Acme MS", sim.base_url()),
        (
            "Contoso MS",
            "http://127.0.0.1:9/managementserver".to_owned(),
        ),
    ] {
        save(&app, label, &url, &admin.user_name, &admin.password);
    }
    let (_, view, glance) = round(&app).await;
    assert_eq!(
        glance,
        Glance::ServerDown,
        "a server down is the worst thing known"
    );
    assert_eq!(view.unanswered, ["Contoso MS"]);
    assert!(!view.complete);
    assert!(
        view.customers.iter().all(|c| c.server_label == "Acme MS"),
        "only the answering server's customers"
    );
    assert_eq!(view.customers.len(), sim.estate().tenants.len());

    app.call("remove_server", json!({ "serverId": "acme-ms" }))
        .expect("removed");
    let view = app.companion().backups.view(&app.companion());
    assert!(
        view.customers.is_empty(),
        "a removed server's customers leave the view at once: {:?}",
        view.customers
    );
    assert_eq!(view.unanswered, ["Contoso MS"]);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_refuses_the_password_is_said_so_not_that_it_did_not_answer() {
    let sim = serve("127.0.0.1:0".parse().unwrap(), CustomerHealth::Mixed).await;
    let admin = sim.admin().clone();
    let app = TestApp::new();
    for (label, password) in [
        ("Acme MS", admin.password.clone()),
        ("Contoso MS", format!("{}-not-it", admin.password)),
    ] {
        save(&app, label, &sim.base_url(), &admin.user_name, &password);
    }
    let (_, view, glance) = round(&app).await;
    assert_eq!(
        glance,
        Glance::ServerDown,
        "a server that cannot be logged in to"
    );
    assert_eq!(
        view.unanswered,
        Vec::<String>::new(),
        "it answered: it refused the password"
    );
    assert!(!view.complete);
    let refused: Vec<_> = view
        .gaps
        .iter()
        .filter(|gap| gap.server_label.as_deref() == Some("Contoso MS"))
        .map(|gap| gap.kind.as_str())
        .collect();
    assert_eq!(refused, [backups::PASSWORD_REFUSED], "{:?}", view.gaps);
    assert!(
        view.gaps
            .iter()
            .all(|gap| gap.server_left_out == (gap.server_label.as_deref() == Some("Contoso MS"))),
        "only the refusing server is left out: {:?}",
        view.gaps
    );
    assert!(
        view.customers.iter().all(|c| c.server_label == "Acme MS"),
        "only the server logged in to has customers shown"
    );
    assert_eq!(view.customers.len(), sim.estate().tenants.len());
    sim.shutdown().await;
}
