// A short tour of novabackup-mcp as Claude would use it: connects with the official MCP
// SDK over stdio, calls a few tools and prints what came back.
// Usage: node demo.mjs   (env: NOVABACKUP_MCP_BIN, DEMO_LOG — the file that gets the
// server's log, so it does not run through the tour — and whatever the server reads)

import { createWriteStream } from "node:fs";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";

import { MCP_BIN } from "./lib/harness.mjs";

const passOn = ["MCP_SERVERS_FILE", "MCP_CREDENTIALS_FILE", "DBUS_SESSION_BUS_ADDRESS", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"];
const env = { ...getDefaultEnvironment(), MCP_LOG_LEVEL: "info" };
for (const name of passOn) if (process.env[name]) env[name] = process.env[name];

const client = new Client({ name: "novabackup-demo", version: "1.0.0" });
const transport = new StdioClientTransport({ command: MCP_BIN, args: [], env, stderr: process.env.DEMO_LOG ? "pipe" : "ignore" });
if (process.env.DEMO_LOG) transport.stderr?.pipe(createWriteStream(process.env.DEMO_LOG));
await client.connect(transport);

async function call(name, args = {}) {
  const started = performance.now();
  const result = await client.callTool({ name, arguments: args });
  const ms = (performance.now() - started).toFixed(0);
  const text = result.content.find((c) => c.type === "text")?.text ?? "";
  console.log(`\n> ${name} ${JSON.stringify(args)}  (${ms} ms)`);
  return result.structuredContent ?? JSON.parse(text);
}

const { tools } = await client.listTools();
console.log(`Connected to ${client.getServerVersion().name} ${client.getServerVersion().version}: ${tools.length} tools`);

const info = await call("system_info");
const connected = info.connected_servers.map((s) => s.server_id);
console.log(`  connected: ${connected.join(", ") || "none"}; mode ${info.mode}; protocol ${info.client.protocol_version}`);

const health = await call("server_health");
for (const r of health.results) console.log(`  ${r.server_id}: ${r.status}, login ${r.auth}, ${r.latency_ms} ms${r.error ? ` — ${r.error}` : ""}`);

// The morning question in one call: the report a model reads (its text), bounded.
const started = performance.now();
const digest = await client.callTool({ name: "get_backup_health", arguments: {} });
console.log(`\n> get_backup_health {}  (${(performance.now() - started).toFixed(0)} ms)`);
const report = digest.content.find((c) => c.type === "text")?.text ?? "";
for (const line of report.trim().split("\n")) console.log(`  ${line}`);

const summary = await call("get_job_history_summary", { window: "7d" });
for (const s of summary.summaries) {
  if (s.error) console.log(`  ${s.server_id}: ${s.error}`);
  else console.log(`  ${s.server_id}: ${s.total} runs since ${s.since}: ${JSON.stringify(s.counts_by_status_label)}`);
}

const failed = await call("list_job_history", { $filter: "Status eq 4", $top: 5 });
for (const run of failed.history) {
  console.log(`  ${run.server_id} ${run.agent_friendly_name ?? run.agent_id}: ${run.job_name} at ${run.start_date_time} (${run.characterization})`);
}

const storage = await call("summarize_storage_usage", { group_by: "tenant", top: 5 });
for (const s of storage.summaries) console.log(`  ${s.label}: ${s.total_gib} GiB on ${s.devices_count} devices`);
console.log(`  total: ${storage.totals.tib} TiB`);

await client.close();
if (process.env.DEMO_LOG) console.log(`\n(the server's log of this tour: ${process.env.DEMO_LOG})`);
