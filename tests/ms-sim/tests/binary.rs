//! The `ms-sim` binary: prints parseable server and user lines, serves several
//! independent servers, stops on SIGTERM, refuses a non-loopback address.

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_ms-sim");

#[tokio::test]
async fn serves_several_servers_and_prints_their_urls_and_users() {
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--servers",
            "2",
            "--tenants",
            "2",
            "--agents",
            "3",
            "--runs",
            "50",
        ])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("ms-sim starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut servers = vec![];
    let mut users = vec![];
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let words: Vec<&str> = line.split(' ').collect();
            match words[0] {
                "server" => servers.push((words[1].to_string(), words[2].to_string())),
                "user" => users.push((words[1].to_string(), words[2].to_string())),
                "ready" => break,
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("ms-sim prints ready");
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[0].0, "demo-1");
    assert_ne!(servers[0].1, servers[1].1);
    assert!(users.contains(&("admin".to_string(), "demo-admin".to_string())));
    assert_eq!(users.len(), 3);
    let client = reqwest::Client::new();
    let mut tenant_sets = vec![];
    for (_, base) in &servers {
        assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/managementserver"));
        let token = client
            .post(format!("{base}/api/Account/Authenticate"))
            .json(&serde_json::json!({"UserName": "admin", "Password": "demo-admin"}))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let response = client
            .get(format!(
                "{base}/api/Groups?$filter=ParentGroupId%20eq%20null"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.unwrap();
        let tenants: Vec<String> = body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["TenantId"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(tenants.len(), 2);
        tenant_sets.push(tenants);
    }
    assert_ne!(
        tenant_sets[0], tenant_sets[1],
        "different seeds, different estates"
    );
    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("stops on SIGTERM")
        .unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn refuses_a_non_loopback_address_without_allow_remote() {
    let output = Command::new(BIN)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");
}
