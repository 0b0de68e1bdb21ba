//! The group tree of one Management Server, built from the flat list through
//! `ParentGroupId`.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::fields::int;
use super::rows::group_node;

/// Nests `groups` (raw Group rows of one server) into roots with `children`; every
/// level keeps the group's fields, `parent_group_id` included. A group
/// whose parent is absent from the list (not visible to this user) becomes a root;
/// a cycle is broken rather than followed.
pub fn hierarchy(groups: &[Value]) -> Vec<Value> {
    let ids: HashSet<i64> = groups.iter().filter_map(|g| int(g, "GroupId")).collect();
    let mut children: HashMap<i64, Vec<&Value>> = HashMap::new();
    let mut roots = Vec::new();
    for group in groups {
        match int(group, "ParentGroupId") {
            Some(parent) if ids.contains(&parent) && Some(parent) != int(group, "GroupId") => {
                children.entry(parent).or_default().push(group);
            }
            _ => roots.push(group),
        }
    }
    let mut seen = HashSet::new();
    roots
        .into_iter()
        .map(|root| node(root, &children, &mut seen))
        .collect()
}

fn node(group: &Value, children: &HashMap<i64, Vec<&Value>>, seen: &mut HashSet<i64>) -> Value {
    let id = int(group, "GroupId");
    let kids: Vec<Value> = match id {
        Some(id) if seen.insert(id) => children
            .get(&id)
            .map(|list| {
                list.iter()
                    .map(|child| node(child, children, seen))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    group_node(group, kids)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn groups_nest_under_their_parents() {
        let groups = [
            json!({"GroupId": 1, "GroupName": "MSP", "ParentGroupId": null}),
            json!({"GroupId": 2, "GroupName": "Acme", "ParentGroupId": 1}),
            json!({"GroupId": 3, "GroupName": "Acme HQ", "ParentGroupId": 2}),
            json!({"GroupId": 4, "GroupName": "Beta", "ParentGroupId": 1}),
            json!({"GroupId": 5, "GroupName": "Hidden parent", "ParentGroupId": 99}),
        ];
        let roots = hierarchy(&groups);
        assert_eq!(
            roots.len(),
            2,
            "the root and the group whose parent is not visible"
        );
        assert_eq!(roots[0]["children"].as_array().unwrap().len(), 2);
        assert_eq!(
            roots[0]["children"][0]["children"][0]["group_name"],
            "Acme HQ"
        );
        assert_eq!(roots[1]["group_name"], "Hidden parent");
        assert_eq!(roots[0]["parent_group_id"], Value::Null);
        assert_eq!(roots[0]["children"][0]["parent_group_id"], 1);
        assert_eq!(roots[0]["children"][0]["children"][0]["parent_group_id"], 2);
        assert_eq!(
            roots[1]["parent_group_id"], 99,
            "a root whose parent is not visible still names that parent"
        );
    }

    #[test]
    fn a_cycle_does_not_loop() {
        let groups = [
            json!({"GroupId": 1, "ParentGroupId": 2}),
            json!({"GroupId": 2, "ParentGroupId": 1}),
        ];
        // Neither is a root: nothing to return, and above all no endless recursion.
        assert!(hierarchy(&groups).is_empty());
    }
}
