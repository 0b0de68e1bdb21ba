//! The estate as OData entity sets: pre-built JSON rows plus typed values that
//! `$filter` and `$orderby` read without re-parsing anything per request.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::estate::SimEstate;
use crate::schema::{
    AGENTS, CLOUD_STORAGE_ACCOUNTS, DEVICES, GROUPS, JOB_HISTORIES, JOBS, Kind, STORAGE_SERVERS,
    Schema, SetId, USERS,
};

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
    pub(crate) fn build(e: &SimEstate) -> Tables {
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
