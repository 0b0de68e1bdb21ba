//! Cloud storage reconciliation: each cloud storage account against the S3 devices
//! agents report for it, and the S3 devices no listed account explains (orphans).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::fields::{int, list, raw, text};
use super::rows::agent_name;
use super::storage::AgentOnServer;

/// The account id field S3 devices carry.
const ACCOUNT_FIELD: &str = "AmazonS3CompatibleCloudStorageAccountId";

/// Whether a device stores into S3-compatible cloud storage (an Amazon S3, S3-compatible
/// or cloud device, or one that names a cloud storage account).
pub fn is_s3_device(device: &Value) -> bool {
    let odata = text(device, "@odata.type").unwrap_or_default();
    let display = text(device, "DisplayType").unwrap_or_default();
    odata.contains("AmazonS3")
        || odata == "#Devices.CloudDevice"
        || display.starts_with("AmazonS3")
        || device.get(ACCOUNT_FIELD).is_some()
}

/// A cloud storage account as read from a server.
#[derive(Debug, Clone, Copy)]
pub struct AccountOnServer<'a> {
    /// The server the account lives on.
    pub server_id: &'a str,
    /// The raw account entity.
    pub account: &'a Value,
}

/// One S3 device of an agent in the tools' words: the agent, the device, its bucket,
/// endpoint, size (null when not reported) and status.
fn linked_device(agent: &Value, device: &Value) -> Value {
    json!({
        "agent_id": raw(agent, "AgentId"),
        "agent_name": agent_name(agent),
        "friendly_name": raw(agent, "FriendlyName"),
        "machine_name": raw(agent, "MachineName"),
        "device_id": raw(device, "AgentDeviceId"),
        "device_name": raw(device, "Name"),
        "bucket": raw(device, "BucketName"),
        "url": raw(device, "URL"),
        "device_size_bytes": raw(device, "Size"),
        "device_status": raw(device, "Status"),
        "device_status_updated": raw(device, "StatusUpdated"),
    })
}

fn account_key(server_id: &str, id: i64) -> (String, i64) {
    (server_id.to_owned(), id)
}

/// The S3 devices linked to one account: one entry per device, the distinct agents
/// they belong to, and the bytes of those that reported a size.
#[derive(Default)]
struct Linked {
    entries: Vec<Value>,
    agents: HashSet<String>,
    bytes: u64,
    sized: usize,
}

/// A device's reported size in bytes, when it reported one.
fn size_of(device: &Value) -> Option<u64> {
    int(device, "Size").map(|size| u64::try_from(size).unwrap_or(0))
}

