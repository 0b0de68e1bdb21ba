//! Storage summaries: device sizes added up per agent, tenant, device type or server,
//! over every agent given (the caller pages through all of them).

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fields::{gib, int, list, raw, text, tib};
use super::rows::agent_name;

/// What a storage summary groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One line per agent.
    #[default]
    Agent,
    /// One line per tenant (the agent's group's `TenantId`).
    Tenant,
    /// One line per device type (`DisplayType`).
    DeviceType,
    /// One line per Management Server.
    Server,
}

impl GroupBy {
    /// The name as the tools spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Agent => "agent",
            GroupBy::Tenant => "tenant",
            GroupBy::DeviceType => "device_type",
            GroupBy::Server => "server",
        }
    }
}

/// One agent as read from a server: the server it came from and the raw entity with
/// its `Group` and `Devices` expanded.
#[derive(Debug, Clone, Copy)]
pub struct AgentOnServer<'a> {
    /// The server the agent lives on.
    pub server_id: &'a str,
    /// The raw agent entity.
    pub agent: &'a Value,
}

#[derive(Default)]
struct Line {
    label: String,
    bytes: u64,
    agents: BTreeSet<String>,
    devices: usize,
    reported: usize,
    device_rows: Vec<Value>,
}

/// The device type of a device: `DisplayType`, else the OData type without its namespace.
pub fn device_type(device: &Value) -> String {
    if let Some(display) = text(device, "DisplayType") {
        return display.to_owned();
    }
    text(device, "@odata.type")
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn agent_key(item: &AgentOnServer<'_>) -> String {
    format!("{}:{}", item.server_id, raw(item.agent, "AgentId"))
}

fn agent_label(agent: &Value) -> String {
    text(agent, "FriendlyName")
        .or_else(|| text(agent, "MachineName"))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("agent {}", raw(agent, "AgentId")))
}

/// Customer names by tenant id: each tenant's root group (no `ParentGroupId`) names it.
pub fn tenant_names<'a>(groups: impl IntoIterator<Item = &'a Value>) -> HashMap<String, String> {
    groups
        .into_iter()
        .filter(|group| group.get("ParentGroupId").is_none_or(Value::is_null))
        .filter_map(|group| {
            Some((
                text(group, "TenantId")?.to_owned(),
                text(group, "GroupName")?.to_owned(),
            ))
        })
        .collect()
}

