//! The estate as OData entity sets: pre-built JSON rows plus typed values that
//! `$filter` and `$orderby` read without re-parsing anything per request.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::estate::Estate;

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

/// A property value ready for comparisons (dates in milliseconds since the epoch).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Date(i64),
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

const AGENTS: Schema = Schema {
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

const GROUPS: Schema = Schema {
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

const DEVICES: Schema = Schema {
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

const JOBS: Schema = Schema {
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

const JOB_HISTORIES: Schema = Schema {
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

const CLOUD_STORAGE_ACCOUNTS: Schema = Schema {
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

const STORAGE_SERVERS: Schema = Schema {
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

const USERS: Schema = Schema {
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

/// One entity: the JSON the API answers with and the typed values, by column.
pub(crate) struct Row {
    pub json: Map<String, Value>,
    pub vals: Vec<Val>,
}

/// One entity set, its rows in key order and the indexes requests need.
pub(crate) struct Table {
    pub schema: &'static Schema,
    pub rows: Vec<Row>,
    /// The tenant (index) of each row; `None` = visible to every user.
    pub tenant: Vec<Option<usize>>,
    by_int: HashMap<i64, usize>,
    by_str: HashMap<String, usize>,
    /// For each column used as a foreign key of a `Many` navigation: value → rows.
    children: HashMap<&'static str, HashMap<i64, Vec<usize>>>,
}

impl Table {
    fn new<T: Serialize>(
        schema: &'static Schema,
        items: &[T],
        tenant: impl Fn(&T) -> Option<usize>,
    ) -> Table {
        let mut rows = Vec::with_capacity(items.len());
        let mut tenants = Vec::with_capacity(items.len());
        for item in items {
            let json = match serde_json::to_value(item) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            let vals = schema
                .columns
                .iter()
                .map(|(name, kind)| to_val(json.get(*name), *kind))
                .collect();
            rows.push(Row { json, vals });
            tenants.push(tenant(item));
        }
        let key = schema.column(schema.key).unwrap_or(0);
        let mut by_int = HashMap::new();
        let mut by_str = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            match &row.vals[key] {
                Val::Int(k) => {
                    by_int.insert(*k, i);
                }
                Val::Str(k) => {
                    by_str.insert(k.to_ascii_lowercase(), i);
                }
                _ => {}
            }
        }
        Table {
            schema,
            rows,
            tenant: tenants,
            by_int,
            by_str,
            children: HashMap::new(),
        }
    }

    fn index_children(&mut self, column: &'static str) {
        let Some(c) = self.schema.column(column) else {
            return;
        };
        let mut map: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, row) in self.rows.iter().enumerate() {
            if let Val::Int(v) = row.vals[c] {
                map.entry(v).or_default().push(i);
            }
        }
        self.children.insert(column, map);
    }

    /// The row with this integer key.
    pub(crate) fn by_int_key(&self, key: i64) -> Option<usize> {
        self.by_int.get(&key).copied()
    }

    /// The row with this string key (compared case-insensitively, as GUIDs are).
    pub(crate) fn by_str_key(&self, key: &str) -> Option<usize> {
        self.by_str.get(&key.to_ascii_lowercase()).copied()
    }

    /// The rows whose `column` equals `value` (indexed columns only).
    pub(crate) fn children_of(&self, column: &str, value: i64) -> &[usize] {
        self.children
            .get(column)
            .and_then(|m| m.get(&value))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

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

fn to_val(value: Option<&Value>, kind: Kind) -> Val {
    match (value, kind) {
        (None | Some(Value::Null), _) => Val::Null,
        (Some(Value::Bool(b)), _) => Val::Bool(*b),
        (Some(Value::Number(n)), Kind::Double) => n.as_f64().map(Val::Num).unwrap_or(Val::Null),
        (Some(Value::Number(n)), _) => n.as_i64().map(Val::Int).unwrap_or(Val::Null),
        (Some(Value::String(s)), Kind::Date) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|d| Val::Date(d.timestamp_millis()))
            .unwrap_or(Val::Null),
        (Some(Value::String(s)), _) => Val::Str(s.clone()),
        _ => Val::Null,
    }
}

/// Every entity set of one estate.
pub(crate) struct Tables {
    tables: HashMap<SetId, Table>,
}

impl Tables {
    /// Builds the sets from the estate (once, at start).
    pub(crate) fn build(e: &Estate) -> Tables {
        let group_tenant = |g: &i64| e.group_tenant.get(g).copied();
        let agent_tenant = |a: &i64| e.agent_tenant.get(a).copied();
        let mut tables = HashMap::new();
        tables.insert(
            SetId::Agents,
            Table::new(&AGENTS, &e.agents, |a| agent_tenant(&a.agent_id)),
        );
        tables.insert(
            SetId::Groups,
            Table::new(&GROUPS, &e.groups, |g| group_tenant(&g.group_id)),
        );
        let mut devices = Table::new(&DEVICES, &e.devices, |d| agent_tenant(&d.agent_id));
        devices.index_children("AgentId");
        tables.insert(SetId::Devices, devices);
        let mut jobs = Table::new(&JOBS, &e.jobs, |j| agent_tenant(&j.agent_id));
        jobs.index_children("AgentId");
        tables.insert(SetId::Jobs, jobs);
        tables.insert(
            SetId::JobHistories,
            Table::new(&JOB_HISTORIES, &e.runs, |r| agent_tenant(&r.agent_id)),
        );
        tables.insert(
            SetId::CloudStorageAccounts,
            Table::new(&CLOUD_STORAGE_ACCOUNTS, &e.cloud_storage_accounts, |c| {
                group_tenant(&c.group_id)
            }),
        );
        tables.insert(
            SetId::StorageServers,
            Table::new(&STORAGE_SERVERS, &e.storage_servers, |_| None),
        );
        tables.insert(
            SetId::Users,
            Table::new(&USERS, &e.users, |u| {
                u.group_id.and_then(|g| group_tenant(&g))
            }),
        );
        Tables { tables }
    }

    /// One set.
    pub(crate) fn get(&self, id: SetId) -> &Table {
        &self.tables[&id]
    }

    /// The set named `name` in a URL (case-insensitive, as ASP.NET routing is).
    pub(crate) fn by_name(&self, name: &str) -> Option<SetId> {
        self.tables
            .iter()
            .find(|(_, t)| t.schema.set.eq_ignore_ascii_case(name))
            .map(|(id, _)| *id)
    }
}