/// Reconciles `accounts` with the S3 devices of `agents` (every agent of the same
/// servers). Each account lists its linked S3 devices under `agents` (one entry per
/// device, with its agent), `agent_count` (distinct agents) and
/// `device_reported_total_bytes` (null when none of them reported a size). With
/// `include_orphans`, lists S3 devices whose account id is missing (`no_csa_id`) or
/// not among the accounts (`csa_not_in_list`, with `referenced_csa_id`).
pub fn reconcile(
    accounts: &[AccountOnServer<'_>],
    agents: &[AgentOnServer<'_>],
    include_orphans: bool,
) -> Value {
    let mut linked: HashMap<(String, i64), Linked> = HashMap::new();
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
            let (reason, referenced) = match int(device, ACCOUNT_FIELD) {
                None => ("no_csa_id", Value::Null),
                Some(id) if !known.contains(&account_key(item.server_id, id)) => {
                    ("csa_not_in_list", json!(id))
                }
                Some(id) => {
                    let entry = linked.entry(account_key(item.server_id, id)).or_default();
                    entry.entries.push(linked_device(item.agent, device));
                    entry.agents.insert(raw(item.agent, "AgentId").to_string());
                    if let Some(size) = size_of(device) {
                        entry.bytes += size;
                        entry.sized += 1;
                    }
                    continue;
                }
            };
            orphaned_bytes += size_of(device).unwrap_or(0);
            if include_orphans {
                let mut entry = json!({"server_id": item.server_id});
                entry
                    .as_object_mut()
                    .expect("an object")
                    .extend(into_fields(linked_device(item.agent, device)));
                entry["display_type"] = raw(device, "DisplayType");
                entry["reason"] = json!(reason);
                entry["referenced_csa_id"] = referenced;
                orphans.push(entry);
            } else {
                orphans.push(Value::Null);
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
            let found = id
                .and_then(|id| linked.remove(&account_key(a.server_id, id)))
                .unwrap_or_default();
            let reported = (found.sized > 0).then_some(found.bytes);
            device_total += reported.unwrap_or(0);
            json!({
                "server_id": a.server_id,
                "cloud_storage_account_id": raw(a.account, "CloudStorageAccountId"),
                "user_name": raw(a.account, "UserName"),
                "csa_used_bytes": raw(a.account, "UsedBytes"),
                "csa_used_calc_completed": raw(a.account, "UsedBytesLastCalculationCompleted"),
                "storage_server_id": raw(a.account, "StorageServerId"),
                "agent_count": found.agents.len(),
                "device_count": found.entries.len(),
                "agents": found.entries,
                "device_reported_total_bytes": reported,
                "reconciliation_delta_bytes": used
                    .zip(reported)
                    .map(|(used, reported)| used - i64::try_from(reported).unwrap_or(i64::MAX)),
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
                 agents' S3 devices report (null when none reported a size); a large delta \
                 means stale figures or devices that are not linked. Orphaned devices are S3 \
                 devices with no cloud storage account id (no_csa_id) or one that is not in \
                 this server's account list (csa_not_in_list, the id in referenced_csa_id): \
                 storage nobody is billed for, or accounts this user may not see.",
    });
    if include_orphans {
        result["orphaned_devices"] = Value::Array(orphans);
    }
    result
}

/// The fields of a JSON object (nothing for anything else).
fn into_fields(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(fields) => fields,
        _ => Map::new(),
    }
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
            json!({"AgentId": 1, "FriendlyName": "one", "MachineName": "pc1", "Devices": [
                {"@odata.type": "#Devices.AmazonS3CompatibleDevice", ACCOUNT_FIELD: 5, "Size": 600,
                 "AgentDeviceId": 11, "Name": "Cloud", "BucketName": "b1", "URL": "https://s3.x",
                 "Status": "Online", "StatusUpdated": "2026-05-01T10:00:00Z"},
                {"DisplayType": "Local", "Size": 99999},
                {"@odata.type": "#Devices.AmazonS3CompatibleDevice", ACCOUNT_FIELD: 5, "Size": null}
            ]}),
            json!({"AgentId": 2, "MachineName": "pc2", "Devices": [
                {"@odata.type": "#Devices.AmazonS3Device", ACCOUNT_FIELD: 5, "Size": 300},
                {"@odata.type": "#Devices.AmazonS3CompatibleDevice", "Size": 7,
                 "DisplayType": "AmazonS3Compatible"},
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
        assert_eq!(first["agent_count"], 2, "distinct agents");
        assert_eq!(first["device_count"], 3, "one entry per S3 device");
        assert_eq!(first["agents"].as_array().unwrap().len(), 3);
        assert_eq!(first["device_reported_total_bytes"], 900);
        assert_eq!(first["reconciliation_delta_bytes"], 100);
        assert_eq!(
            first["agents"][0],
            json!({
                "agent_id": 1, "agent_name": "one", "friendly_name": "one", "machine_name": "pc1",
                "device_id": 11, "device_name": "Cloud", "bucket": "b1", "url": "https://s3.x",
                "device_size_bytes": 600, "device_status": "Online",
                "device_status_updated": "2026-05-01T10:00:00Z",
            })
        );
        assert_eq!(first["agents"][1]["device_size_bytes"], Value::Null);
        assert_eq!(
            first["agents"][2]["agent_name"], "pc2",
            "the machine name stands in"
        );
        let idle = &result["cloud_storage_accounts"][1];
        assert_eq!(idle["agent_count"], 0);
        assert_eq!(
            idle["device_reported_total_bytes"],
            Value::Null,
            "no device reported: unknown, not zero"
        );
        assert_eq!(idle["reconciliation_delta_bytes"], Value::Null);
        let orphans = result["orphaned_devices"].as_array().unwrap();
        let reasons: Vec<&str> = orphans
            .iter()
            .map(|o| o["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["no_csa_id", "csa_not_in_list"]);
        assert_eq!(orphans[0]["referenced_csa_id"], Value::Null);
        assert_eq!(orphans[0]["display_type"], "AmazonS3Compatible");
        assert_eq!(orphans[0]["agent_name"], "pc2");
        assert_eq!(orphans[0]["server_id"], "s");
        assert_eq!(orphans[1]["referenced_csa_id"], 77);
        assert_eq!(orphans[1]["device_size_bytes"], 8);
        assert_eq!(result["totals"]["orphaned_device_bytes"], 15);
        let without = reconcile(&accounts, &agents, false);
        assert!(without.get("orphaned_devices").is_none());
        assert_eq!(without["totals"]["orphaned_devices"], 2, "still counted");
    }
}
