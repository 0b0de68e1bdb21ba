//! The backup health view as an MCP resource: the HTML that `ui/health-view` builds
//! (committed, so building the server never needs npm), embedded at build time and
//! served by `resources/read`. It loads nothing from the network, and says so in its
//! `_meta.ui.csp` (no connect or resource domains).
//!
//! A stale copy is caught by the test `the_embedded_view_is_built_from_the_current_sources`:
//! the build stamps a fingerprint of the view's sources into the HTML, and the test
//! recomputes it from `ui/health-view` (tests/run-all.sh also rebuilds the view and
//! compares the bytes).

use rmcp::ErrorData;
use rmcp::model::{
    ClientCapabilities, ListResourcesResult, MetaObject, ReadResourceResult, Resource,
    ResourceContents,
};
use serde_json::json;

use super::link::supports_apps;

/// The view's resource URI.
pub const VIEW_URI: &str = "ui://novabackup/backup-health.html";

/// The MIME type of an MCP Apps HTML view.
pub const VIEW_MIME_TYPE: &str = "text/html;profile=mcp-app";

/// The built view (`npm --prefix ui/health-view run build` writes it).
const VIEW_HTML: &str = include_str!("../../../assets/backup-health.html");

/// `_meta.ui` of the view: no network at all, and a border from the host.
fn ui_meta() -> MetaObject {
    let meta = json!({
        "ui": {
            "csp": { "connectDomains": [], "resourceDomains": [] },
            "prefersBorder": true,
        }
    });
    MetaObject(meta.as_object().cloned().unwrap_or_default())
}

fn resource() -> Resource {
    Resource::new(VIEW_URI, "backup-health")
        .with_title("Backup health")
        .with_description(
            "The backup health report as an interactive view: customers worst first, their \
             failed runs and computers not backed up, the causes, and each run's log.",
        )
        .with_mime_type(VIEW_MIME_TYPE)
        .with_size(VIEW_HTML.len() as u64)
        .with_meta(ui_meta())
}

/// The `resources/list` answer: the view for clients with MCP Apps, nothing for others
/// (the extension lets a server leave UI-only resources out of the list).
pub fn resource_list(capabilities: Option<&ClientCapabilities>) -> ListResourcesResult {
    let resources = if supports_apps(capabilities) {
        vec![resource()]
    } else {
        Vec::new()
    };
    ListResourcesResult::with_all_items(resources)
}

/// The `resources/read` answer for `uri`: the view's HTML with its `_meta.ui`, or a
/// resource-not-found error that names the one resource this server has.
pub fn read_resource(uri: &str) -> Result<ReadResourceResult, ErrorData> {
    if uri != VIEW_URI {
        return Err(ErrorData::resource_not_found(
            format!("There is no resource {uri}; this server serves only {VIEW_URI}."),
            None,
        ));
    }
    Ok(ReadResourceResult::new(vec![
        ResourceContents::text(VIEW_HTML, VIEW_URI)
            .with_mime_type(VIEW_MIME_TYPE)
            .with_meta(ui_meta()),
    ]))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use rmcp::model::{ErrorCode, ExtensionCapabilities};
    use sha2::{Digest, Sha256};

    use super::*;

    /// What `ui/health-view/scripts/sources.mjs` lists as the view's sources.
    const SOURCE_ROOTS: [&str; 7] = [
        "backup-health.html",
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "vite.config.ts",
        "scripts/sources.mjs",
        "src",
    ];

    fn files(dir: &Path, path: &str, out: &mut Vec<String>) {
        let full = dir.join(path);
        if full.is_dir() {
            for entry in std::fs::read_dir(&full).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                files(dir, &format!("{path}/{name}"), out);
            }
        } else {
            out.push(path.to_owned());
        }
    }

    /// The fingerprint `sources.mjs` stamps: sha256 over each file's path, length and
    /// text (CRLF as LF), in path order.
    fn fingerprint(dir: &Path) -> String {
        let mut paths = Vec::new();
        for root in SOURCE_ROOTS {
            files(dir, root, &mut paths);
        }
        paths.sort();
        let mut hash = Sha256::new();
        for path in paths {
            let text = std::fs::read_to_string(dir.join(&path))
                .unwrap()
                .replace("\r\n", "\n");
            hash.update(format!("{path}\n{}\n", text.len()));
            hash.update(text.as_bytes());
            hash.update(b"\n");
        }
        let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }

    #[test]
    fn the_embedded_view_is_built_from_the_current_sources() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/health-view");
        let stamp = format!(
            r#"<meta name="novabackup-view-sources" content="{}">"#,
            fingerprint(&dir)
        );
        assert!(
            VIEW_HTML.contains(&stamp),
            "mcp-sidecar/server/assets/backup-health.html is stale: its sources in ui/health-view \
             changed since it was built. Run `npm --prefix ui/health-view run build` and commit \
             the new file (expected {stamp})."
        );
    }

    #[test]
    fn the_view_is_one_small_file_that_loads_nothing() {
        assert!(
            VIEW_HTML.len() < 250_000,
            "the view is {} bytes, over 250 KB",
            VIEW_HTML.len()
        );
        assert!(VIEW_HTML.starts_with("<!doctype html>"));
        for reference in [
            "<script src",
            "<link rel=\"stylesheet\"",
            "<link rel=\"modulepreload\"",
            "@import",
        ] {
            assert!(
                !VIEW_HTML.contains(reference),
                "the view refers to a file: {reference}"
            );
        }
    }

    #[test]
    fn reading_the_view_gives_its_html_type_and_an_empty_network_list() {
        let read = serde_json::to_value(read_resource(VIEW_URI).unwrap()).unwrap();
        let content = &read["contents"][0];
        assert_eq!(content["uri"], VIEW_URI);
        assert_eq!(content["mimeType"], VIEW_MIME_TYPE);
        assert_eq!(content["text"], VIEW_HTML);
        assert_eq!(
            content["_meta"]["ui"]["csp"],
            json!({"connectDomains": [], "resourceDomains": []})
        );
    }

    #[test]
    fn another_uri_is_not_found_and_named() {
        let error = read_resource("ui://novabackup/other.html").unwrap_err();
        assert_eq!(error.code, ErrorCode::RESOURCE_NOT_FOUND);
        assert!(
            error.message.contains("ui://novabackup/other.html"),
            "{}",
            error.message
        );
    }

    #[test]
    fn only_clients_with_mcp_apps_see_the_view_listed() {
        let mut extensions = ExtensionCapabilities::new();
        extensions.insert(
            "io.modelcontextprotocol/ui".to_owned(),
            json!({"mimeTypes": [VIEW_MIME_TYPE]})
                .as_object()
                .cloned()
                .unwrap(),
        );
        let apps = ClientCapabilities::builder()
            .enable_extensions_with(extensions)
            .build();
        let listed = resource_list(Some(&apps)).resources;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].uri, VIEW_URI);
        assert_eq!(listed[0].mime_type.as_deref(), Some(VIEW_MIME_TYPE));
        assert!(
            resource_list(Some(&ClientCapabilities::default()))
                .resources
                .is_empty()
        );
        assert!(resource_list(None).resources.is_empty());
    }
}