/// Summarizes storage over `agents`, grouped by `group_by`, largest first, keeping the
/// `top` largest lines (all when `None`), with each line's devices when asked. A
/// tenant line is labelled with its name from `tenant_names` (see [`tenant_names`]),
/// else with the group of its first agent.
pub fn summarize(
    agents: &[AgentOnServer<'_>],
    group_by: GroupBy,
    top: Option<usize>,
    include_devices: bool,
    tenant_names: &HashMap<String, String>,
) -> Value {
    let mut lines: HashMap<String, Line> = HashMap::new();
    let (mut total_bytes, mut total_devices, mut total_unreported) = (0u64, 0usize, 0usize);
    for item in agents {
        let agent = item.agent;
        let group = agent.get("Group").unwrap_or(&Value::Null);
        let tenant = text(group, "TenantId").unwrap_or("(no tenant)").to_owned();
        let whole_agent_key = match group_by {
            GroupBy::Agent => Some((agent_key(item), agent_label(agent))),
            GroupBy::Tenant => Some((
                tenant.clone(),
                tenant_names
                    .get(&tenant)
                    .map(String::as_str)
                    .or_else(|| text(group, "GroupName"))
                    .unwrap_or(&tenant)
                    .to_owned(),
            )),
            GroupBy::Server => Some((item.server_id.to_owned(), item.server_id.to_owned())),
            GroupBy::DeviceType => None,
        };
        if let Some((key, label)) = &whole_agent_key {
            let line = lines.entry(key.clone()).or_default();
            if line.label.is_empty() {
                line.label = label.clone();
            }
            line.agents.insert(agent_key(item));
        }
        for device in list(agent, "Devices") {
            let size = int(device, "Size").map(|s| u64::try_from(s).unwrap_or(0));
            let key = match &whole_agent_key {
                Some((key, _)) => key.clone(),
                None => device_type(device),
            };
            let line = lines.entry(key.clone()).or_default();
            if line.label.is_empty() {
                line.label = key;
            }
            line.agents.insert(agent_key(item));
            line.devices += 1;
            total_devices += 1;
            match size {
                Some(bytes) => {
                    line.bytes += bytes;
                    line.reported += 1;
                    total_bytes += bytes;
                }
                None => total_unreported += 1,
            }
            if include_devices {
                line.device_rows.push(json!({
                    "server_id": item.server_id,
                    "agent_id": raw(agent, "AgentId"),
                    "agent_name": agent_name(agent),
                    "tenant_id": raw(group, "TenantId"),
                    "group_name": raw(group, "GroupName"),
                    "device_id": raw(device, "AgentDeviceId"),
                    "device_name": raw(device, "Name"),
                    "device_type": device_type(device),
                    "size_bytes": size,
                }));
            }
        }
    }
    let mut lines: Vec<(String, Line)> = lines.into_iter().collect();
    lines.sort_by(|a, b| b.1.bytes.cmp(&a.1.bytes).then_with(|| a.0.cmp(&b.0)));
    let groups_total = lines.len();
    if let Some(top) = top {
        lines.truncate(top);
    }
    let summaries: Vec<Value> = lines
        .into_iter()
        .map(|(key, line)| {
            let mut summary = json!({
                "key": key,
                "label": line.label,
                "total_bytes": line.bytes,
                "total_gib": gib(line.bytes),
                "agents_count": line.agents.len(),
                "devices_count": line.devices,
                "reported_devices": line.reported,
                "unreported_devices": line.devices - line.reported,
            });
            if include_devices {
                summary["devices"] = Value::Array(line.device_rows);
            }
            summary
        })
        .collect();
    let mut result = json!({
        "group_by": group_by.as_str(),
        "summaries": summaries,
        "groups_total": groups_total,
        "agents_scanned": agents.len(),
        "totals": {
            "bytes": total_bytes,
            "gib": gib(total_bytes),
            "tib": tib(total_bytes),
            "devices": total_devices,
            "unreported_devices": total_unreported,
        },
    });
    if total_unreported > 0 {
        result["data_quality_note"] = json!(format!(
            "{total_unreported} of {total_devices} devices have not reported a size yet; \
             totals count only reported sizes."
        ));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estate() -> Vec<(String, Value)> {
        vec![
            (
                "a".to_owned(),
                json!({"AgentId": 1, "FriendlyName": "one",
                "Group": {"GroupName": "Acme", "TenantId": "t1"},
                "Devices": [
                    {"DisplayType": "Local", "Size": 100},
                    {"DisplayType": "AmazonS3Compatible", "Size": 300}
                ]}),
            ),
            (
                "a".to_owned(),
                json!({"AgentId": 2, "FriendlyName": "two",
                    "Group": {"GroupName": "Beta", "TenantId": "t2"},
                    "Devices": [{"DisplayType": "Local", "Size": null}]}),
            ),
            (
                "b".to_owned(),
                json!({"AgentId": 1, "MachineName": "b-one",
                    "Group": {"GroupName": "Acme 2", "TenantId": "t1"},
                    "Devices": [{"@odata.type": "#Devices.CloudDevice", "Size": 50}]}),
            ),
            ("b".to_owned(), json!({"AgentId": 9})),
        ]
    }

    fn run(group_by: GroupBy, top: Option<usize>) -> Value {
        let data = estate();
        let agents: Vec<AgentOnServer<'_>> = data
            .iter()
            .map(|(server_id, agent)| AgentOnServer { server_id, agent })
            .collect();
        summarize(&agents, group_by, top, true, &HashMap::new())
    }

    #[test]
    fn totals_cover_every_device_and_flag_unreported_sizes() {
        let result = run(GroupBy::Agent, None);
        assert_eq!(result["totals"]["bytes"], 450);
        assert_eq!(result["totals"]["devices"], 4);
        assert_eq!(result["totals"]["unreported_devices"], 1);
        assert!(
            result["data_quality_note"]
                .as_str()
                .unwrap()
                .contains("1 of 4")
        );
        let summaries = result["summaries"].as_array().unwrap();
        assert_eq!(
            summaries.len(),
            4,
            "agents without devices still get a line"
        );
        assert_eq!(summaries[0]["key"], "a:1", "largest first");
        assert_eq!(summaries[0]["total_bytes"], 400);
        assert_eq!(summaries[0]["devices"].as_array().unwrap().len(), 2);
        let device = &summaries[0]["devices"][1];
        assert_eq!(device["agent_name"], "one");
        assert_eq!(device["tenant_id"], "t1");
        assert_eq!(device["group_name"], "Acme");
        assert_eq!(device["device_type"], "AmazonS3Compatible");
        assert_eq!(device["size_bytes"], 300);
    }

    #[test]
    fn a_tenant_line_carries_the_customer_name_not_a_child_group_name() {
        let groups = [
            json!({"GroupId": 1, "GroupName": "Acme Corp", "TenantId": "t1", "ParentGroupId": null}),
            json!({"GroupId": 2, "GroupName": "Servers", "TenantId": "t1", "ParentGroupId": 1}),
            json!({"GroupId": 3, "GroupName": "Beta Ltd", "TenantId": "t2"}),
        ];
        let names = tenant_names(&groups);
        assert_eq!(names.len(), 2, "one name per tenant, from root groups only");
        assert_eq!(names["t1"], "Acme Corp");
        let agents = [
            json!({"AgentId": 1, "Group": {"GroupName": "Servers", "TenantId": "t1"},
            "Devices": [{"DisplayType": "Local", "Size": 5}]}),
        ];
        let on_server: Vec<_> = agents
            .iter()
            .map(|agent| AgentOnServer {
                server_id: "a",
                agent,
            })
            .collect();
        let result = summarize(&on_server, GroupBy::Tenant, None, false, &names);
        assert_eq!(result["summaries"][0]["label"], "Acme Corp");
        let unnamed = summarize(&on_server, GroupBy::Tenant, None, false, &HashMap::new());
        assert_eq!(
            unnamed["summaries"][0]["label"], "Servers",
            "falls back to the group"
        );
    }

    #[test]
    fn grouping_by_tenant_type_and_server() {
        let tenant = run(GroupBy::Tenant, None);
        let first = &tenant["summaries"][0];
        assert_eq!(first["key"], "t1");
        assert_eq!(first["total_bytes"], 450);
        assert_eq!(first["agents_count"], 2, "two agents on two servers");
        let types = run(GroupBy::DeviceType, None);
        let keys: Vec<&str> = types["summaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["AmazonS3Compatible", "Local", "CloudDevice"]);
        assert_eq!(types["summaries"][1]["unreported_devices"], 1);
        let servers = run(GroupBy::Server, Some(1));
        assert_eq!(
            servers["summaries"].as_array().unwrap().len(),
            1,
            "top applies"
        );
        assert_eq!(servers["summaries"][0]["key"], "a");
        assert_eq!(servers["groups_total"], 2);
        assert_eq!(servers["totals"]["bytes"], 450, "totals ignore top");
    }
}
