//! Cloud storage reconciliation: each cloud storage account against the S3 devices
//! agents report for it, and the S3 devices no listed account explains (orphans).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Value, json};

use super::fields::{int, list, raw, text};
use super::storage::AgentOnServer;

/// The account id field S3 devices carry.
const ACCOUNT_FIELD: &str = "AmazonS3CompatibleCloudStorageAccountId";

/// Whether a device stores into S3-compatible cloud storage.
pub fn is_s3_device(device: &Value) -> bool {
    let odata = text(device, "@odata.type").unwrap_or_default();
    let display = text(device, "DisplayType").unwrap_or_default();
    odata.contains("AmazonS3")
        || display.starts_with("AmazonS3")
        || device.get(ACCOUNT_FIELD).is_some()
}

/// An agent linked to an account: its identity, its S3 devices and their total size.
type LinkedAgent = (Value, Vec<Value>, u64);

/// A cloud storage account as read from a server.
#[derive(Debug, Clone, Copy)]
pub struct AccountOnServer<'a> {
    /// The server the account lives on.
    pub server_id: &'a str,
    /// The raw account entity.
    pub account: &'a Value,
}

fn device_entry(device: &Value) -> Value {
    json!({
        "agent_device_id": raw(device, "AgentDeviceId"),
        "name": raw(device, "Name"),
        "bucket_name": raw(device, "BucketName"),
        "url": raw(device, "URL"),
        "size_bytes": raw(device, "Size"),
    })
}

fn account_key(server_id: &str, id: i64) -> (String, i64) {
    (server_id.to_owned(), id)
}

