//! The entity sets of the API as static schemas: property names and EDM types,
//! keys and navigation properties.

/// The EDM type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Double,
    Str,
    Bool,
    Date,
}

impl Kind {
    pub(crate) fn edm(self) -> &'static str {
        match self {
            Kind::Int => "Edm.Int64",
            Kind::Double => "Edm.Double",
            Kind::Str => "Edm.String",
            Kind::Bool => "Edm.Boolean",
            Kind::Date => "Edm.DateTimeOffset",
        }
    }
}

/// The entity sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SetId {
    Agents,
    Groups,
    Devices,
    Jobs,
    JobHistories,
    CloudStorageAccounts,
    StorageServers,
    Users,
}

/// How a navigation property reaches its target.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Link {
    /// One target row whose key equals this row's column.
    Single { fk: &'static str },
    /// The target rows whose column equals this row's key.
    Many { target_fk: &'static str },
}

/// A navigation property.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nav {
    pub name: &'static str,
    pub target: SetId,
    pub link: Link,
}

/// A static description of an entity set.
pub(crate) struct Schema {
    pub set: &'static str,
    pub type_name: &'static str,
    pub key: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub navs: &'static [Nav],
}

use Kind::{Bool, Date, Double, Int, Str};

pub(crate) const AGENTS: Schema = Schema {
    set: "Agents",
    type_name: "NovaBackup.ManagementServer.Models.Agent",
    key: "AgentId",
    columns: &[
        ("AgentId", Int),
        ("AgentGuid", Str),
        ("FriendlyName", Str),
        ("MachineName", Str),
        ("IPAddress", Str),
        ("Connected", Bool),
        ("BackupClientType", Str),
        ("BackupClientVersionNumber", Str),
        ("GroupId", Int),
        ("LastActivityDate", Date),
        ("LastBackupDate", Date),
        ("LastBackupStatus", Int),
        ("OperatingSystem", Str),
    ],
    navs: &[
        Nav {
            name: "Group",
            target: SetId::Groups,
            link: Link::Single { fk: "GroupId" },
        },
        Nav {
            name: "Devices",
            target: SetId::Devices,
            link: Link::Many {
                target_fk: "AgentId",
            },
        },
        Nav {
            name: "Jobs",
            target: SetId::Jobs,
            link: Link::Many {
                target_fk: "AgentId",
            },
        },
    ],
};

pub(crate) const GROUPS: Schema = Schema {
    set: "Groups",
    type_name: "NovaBackup.ManagementServer.Models.Group",
    key: "GroupId",
    columns: &[
        ("GroupId", Int),
        ("GroupName", Str),
        ("Description", Str),
        ("ParentGroupId", Int),
        ("TenantId", Str),
        ("Default", Bool),
    ],
    navs: &[Nav {
        name: "ParentGroup",
        target: SetId::Groups,
        link: Link::Single {
            fk: "ParentGroupId",
        },
    }],
};

pub(crate) const DEVICES: Schema = Schema {
    set: "Devices",
    type_name: "NovaBackup.ManagementServer.Models.Devices.Device",
    key: "AgentDeviceId",
    columns: &[
        ("AgentDeviceId", Int),
        ("AgentId", Int),
        ("DisplayType", Str),
        ("Name", Str),
        ("Size", Int),
        ("FreeSpace", Int),
        ("Status", Str),
        ("StatusUpdated", Date),
        ("AmazonS3CompatibleCloudStorageAccountId", Int),
        ("BucketName", Str),
        ("URL", Str),
    ],
    navs: &[],
};

pub(crate) const JOBS: Schema = Schema {
    set: "Jobs",
    type_name: "NovaBackup.ManagementServer.Models.Job",
    key: "ScheduleId",
    columns: &[
        ("JobId", Int),
        ("ScheduleId", Str),
        ("AgentId", Int),
        ("Name", Str),
        ("JobType", Str),
        ("Enabled", Bool),
        ("ScheduleDescription", Str),
        ("AgentDeviceId", Int),
    ],
    navs: &[],
};

pub(crate) const JOB_HISTORIES: Schema = Schema {
    set: "JobHistories",
    type_name: "NovaBackup.ManagementServer.Models.JobHistory",
    key: "JobLogId",
    columns: &[
        ("JobLogId", Int),
        ("JobId", Int),
        ("AgentId", Int),
        ("JobName", Str),
        ("JobType", Str),
        ("Status", Int),
        ("StartDateTime", Date),
        ("EndDateTime", Date),
        ("ElapsedTimeInSeconds", Int),
        ("SizeInBytes", Int),
        ("BytesProcessed", Int),
        ("BytesFinished", Int),
        ("FilesProcessed", Int),
        ("FilesFinished", Int),
    ],
    navs: &[Nav {
        name: "Agent",
        target: SetId::Agents,
        link: Link::Single { fk: "AgentId" },
    }],
};

pub(crate) const CLOUD_STORAGE_ACCOUNTS: Schema = Schema {
    set: "CloudStorageAccounts",
    type_name: "NovaBackup.ManagementServer.Models.CloudStorageAccount",
    key: "CloudStorageAccountId",
    columns: &[
        ("CloudStorageAccountId", Int),
        ("DisplayType", Str),
        ("GroupId", Int),
        ("GroupName", Str),
        ("UserName", Str),
        ("BackupClientLicenseKey", Str),
        ("StorageServerId", Int),
        ("UsedBytes", Int),
        ("UsedBytesLastCalculationCompleted", Date),
        ("FreeBytes", Int),
        ("QuotaBytes", Int),
        ("QuotaPercent", Double),
        ("QuotaStatus", Str),
        ("Enabled", Bool),
        ("AccountStatus", Str),
        ("NumberOfComputers", Int),
        ("LastBackupDate", Date),
        ("ExpirationDate", Date),
    ],
    navs: &[
        Nav {
            name: "Group",
            target: SetId::Groups,
            link: Link::Single { fk: "GroupId" },
        },
        Nav {
            name: "StorageServer",
            target: SetId::StorageServers,
            link: Link::Single {
                fk: "StorageServerId",
            },
        },
    ],
};

pub(crate) const STORAGE_SERVERS: Schema = Schema {
    set: "StorageServers",
    type_name: "NovaBackup.ManagementServer.Models.StorageServer",
    key: "StorageServerId",
    columns: &[
        ("StorageServerId", Int),
        ("Name", Str),
        ("Url", Str),
        ("Type", Str),
    ],
    navs: &[],
};

pub(crate) const USERS: Schema = Schema {
    set: "Users",
    type_name: "NovaBackup.ManagementServer.Models.User",
    key: "UserId",
    columns: &[
        ("UserId", Str),
        ("UserName", Str),
        ("EmailAddress", Str),
        ("Enabled", Bool),
        ("IsApproved", Bool),
        ("IsLockedOut", Bool),
        ("IsOnline", Bool),
        ("LastLoginDate", Date),
        ("RoleId", Int),
        ("GroupId", Int),
    ],
    navs: &[],
};

impl Schema {
    /// Index of a column by its exact name.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| *n == name)
    }

    /// A navigation property by its exact name.
    pub(crate) fn nav(&self, name: &str) -> Option<&'static Nav> {
        self.navs.iter().find(|n| n.name == name)
    }
}
