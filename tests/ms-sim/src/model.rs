//! The entities of a Management Server, typed, serialised with the API's field names.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// Formats a moment the way the ASP.NET OData service does (ISO 8601, UTC, milliseconds).
pub fn format_date(moment: &DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn date<S: Serializer>(moment: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date(moment))
}

fn opt_date<S: Serializer>(moment: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match moment {
        Some(m) => date(m, s),
        None => s.serialize_none(),
    }
}

/// A customer of the MSP: a root group and its children share its `tenant_id`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tenant {
    /// Position in [`crate::SimEstate::tenants`].
    pub index: usize,
    /// The GUID string carried by every group of the tenant as `TenantId`.
    pub tenant_id: String,
    /// Customer name (the root group's name).
    pub name: String,
    /// `GroupId` of the tenant's root group.
    pub root_group_id: i64,
}

/// A group (`/api/Groups`): a tree via `ParentGroupId`, each tied to one tenant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Group {
    /// Key.
    pub group_id: i64,
    /// Display name.
    pub group_name: String,
    /// Free text.
    pub description: Option<String>,
    /// Parent group; `None` at a tenant's root.
    pub parent_group_id: Option<i64>,
    /// The tenant (customer) GUID.
    pub tenant_id: String,
    /// Whether new agents land here.
    pub default: bool,
}

/// A backup client (`/api/Agents`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Agent {
    /// Key.
    pub agent_id: i64,
    /// The agent's own GUID.
    pub agent_guid: String,
    /// Name shown in the console.
    pub friendly_name: String,
    /// Windows machine name.
    pub machine_name: String,
    /// Last known address.
    #[serde(rename = "IPAddress")]
    pub ip_address: String,
    /// Connected to the Management Server now.
    pub connected: bool,
    /// Product edition, e.g. `PC`, `Server`, `BusinessEssentials`.
    pub backup_client_type: String,
    /// Version of the backup client.
    pub backup_client_version_number: String,
    /// The group the agent belongs to.
    pub group_id: i64,
    /// Last contact with the Management Server.
    #[serde(serialize_with = "date")]
    pub last_activity_date: DateTime<Utc>,
    /// Start of the latest run, if any.
    #[serde(serialize_with = "opt_date")]
    pub last_backup_date: Option<DateTime<Utc>>,
    /// Status code of the latest run, if any.
    pub last_backup_status: Option<i64>,
    /// Operating system name.
    pub operating_system: String,
}

/// Settings an S3 (or S3-compatible) device carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3Settings {
    /// The cloud storage account this device writes to; may be null or dangling.
    #[serde(rename = "AmazonS3CompatibleCloudStorageAccountId")]
    pub cloud_storage_account_id: Option<i64>,
    /// Bucket name.
    pub bucket_name: String,
    /// Endpoint URL.
    #[serde(rename = "URL")]
    pub url: String,
}

/// A backup destination configured on an agent (`/api/Agents(id)/Devices`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Device {
    /// OData derived type, e.g. `#Devices.AmazonS3CompatibleDevice`.
    #[serde(rename = "@odata.type")]
    pub odata_type: String,
    /// Key.
    pub agent_device_id: i64,
    /// Owning agent.
    pub agent_id: i64,
    /// `Local`, `AmazonS3Compatible`, `AmazonS3`, `Cloud`, `Network`.
    pub display_type: String,
    /// Device name.
    pub name: String,
    /// Capacity in bytes; `None` when not yet reported.
    pub size: Option<i64>,
    /// Free bytes; `None` when not yet reported.
    pub free_space: Option<i64>,
    /// `Online`, `Offline` or `Error`.
    pub status: String,
    /// When `Status` last changed.
    #[serde(serialize_with = "date")]
    pub status_updated: DateTime<Utc>,
    /// S3 settings, present only on S3 devices.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Settings>,
}

/// A job defined on an agent (`/api/Agents(id)/Jobs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Job {
    /// Set for jobs defined in the console ("managed"), `None` for agent-defined jobs.
    pub job_id: Option<i64>,
    /// Identifies an agent-defined job (set on every job here).
    pub schedule_id: String,
    /// Owning agent.
    pub agent_id: i64,
    /// Job name.
    pub name: String,
    /// `Files and Folders`, `Image`, `SQL Server`, `Hyper-V`, `Exchange`.
    pub job_type: String,
    /// Whether the schedule is active.
    pub enabled: bool,
    /// Human-readable schedule.
    pub schedule_description: String,
    /// The device (`AgentDeviceId`) the job writes to.
    pub agent_device_id: Option<i64>,
}

