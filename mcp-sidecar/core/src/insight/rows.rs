//! Shaping raw Management Server rows into the result rows the tools return (the
//! field names MSPs' prompts already rely on).

use serde_json::{Map, Value, json};

use super::fields::{int, raw};
use super::status::{characterize, duration_seconds, status_label_value};

/// A copy of `row` with `server_id` added first (for raw entities and selected fields).
pub fn with_server_id(server_id: &str, row: &Value) -> Value {
    let mut out = Map::new();
    out.insert("server_id".to_owned(), Value::String(server_id.to_owned()));
    if let Value::Object(fields) = row {
        for (key, value) in fields {
            if key != "server_id" {
                out.insert(key.clone(), value.clone());
            }
        }
    } else {
        out.insert("value".to_owned(), row.clone());
    }
    Value::Object(out)
}

/// The sum of the reported `Size` of a list of devices, and how many reported one.
pub fn device_bytes(devices: &[Value]) -> (u64, usize) {
    devices
        .iter()
        .filter_map(|device| int(device, "Size"))
        .fold((0, 0), |(sum, count), size| {
            (sum + u64::try_from(size).unwrap_or(0), count + 1)
        })
}

/// An agent row: identity, connection, group and tenant, and the last backup; with
/// `with_storage`, its devices and `total_storage_bytes`.
pub fn agent_row(server_id: &str, agent: &Value, with_storage: bool) -> Value {
    let group = agent.get("Group").unwrap_or(&Value::Null);
    let group_id = match raw(agent, "GroupId") {
        Value::Null => raw(group, "GroupId"),
        id => id,
    };
    let last_status = int(agent, "LastBackupStatus");
    let mut row = json!({
        "server_id": server_id,
        "agent_id": raw(agent, "AgentId"),
        "agent_guid": raw(agent, "AgentGuid"),
        "friendly_name": raw(agent, "FriendlyName"),
        "machine_name": raw(agent, "MachineName"),
        "ip_address": raw(agent, "IPAddress"),
        "connected": raw(agent, "Connected"),
        "backup_client_type": raw(agent, "BackupClientType"),
        "backup_client_version": raw(agent, "BackupClientVersionNumber"),
        "group_id": group_id,
        "group_name": raw(group, "GroupName"),
        "tenant_id": raw(group, "TenantId"),
        "last_activity_date": raw(agent, "LastActivityDate"),
        "last_backup_date": raw(agent, "LastBackupDate"),
        "last_backup_status": raw(agent, "LastBackupStatus"),
        "last_backup_status_label": status_label_value(last_status),
    });
    if with_storage {
        let devices = agent
            .get("Devices")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let (total, _) = device_bytes(&devices);
        row["devices"] = Value::Array(devices);
        row["total_storage_bytes"] = json!(total);
    }
    row
}

/// A job-history (run) row with status label, duration and characterization.
/// `job_log_id` is the key `get_job_run_log` takes.
pub fn run_row(server_id: &str, run: &Value) -> Value {
    let agent = run.get("Agent").unwrap_or(&Value::Null);
    json!({
        "server_id": server_id,
        "job_id": raw(run, "JobId"),
        "job_log_id": raw(run, "JobLogId"),
        "agent_id": raw(run, "AgentId"),
        "agent_friendly_name": raw(agent, "FriendlyName"),
        "agent_machine_name": raw(agent, "MachineName"),
        "job_name": raw(run, "JobName"),
        "job_type": raw(run, "JobType"),
        "status": raw(run, "Status"),
        "status_label": status_label_value(int(run, "Status")),
        "start_date_time": raw(run, "StartDateTime"),
        "end_date_time": raw(run, "EndDateTime"),
        "duration_seconds": duration_seconds(run),
        "size_in_bytes": raw(run, "SizeInBytes"),
        "bytes_processed": raw(run, "BytesProcessed"),
        "bytes_finished": raw(run, "BytesFinished"),
        "files_processed": raw(run, "FilesProcessed"),
        "files_finished": raw(run, "FilesFinished"),
        "characterization": characterize(run),
    })
}

/// A cloud storage account row.
pub fn csa_row(server_id: &str, account: &Value) -> Value {
    json!({
        "server_id": server_id,
        "cloud_storage_account_id": raw(account, "CloudStorageAccountId"),
        "user_name": raw(account, "UserName"),
        "used_bytes": raw(account, "UsedBytes"),
        "used_bytes_last_calc_completed": raw(account, "UsedBytesLastCalculationCompleted"),
        "backup_client_license_key": raw(account, "BackupClientLicenseKey"),
        "storage_server_id": raw(account, "StorageServerId"),
    })
}

/// A group row.
pub fn group_row(server_id: &str, group: &Value) -> Value {
    json!({
        "group_id": raw(group, "GroupId"),
        "group_name": raw(group, "GroupName"),
        "description": raw(group, "Description"),
        "parent_group_id": raw(group, "ParentGroupId"),
        "tenant_id": raw(group, "TenantId"),
        "is_default": raw(group, "Default"),
        "server_id": server_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_rows_carry_group_tenant_and_status_label() {
        let agent = json!({
            "AgentId": 7, "AgentGuid": "g", "FriendlyName": "PC-7", "MachineName": "pc7",
            "IPAddress": "10.0.0.7", "Connected": true, "BackupClientType": "Workstation",
            "BackupClientVersionNumber": "21.1", "LastBackupStatus": 4,
            "Group": {"GroupId": 3, "GroupName": "Acme", "TenantId": "t-1"},
            "Devices": [{"Size": 100}, {"Size": null}, {"Size": 50}]
        });
        let row = agent_row("s1", &agent, true);
        assert_eq!(row["server_id"], "s1");
        assert_eq!(
            row["group_id"], 3,
            "group id falls back to the expanded Group"
        );
        assert_eq!(row["tenant_id"], "t-1");
        assert_eq!(row["last_backup_status_label"], "failed");
        assert_eq!(row["total_storage_bytes"], 150);
        assert_eq!(row["devices"].as_array().unwrap().len(), 3);
        let plain = agent_row("s1", &agent, false);
        assert!(plain.get("devices").is_none(), "devices only with storage");
        assert_eq!(plain["backup_client_version"], "21.1");
    }

    #[test]
    fn run_rows_carry_agent_names_and_triage() {
        let run = json!({
            "JobId": 11, "JobLogId": 901, "AgentId": 7, "Status": 2, "BytesFinished": 0,
            "ElapsedTimeInSeconds": 12,
            "Agent": {"AgentId": 7, "FriendlyName": "PC-7", "MachineName": "pc7"}
        });
        let row = run_row("s2", &run);
        assert_eq!(row["agent_friendly_name"], "PC-7");
        assert_eq!(row["status_label"], "warning");
        assert_eq!(row["characterization"], "warning_no_data");
        assert_eq!(row["duration_seconds"], 12.0);
        assert_eq!(row["job_log_id"], 901);
    }

    #[test]
    fn raw_rows_get_server_id_first_and_keep_unknown_fields() {
        let row = with_server_id("s3", &json!({"UserId": 1, "Odd": [1]}));
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["server_id", "UserId", "Odd"]);
        let group = group_row("s3", &json!({"GroupId": 1, "Default": true}));
        assert_eq!(group["is_default"], true);
        assert_eq!(group["parent_group_id"], Value::Null);
        let csa = csa_row("s3", &json!({"UsedBytesLastCalculationCompleted": "x"}));
        assert_eq!(csa["used_bytes_last_calc_completed"], "x");
    }
}
