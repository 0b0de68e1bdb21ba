//! Shaping raw Management Server rows into the result rows the tools return (the
//! field names MSPs' prompts already rely on).

use serde_json::{Map, Value, json};

use super::fields::{int, list, raw};
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

/// The bytes a list of devices reports, or `null` when none of them reported a size
/// (unknown, which is not the same as empty).
pub fn reported_bytes(devices: &[Value]) -> Value {
    match device_bytes(devices) {
        (_, 0) => Value::Null,
        (total, _) => json!(total),
    }
}

/// The device fields a device row names in the tools' words: (server's name, ours).
const DEVICE_FIELDS: [(&str, &str); 7] = [
    ("AgentDeviceId", "agent_device_id"),
    ("DisplayType", "display_type"),
    ("Name", "name"),
    ("Size", "size_bytes"),
    ("FreeSpace", "free_space_bytes"),
    ("Status", "status"),
    ("StatusUpdated", "status_updated"),
];

/// A device row: `agent_device_id`, `display_type`, `name`, `size_bytes`,
/// `free_space_bytes`, `status`, `status_updated` (null when the server sent none),
/// then every other field the server sent under its own name (the S3 bucket, URL and
/// cloud storage account id, the OData type), so nothing the server said is lost.
pub fn device_row(device: &Value) -> Value {
    let mut out = Map::new();
    for (server_name, name) in DEVICE_FIELDS {
        out.insert(name.to_owned(), raw(device, server_name));
    }
    if let Value::Object(fields) = device {
        for (key, value) in fields {
            if !DEVICE_FIELDS
                .iter()
                .any(|(server_name, _)| server_name == key)
            {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// Whether `list_agents` inlines devices: asked for storage, or an `$expand` that
/// names `Devices` (then the server sends them anyway).
pub fn inlines_devices(with_storage: bool, expand: Option<&str>) -> bool {
    with_storage
        || expand.is_some_and(|expand| {
            expand
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .any(|word| word.eq_ignore_ascii_case("Devices"))
        })
}

/// An agent row: identity, connection, group and tenant, and the last backup; with
/// `with_devices`, its devices (see [`device_row`]) and `total_storage_bytes` (null
/// when no device reported a size).
pub fn agent_row(server_id: &str, agent: &Value, with_devices: bool) -> Value {
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
    if with_devices {
        let devices = list(agent, "Devices");
        row["devices"] = devices.iter().map(device_row).collect();
        row["total_storage_bytes"] = reported_bytes(devices);
    }
    row
}

/// The agent's name as one line: `FriendlyName`, else `MachineName`.
pub fn agent_name(agent: &Value) -> Value {
    match raw(agent, "FriendlyName") {
        Value::Null => raw(agent, "MachineName"),
        name => name,
    }
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

/// A group in the tools' words, with `children` the groups nested under it.
pub fn group_node(group: &Value, children: Vec<Value>) -> Value {
    json!({
        "group_id": raw(group, "GroupId"),
        "group_name": raw(group, "GroupName"),
        "description": raw(group, "Description"),
        "parent_group_id": raw(group, "ParentGroupId"),
        "tenant_id": raw(group, "TenantId"),
        "is_default": raw(group, "Default"),
        "children": children,
    })
}

/// A group row of the flat listing, with `children` empty (the tree is what
/// `get_group_hierarchy` gives).
pub fn group_row(server_id: &str, group: &Value) -> Value {
    let mut row = group_node(group, Vec::new());
    row["server_id"] = json!(server_id);
    row
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
    fn devices_are_named_in_the_tools_words_and_keep_the_rest() {
        let device = json!({
            "@odata.type": "#Devices.AmazonS3CompatibleDevice", "AgentDeviceId": 4,
            "AgentId": 7, "DisplayType": "AmazonS3Compatible", "Name": "Cloud", "Size": 9,
            "FreeSpace": 2, "Status": "Online", "StatusUpdated": "2026-05-01T10:00:00Z",
            "BucketName": "b", "URL": "https://s3.example"
        });
        let row = device_row(&device);
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "agent_device_id",
                "display_type",
                "name",
                "size_bytes",
                "free_space_bytes",
                "status",
                "status_updated",
                "@odata.type",
                "AgentId",
                "BucketName",
                "URL"
            ]
        );
        assert_eq!(row["size_bytes"], 9);
        assert_eq!(row["free_space_bytes"], 2);
        assert_eq!(row["BucketName"], "b");
        let bare = device_row(&json!({"AgentDeviceId": 5}));
        assert_eq!(
            bare["size_bytes"],
            Value::Null,
            "a size not reported stays null"
        );
    }

    #[test]
    fn storage_total_is_null_when_no_device_reported_a_size() {
        let agent = json!({"AgentId": 1, "Devices": [{"Size": null}, {"Name": "x"}]});
        let row = agent_row("s", &agent, true);
        assert_eq!(row["total_storage_bytes"], Value::Null);
        assert_eq!(row["devices"].as_array().unwrap().len(), 2);
        let none = agent_row("s", &json!({"AgentId": 2, "Devices": []}), true);
        assert_eq!(none["total_storage_bytes"], Value::Null);
        assert_eq!(none["devices"], json!([]));
        let zero = agent_row("s", &json!({"Devices": [{"Size": 0}]}), true);
        assert_eq!(zero["total_storage_bytes"], 0, "a reported zero is a zero");
    }

    #[test]
    fn devices_are_inlined_when_asked_or_expanded() {
        assert!(inlines_devices(true, None));
        assert!(!inlines_devices(false, None));
        assert!(inlines_devices(false, Some("Group,devices")));
        assert!(inlines_devices(
            false,
            Some("Group($select=GroupName),Devices($top=5)")
        ));
        assert!(!inlines_devices(false, Some("Group,DevicesOld")));
        assert_eq!(agent_name(&json!({"MachineName": "pc"})), "pc");
        assert_eq!(
            agent_name(&json!({"FriendlyName": "PC", "MachineName": "pc"})),
            "PC"
        );
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
        assert_eq!(
            group["children"],
            json!([]),
            "the flat listing nests nothing"
        );
        let csa = csa_row("s3", &json!({"UsedBytesLastCalculationCompleted": "x"}));
        assert_eq!(csa["used_bytes_last_calc_completed"], "x");
    }
}