/// One job run (`/api/JobHistories`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobRun {
    /// Unique key of the run, used by `JobHistories({JobLogId})/Log`.
    pub job_log_id: i64,
    /// The job definition's id; `None` for runs of agent-defined jobs.
    pub job_id: Option<i64>,
    /// The agent that ran it.
    pub agent_id: i64,
    /// Job name at run time.
    pub job_name: String,
    /// Job type.
    pub job_type: String,
    /// 0 pending, 1 success, 2 warning, 3 cancelled, 4 failed, 5 running, 6 queued.
    pub status: i64,
    /// Start (scheduled start for pending and queued runs).
    #[serde(serialize_with = "date")]
    pub start_date_time: DateTime<Utc>,
    /// End; `None` while pending, queued or running.
    #[serde(serialize_with = "opt_date")]
    pub end_date_time: Option<DateTime<Utc>>,
    /// Duration; `None` while not finished.
    pub elapsed_time_in_seconds: Option<i64>,
    /// Size of the selection.
    pub size_in_bytes: i64,
    /// Bytes read.
    pub bytes_processed: i64,
    /// Bytes written to the destination.
    pub bytes_finished: i64,
    /// Files read.
    pub files_processed: i64,
    /// Files written.
    pub files_finished: i64,
}

/// One line of a run's log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogMessage {
    /// `Information`, `Warning` or `Error`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Text.
    pub message: String,
    /// When it was written.
    #[serde(serialize_with = "date")]
    pub date_time: DateTime<Utc>,
}

/// A run's log (`/api/JobHistories({JobLogId})/Log`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobLog {
    /// Path of the script on the agent.
    pub script_file_path: String,
    /// The lines.
    pub messages: Vec<LogMessage>,
}

/// A storage quota for an end user (`/api/CloudStorageAccounts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CloudStorageAccount {
    /// Key.
    pub cloud_storage_account_id: i64,
    /// Always `CloudStorageAccount`.
    pub display_type: String,
    /// The tenant's root group.
    pub group_id: i64,
    /// That group's name.
    pub group_name: String,
    /// Storage user name.
    pub user_name: String,
    /// License key of the backup client.
    pub backup_client_license_key: String,
    /// The storage server holding the data.
    pub storage_server_id: i64,
    /// Bytes used at the last calculation.
    pub used_bytes: i64,
    /// When `UsedBytes` was last calculated; some are stale (older than 7 days).
    #[serde(serialize_with = "opt_date")]
    pub used_bytes_last_calculation_completed: Option<DateTime<Utc>>,
    /// Quota minus used (never negative).
    pub free_bytes: i64,
    /// Quota in bytes.
    pub quota_bytes: i64,
    /// Used share of the quota, in percent.
    pub quota_percent: f64,
    /// `NONE`, `BELOW`, `NEAR`, `AT` or `OVER`.
    pub quota_status: String,
    /// Enabled.
    pub enabled: bool,
    /// `Active`, `Deleted` or `Pending`.
    pub account_status: String,
    /// Agents writing to it.
    pub number_of_computers: i64,
    /// Last backup into it.
    #[serde(serialize_with = "opt_date")]
    pub last_backup_date: Option<DateTime<Utc>>,
    /// Expiry, if any.
    #[serde(serialize_with = "opt_date")]
    pub expiration_date: Option<DateTime<Utc>>,
}

/// A storage server (`/api/StorageServers`), visible to every user.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StorageServer {
    /// Key.
    pub storage_server_id: i64,
    /// Name.
    pub name: String,
    /// Address.
    pub url: String,
    /// `NovaBACKUP Storage Server` or `S3 Compatible`.
    #[serde(rename = "Type")]
    pub kind: String,
}

/// A console user (`/api/Users`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    /// Key (GUID string).
    pub user_id: String,
    /// Login name.
    pub user_name: String,
    /// E-mail.
    pub email_address: String,
    /// Enabled.
    pub enabled: bool,
    /// Approved.
    pub is_approved: bool,
    /// Locked out.
    pub is_locked_out: bool,
    /// Signed in now.
    pub is_online: bool,
    /// Last login.
    #[serde(serialize_with = "opt_date")]
    pub last_login_date: Option<DateTime<Utc>>,
    /// 1 administrator, 2 technician, 3 customer.
    pub role_id: i64,
    /// The tenant root group of a customer's user; `None` for MSP staff.
    pub group_id: Option<i64>,
}

/// Credentials and scope of a user who can log in to the simulator. Its `Debug`
/// leaves the password out, like any credential's.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Login name.
    pub user_name: String,
    /// Password (demo data, printed by the binary).
    pub password: String,
    /// Sees every tenant.
    pub is_admin: bool,
    /// The tenants (`TenantId`) this user sees (all of them for the admin).
    pub tenant_ids: Vec<String>,
}

impl std::fmt::Debug for DemoUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoUser")
            .field("user_name", &self.user_name)
            .field("password", &"<redacted>")
            .field("is_admin", &self.is_admin)
            .field("tenant_ids", &self.tenant_ids)
            .finish()
    }
}