/// Reconciles `accounts` with the S3 devices of `agents` (every agent of the same
/// servers). With `include_orphans`, lists S3 devices whose account id is missing
/// (`no_csa_id`) or not among the accounts (`csa_not_in_list`).
pub fn reconcile(
    accounts: &[AccountOnServer<'_>],
    agents: &[AgentOnServer<'_>],
    include_orphans: bool,
) -> Value {
    // (server, account id) -> agent key -> (agent, devices)
    let mut linked: HashMap<(String, i64), BTreeMap<String, LinkedAgent>> = HashMap::new();
    let known: HashSet<(String, i64)> = accounts
        .iter()
        .filter_map(|a| {
            int(a.account, "CloudStorageAccountId").map(|id| account_key(a.server_id, id))
        })
        .collect();
    let mut orphans = Vec::new();
    let mut orphaned_bytes = 0u64;
    for item in agents {
        for device in list(item.agent, "Devices")
            .iter()
            .filter(|d| is_s3_device(d))
        {
            let size = int(device, "Size").map_or(0, |s| u64::try_from(s).unwrap_or(0));
            let reason = match int(device, ACCOUNT_FIELD) {
                None => Some("no_csa_id"),
                Some(id) if !known.contains(&account_key(item.server_id, id)) => {
                    Some("csa_not_in_list")
                }
                Some(id) => {
                    let agent_id = raw(item.agent, "AgentId");
                    let entry = linked
                        .entry(account_key(item.server_id, id))
                        .or_default()
                        .entry(agent_id.to_string())
                        .or_insert_with(|| {
                            (
                                json!({
                                    "agent_id": agent_id,
                                    "friendly_name": raw(item.agent, "FriendlyName"),
                                    "machine_name": raw(item.agent, "MachineName"),
                                }),
                                Vec::new(),
                                0,
                            )
                        });
                    entry.1.push(device_entry(device));
                    entry.2 += size;
                    None
                }
            };
            if let Some(reason) = reason {
                orphaned_bytes += size;
                if include_orphans {
                    let mut entry = device_entry(device);
                    entry["server_id"] = json!(item.server_id);
                    entry["agent_id"] = raw(item.agent, "AgentId");
                    entry["agent_friendly_name"] = raw(item.agent, "FriendlyName");
                    entry["cloud_storage_account_id"] = raw(device, ACCOUNT_FIELD);
                    entry["reason"] = json!(reason);
                    orphans.push(entry);
                } else {
                    orphans.push(Value::Null);
                }
            }
        }
    }
    let orphan_count = orphans.len();
    let (mut used_total, mut device_total) = (0i64, 0u64);
    let rows: Vec<Value> = accounts
        .iter()
        .map(|a| {
            let id = int(a.account, "CloudStorageAccountId");
            let used = int(a.account, "UsedBytes");
            used_total += used.unwrap_or(0);
            let agents_for = id
                .and_then(|id| linked.remove(&account_key(a.server_id, id)))
                .unwrap_or_default();
            let reported: u64 = agents_for.values().map(|(_, _, bytes)| bytes).sum();
            device_total += reported;
            let agent_rows: Vec<Value> = agents_for
                .into_values()
                .map(|(mut agent, devices, _)| {
                    agent["devices"] = Value::Array(devices);
                    agent
                })
                .collect();
            json!({
                "server_id": a.server_id,
                "cloud_storage_account_id": raw(a.account, "CloudStorageAccountId"),
                "user_name": raw(a.account, "UserName"),
                "csa_used_bytes": raw(a.account, "UsedBytes"),
                "csa_used_calc_completed": raw(a.account, "UsedBytesLastCalculationCompleted"),
                "storage_server_id": raw(a.account, "StorageServerId"),
                "agent_count": agent_rows.len(),
                "agents": agent_rows,
                "device_reported_total_bytes": reported,
                "reconciliation_delta_bytes": used.map(|u| u - i64::try_from(reported).unwrap_or(i64::MAX)),
            })
        })
        .collect();
    let mut rows = rows;
    rows.sort_by_key(|row| std::cmp::Reverse(row["csa_used_bytes"].as_i64().unwrap_or(0)));
    let mut result = json!({
        "cloud_storage_accounts": rows,
        "totals": {
            "accounts": accounts.len(),
            "csa_count": accounts.len(),
            "csa_used_bytes": used_total,
            "device_reported_bytes": device_total,
            "orphaned_devices": orphan_count,
            "orphaned_device_count": orphan_count,
            "orphaned_device_bytes": orphaned_bytes,
        },
        "data_quality_note": "reconciliation_delta_bytes is the account's UsedBytes minus the sizes its \
                 agents' S3 devices report; a large delta means stale figures or devices \
                 that are not linked. Orphaned devices are S3 devices with no cloud storage \
                 account id (no_csa_id) or one that is not in this server's account list \
                 (csa_not_in_list): storage nobody is billed for, or accounts this user \
                 may not see.",
    });
    if include_orphans {
        result["orphaned_devices"] = Value::Array(orphans);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_matched_to_devices_and_orphans_are_named() {
        let accounts_data = [
            json!({"CloudStorageAccountId": 5, "UserName": "acme", "UsedBytes": 1000}),
            json!({"CloudStorageAccountId": 6, "UserName": "idle", "UsedBytes": 10}),
        ];
        let agents_data = [
            json!({"AgentId": 1, "FriendlyName": "one", "Devices": [
                {"@odata.type": "#Devices.AmazonS3CompatibleDevice", ACCOUNT_FIELD: 5, "Size": 600},
                {"DisplayType": "Local", "Size": 99999}
            ]}),
            json!({"AgentId": 2, "Devices": [
                {"@odata.type": "#Devices.AmazonS3Device", ACCOUNT_FIELD: 5, "Size": 300},
                {"@odata.type": "#Devices.AmazonS3CompatibleDevice", "Size": 7},
                {"@odata.type": "#Devices.AmazonS3CompatibleDevice", ACCOUNT_FIELD: 77, "Size": 8}
            ]}),
        ];
        let accounts: Vec<AccountOnServer<'_>> = accounts_data
            .iter()
            .map(|account| AccountOnServer {
                server_id: "s",
                account,
            })
            .collect();
        let agents: Vec<AgentOnServer<'_>> = agents_data
            .iter()
            .map(|agent| AgentOnServer {
                server_id: "s",
                agent,
            })
            .collect();
        let result = reconcile(&accounts, &agents, true);
        let first = &result["cloud_storage_accounts"][0];
        assert_eq!(first["agent_count"], 2);
        assert_eq!(first["device_reported_total_bytes"], 900);
        assert_eq!(first["reconciliation_delta_bytes"], 100);
        assert_eq!(result["cloud_storage_accounts"][1]["agent_count"], 0);
        let reasons: Vec<&str> = result["orphaned_devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["no_csa_id", "csa_not_in_list"]);
        assert_eq!(result["totals"]["orphaned_device_bytes"], 15);
        let without = reconcile(&accounts, &agents, false);
        assert!(without.get("orphaned_devices").is_none());
        assert_eq!(without["totals"]["orphaned_devices"], 2, "still counted");
    }
}
