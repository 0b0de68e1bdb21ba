//! `Agents(id)/BackupSources?path=`: the volumes of an agent, then the folders and
//! files below a path, generated deterministically from the agent and the path.

use serde_json::{Value, json};

const FOLDERS: &[&str] = &[
    "Users",
    "Data",
    "Shares",
    "Projects",
    "Finance",
    "Archive",
    "Program Files",
    "Scans",
];
const FILES: &[&str] = &[
    "report.xlsx",
    "notes.docx",
    "ledger.mdb",
    "photo.jpg",
    "export.csv",
];

/// A stable 64-bit FNV-1a hash (std's hasher may change between releases).
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The entries below `path` (volumes without one); `None` when the path does not
/// exist on the agent.
pub(crate) fn list(agent_id: i64, path: Option<&str>) -> Option<Vec<Value>> {
    let mut volumes = vec!["C:\\"];
    if agent_id % 2 == 0 {
        volumes.push("D:\\");
    }
    let Some(path) = path.filter(|p| !p.is_empty()) else {
        return Some(
            volumes
                .iter()
                .map(|v| json!({"Name": &v[..2], "Path": v, "Type": "Volume", "HasChildren": true}))
                .collect(),
        );
    };
    let volume = volumes
        .iter()
        .find(|v| path.len() >= 2 && path[..2].eq_ignore_ascii_case(&v[..2]))?;
    let below: Vec<&str> = path[2..].split('\\').filter(|s| !s.is_empty()).collect();
    let depth = below.len();
    let hash = stable_hash(&format!("{agent_id}:{}", path.to_ascii_lowercase()));
    if depth > 0 {
        // Every folder on the way must be one this listing would have produced.
        let parent = format!("{}{}", volume, below[..depth - 1].join("\\"));
        let siblings = list(agent_id, Some(&parent))?;
        let exists = siblings.iter().any(|e| {
            e["Type"] == "Folder"
                && e["Name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(below[depth - 1]))
        });
        if !exists {
            return None;
        }
    }
    let base = format!("{}{}", volume, below.join("\\"));
    let sep = if base.ends_with('\\') { "" } else { "\\" };
    let mut out = vec![];
    if depth < 3 {
        let count = 2 + (hash % 4) as usize;
        let start = (hash >> 8) as usize % FOLDERS.len();
        for i in 0..count {
            let name = FOLDERS[(start + i) % FOLDERS.len()];
            out.push(json!({"Name": name, "Path": format!("{base}{sep}{name}"), "Type": "Folder", "HasChildren": depth < 2}));
        }
    }
    if depth > 0 {
        for (i, name) in FILES
            .iter()
            .enumerate()
            .take(1 + (hash >> 16) as usize % FILES.len())
        {
            let size = (hash >> (i * 4)) % 50_000_000;
            out.push(json!({"Name": name, "Path": format!("{base}{sep}{name}"), "Type": "File", "HasChildren": false, "Size": size}));
        }
    }
    Some(out)
}
