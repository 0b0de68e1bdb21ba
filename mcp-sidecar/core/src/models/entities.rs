//! The entity structs, one per API resource.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A backup agent: one protected computer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Agent {
    /// The agent's id on this server.
    pub agent_id: Option<i64>,
    /// The agent's GUID.
    pub agent_guid: Option<String>,
    /// The name shown in the console.
    pub friendly_name: Option<String>,
    /// The computer's host name.
    pub machine_name: Option<String>,
    /// The computer's IP address.
    #[serde(rename = "IPAddress")]
    pub ip_address: Option<String>,
    /// Whether the agent is connected to the server now.
    pub connected: Option<bool>,
    /// The kind of backup client (its type is not documented: kept as sent).
    pub backup_client_type: Option<Value>,
    /// The backup client's version.
    pub backup_client_version_number: Option<String>,
    /// The group the agent belongs to.
    pub group_id: Option<i64>,
    /// When the agent was last active.
    pub last_activity_date: Option<String>,
    /// When the agent last ran a backup.
    pub last_backup_date: Option<String>,
    /// The last backup's job status code (labels: `crate::insight::status`).
    pub last_backup_status: Option<i64>,
    /// The agent's group, when expanded.
    pub group: Option<Group>,
    /// The agent's backup destinations, when expanded.
    pub devices: Option<Vec<Device>>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A group of agents; groups form a tree through `ParentGroupId`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Group {
    /// The group's id (unique only within one server).
    pub group_id: Option<i64>,
    /// The group's name.
    pub group_name: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// The parent group; `None` at a root.
    pub parent_group_id: Option<i64>,
    /// The tenant (customer) GUID.
    pub tenant_id: Option<String>,
    /// Whether this is the default group.
    pub default: Option<bool>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A backup destination configured on an agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Device {
    /// The device's id on its agent.
    pub agent_device_id: Option<i64>,
    /// The agent the device belongs to, if sent.
    pub agent_id: Option<i64>,
    /// The OData type, e.g. `#Devices.AmazonS3CompatibleDevice`.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    /// The kind of destination, e.g. `Local`, `AmazonS3Compatible`.
    pub display_type: Option<String>,
    /// The destination's name.
    pub name: Option<String>,
    /// Capacity in bytes (`None`: not reported yet).
    pub size: Option<i64>,
    /// Free space in bytes.
    pub free_space: Option<i64>,
    /// The device status (its type is not documented: kept as sent).
    pub status: Option<Value>,
    /// When the status was last updated.
    pub status_updated: Option<String>,
    /// For S3 destinations: the cloud storage account used.
    pub amazon_s3_compatible_cloud_storage_account_id: Option<i64>,
    /// For S3 destinations: the bucket.
    pub bucket_name: Option<String>,
    /// For S3 destinations: the endpoint URL.
    #[serde(rename = "URL")]
    pub url: Option<String>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A backup job defined on an agent (managed from the console or defined locally).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Job {
    /// Set for jobs defined in the console ("managed"); `None` for local jobs.
    pub job_id: Option<i64>,
    /// Identifies a job defined on the agent.
    pub schedule_id: Option<Value>,
    /// The agent the job belongs to, if sent.
    pub agent_id: Option<i64>,
    /// The job's name.
    pub name: Option<String>,
    /// The job's name, as some servers call it.
    pub job_name: Option<String>,
    /// The kind of job.
    pub job_type: Option<Value>,
    /// Fields not listed above (settings and the like), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Job {
    /// Whether the job was defined in the console (it has a `JobId`).
    pub fn is_managed(&self) -> bool {
        self.job_id.is_some()
    }
}

/// One run of a job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobHistory {
    /// The run's own key, used for its log.
    pub job_log_id: Option<i64>,
    /// The job definition (`None` for a job defined on the agent).
    pub job_id: Option<i64>,
    /// The agent that ran it.
    pub agent_id: Option<i64>,
    /// The job's name.
    pub job_name: Option<String>,
    /// The kind of job.
    pub job_type: Option<Value>,
    /// The job status code (labels: `crate::insight::status`).
    pub status: Option<i64>,
    /// When the run started.
    pub start_date_time: Option<String>,
    /// When the run ended.
    pub end_date_time: Option<String>,
    /// How long the run took, in seconds.
    pub elapsed_time_in_seconds: Option<f64>,
    /// The size of the backup in bytes.
    pub size_in_bytes: Option<i64>,
    /// Bytes read.
    pub bytes_processed: Option<i64>,
    /// Bytes written.
    pub bytes_finished: Option<i64>,
    /// Files read.
    pub files_processed: Option<i64>,
    /// Files written.
    pub files_finished: Option<i64>,
    /// The agent, when expanded.
    pub agent: Option<Agent>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One run's log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunLog {
    /// The script file the run used.
    pub script_file_path: Option<String>,
    /// The log lines.
    pub messages: Option<Vec<LogMessage>>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One line of a run's log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogMessage {
    /// `Information`, `Warning`, `Error`, ...
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    /// The text.
    pub message: Option<String>,
    /// When it was logged.
    pub date_time: Option<String>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A storage quota for an end user on a storage server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudStorageAccount {
    /// The account's id.
    pub cloud_storage_account_id: Option<i64>,
    /// The end user's name.
    pub user_name: Option<String>,
    /// Bytes used.
    pub used_bytes: Option<i64>,
    /// When `UsedBytes` was last calculated.
    pub used_bytes_last_calculation_completed: Option<String>,
    /// The licence key of the backup client.
    pub backup_client_license_key: Option<String>,
    /// The storage server holding the data.
    pub storage_server_id: Option<i64>,
    /// Free bytes, if sent.
    pub free_bytes: Option<i64>,
    /// The quota in bytes, if sent.
    pub quota_bytes: Option<i64>,
    /// Whether the account is enabled, if sent.
    pub enabled: Option<bool>,
    /// `Active`, `Deleted` or `Pending`, if sent.
    pub account_status: Option<String>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A storage server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StorageServer {
    /// The storage server's id.
    pub storage_server_id: Option<i64>,
    /// Its name, if sent under this name.
    pub name: Option<String>,
    /// Its URL, if sent under this name.
    #[serde(rename = "URL", alias = "Url")]
    pub url: Option<String>,
    /// Its type, if sent under this name.
    #[serde(rename = "Type")]
    pub kind: Option<Value>,
    /// Fields not listed above (names are not documented), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A console user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    /// The user's id (its type is not documented: kept as sent).
    pub user_id: Option<Value>,
    /// The login name.
    pub user_name: Option<String>,
    /// The e-mail address.
    pub email_address: Option<String>,
    /// Whether the account is enabled.
    pub enabled: Option<bool>,
    /// Whether the account is approved.
    pub is_approved: Option<bool>,
    /// Whether the account is locked out.
    pub is_locked_out: Option<bool>,
    /// Whether the user is online now.
    pub is_online: Option<bool>,
    /// When the user last logged in.
    pub last_login_date: Option<String>,
    /// The user's role (its type is not documented: kept as sent).
    pub role_id: Option<Value>,
    /// Fields not listed above, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
