// The backup health result the view is shown with: the real `get_backup_health` as
// soon as the server lists it, else the hand-written fixture digest (the digest's
// shape) whose runs are re-pointed at real runs of the simulator, so "Show log"
// reads real logs either way.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The view's resource, as novabackup-mcp serves it. */
export const VIEW_URI = "ui://novabackup/backup-health.html";

/** The fixture digest shared with the view's own tests. */
export const FIXTURE = join(repo, "ui", "health-view", "fixtures", "digest.json");

const STATUS = { failed: 4, warning: 2, cancelled: 3 };

/** A real run of the simulator for each of the fixture's failing runs, same status. */
async function repoint(client, digest, server_id) {
  const pools = {};
  for (const [label, code] of Object.entries(STATUS)) {
    const answer = await client.callTool({
      name: "list_job_history",
      arguments: { server_id, $filter: `Status eq ${code}`, $top: 20 },
    });
    pools[label] = answer.structuredContent.history.map((row) => row.job_log_id);
  }
  for (const customer of digest.customers) {
    customer.server_id = server_id;
    for (const run of customer.failing_runs) {
      run.server_id = server_id;
      const key = pools[run.status_label]?.shift();
      if (key === undefined) throw new Error(`the simulator has no ${run.status_label} run left for the fixture`);
      run.job_log_id = key;
    }
  }
  return digest;
}

/**
 * `{source, tool, result}`: the tool result to show, where it came from
 * (`get_backup_health` or `fixture`) and the tool's definition when listed.
 */
export async function healthResult(client, server_id) {
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === "get_backup_health");
  if (tool) {
    const result = await client.callTool({ name: "get_backup_health", arguments: {} }, undefined, { timeout: 120_000 });
    return { source: "get_backup_health", tool, result };
  }
  const digest = await repoint(client, JSON.parse(readFileSync(FIXTURE, "utf8")), server_id);
  const text = `Backup health (fixture): ${digest.customers.length} customers.`;
  return { source: "fixture", tool: null, result: { content: [{ type: "text", text }], structuredContent: digest } };
}

/** The view's HTML and its `_meta.ui`, read through the client as a host reads it. */
export async function readView(client, uri) {
  const read = await client.readResource({ uri });
  const [content] = read.contents;
  return { html: content.text, mimeType: content.mimeType, ui: content._meta?.ui ?? {} };
}
