// Every tool and prompt called through the official SDK, each answer compared with
// what the simulator itself says when asked directly.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { ElicitRequestSchema, LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";

import { Scope, startSim, connect, makeHome, childEnv, callTool, simQuery, saveServersWithPlaintextPasswords } from "../lib/harness.mjs";
import { PROMPTS } from "../lib/surface.mjs";

const scope = new Scope();
let sim;
let client;
let stderr;
const answers = []; // every tool result text, checked for secrets at the end

async function call(name, args = {}) {
  const result = await callTool(client, name, args);
  answers.push(JSON.stringify(result));
  return result;
}

/** All rows of a collection straight from the simulator, as `user`. */
async function all(server, user, path, query = "") {
  const sep = query ? "&" : "";
  const first = await simQuery(server, user, `${path}?$count=true${sep}${query}`);
  const rows = [...first.value];
  let next = first["@odata.nextLink"];
  let skip = rows.length;
  while (rows.length < first["@odata.count"]) {
    const page = await simQuery(server, user, `${path}?$skip=${skip}${sep}${query}`);
    if (page.value.length === 0) break;
    rows.push(...page.value);
    skip += page.value.length;
    next = page["@odata.nextLink"];
  }
  void next;
  return rows;
}

async function count(server, user, path, filter) {
  const q = filter ? `&$filter=${encodeURIComponent(filter)}` : "";
  const answer = await simQuery(server, user, `${path}?$count=true&$top=0${q}`);
  return answer["@odata.count"];
}

before(async () => {
  sim = await startSim(scope, ["--servers", "2", "--seed", "7", "--tenants", "4", "--agents", "5", "--runs", "1500"]);
  const home = makeHome(scope);
  const env = saveServersWithPlaintextPasswords(
    home,
    sim.servers.map((s, i) => ({ server_id: s.id, label: `Simulated ${i + 1}`, base_url: s.url, username: sim.admin.name, password: sim.admin.password })),
  );
  ({ client, stderr } = await connect(scope, childEnv(home, env), {
    capabilities: { elicitation: {} },
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: "accept",
    content: { username: sim.admin.name, password: sim.admin.password },
  }));
});

after(async () => {
  await scope.cleanup();
});

test("orientation: system_info, list_servers and server_health see both servers", async () => {
  const info = await call("system_info");
  assert.deepEqual(info.connected_servers.map((s) => s.server_id).sort(), sim.servers.map((s) => s.id).sort());
  for (const server of info.connected_servers) {
    assert.equal(server.has_jwt, true, `${server.server_id} holds a token`);
    assert.equal(typeof server.jwt_expires_at, "string");
  }
  assert.equal(info.client.supports_elicitation, true, "the client declared elicitation");
  assert.equal(
    info.client.protocol_version,
    LATEST_PROTOCOL_VERSION,
    "the SDK's newest revision is the one negotiated (it speaks the initialize handshake)",
  );
  assert.equal(info.presets.length, 2);

  const servers = await call("list_servers");
  assert.deepEqual(servers.connected.map((s) => s.server_id).sort(), sim.servers.map((s) => s.id).sort());
  for (const s of servers.connected) assert.equal(s.has_jwt, true, `${s.server_id} holds a token`);

  const health = await call("server_health");
  assert.equal(health.results.length, 2);
  for (const r of health.results) {
    assert.equal(r.status, "up", `${r.server_id} is up`);
    assert.equal(r.auth, "ok");
    assert.equal(typeof r.latency_ms, "number");
  }
});

test("list_agents fans out, counts every agent and adds tenant context", async () => {
  const result = await call("list_agents", { $top: 1000 });
  assert.equal(result._meta.servers_queried, 2);
  assert.equal(result._meta.servers_succeeded, 2);
  assert.equal(result._meta.partial, false);
  for (const server of sim.servers) {
    const expected = await count(server, sim.admin, "Agents");
    const mine = result.agents.filter((a) => a.server_id === server.id);
    assert.equal(mine.length, expected, `every agent of ${server.id}`);
    for (const agent of mine) {
      assert.match(agent.tenant_id, /^[0-9a-f-]{36}$/i, "tenant_id from the expanded group");
      assert.equal(typeof agent.last_backup_status_label, "string");
    }
  }
});

test("a list that stops early says so and says where to continue", async () => {
  const server = sim.servers[0];
  const result = await call("list_agents", { server_id: server.id, $top: 3 });
  assert.equal(result.agents.length, 3);
  const text = JSON.stringify(result);
  assert.match(text, /"truncated":true/, "says rows were left out");
  assert.match(text, /"next_skip":3|"\$skip":3/, "gives the $skip that continues");
  const next = await call("list_agents", { server_id: server.id, $top: 3, $skip: 3 });
  const firstIds = new Set(result.agents.map((a) => a.agent_id));
  assert.ok(next.agents.every((a) => !firstIds.has(a.agent_id)), "the next page has other agents");
});

test("a technician sees their customers' agents and no others", async () => {
  const tech = sim.users.find((u) => !u.admin);
  const server = sim.servers[0];
  const home = makeHome(scope);
  const env = saveServersWithPlaintextPasswords(home, [
    { server_id: "tech", label: "Technician view", base_url: server.url, username: tech.name, password: tech.password },
  ]);
  const { client: techClient } = await connect(scope, childEnv(home, env));
  const result = await callTool(techClient, "list_agents", { $top: 1000 });
  const seen = result.agents.map((a) => a.agent_id).sort((a, b) => a - b);
  const expected = (await all(server, tech, "Agents")).map((a) => a.AgentId).sort((a, b) => a - b);
  const everyone = await count(server, sim.admin, "Agents");
  assert.deepEqual(seen, expected, "exactly the technician's agents");
  assert.ok(seen.length < everyone, "fewer than the admin sees");
});

test("get_job_history_summary is exact per status and says it is complete", async () => {
  const result = await call("get_job_history_summary", { window: "30d" });
  assert.equal(result.summaries.length, 2);
  for (const summary of result.summaries) {
    const server = sim.servers.find((s) => s.id === summary.server_id);
    assert.equal(summary.window, "30d");
    assert.equal(summary.complete, true);
    let total = 0;
    for (let status = 0; status <= 6; status++) {
      const expected = await count(server, sim.admin, "JobHistories", `StartDateTime ge ${summary.since} and Status eq ${status}`);
      assert.equal(Number(summary.counts_by_status[status] ?? 0), expected, `${server.id} status ${status}`);
      total += expected;
    }
    assert.equal(summary.total, total);
    assert.ok(summary.counts_by_status_label.failed >= 0);
  }
});

test("storage and cloud-storage summaries cover every device", async () => {
  let bytes = 0;
  let devices = 0;
  let unreported = 0;
  for (const server of sim.servers) {
    const agents = await all(server, sim.admin, "Agents", "$expand=Devices");
    for (const agent of agents) {
      for (const device of agent.Devices ?? []) {
        devices += 1;
        if (device.Size == null) unreported += 1;
        else bytes += device.Size;
      }
    }
  }
  const byTenant = await call("summarize_storage_usage", { group_by: "tenant" });
  assert.equal(byTenant.totals.bytes, bytes, "every device's size is counted");
  assert.equal(byTenant.totals.devices, devices);
  assert.equal(byTenant.totals.unreported_devices, unreported);
  const customerNames = new Set();
  for (const server of sim.servers) {
    for (const group of await all(server, sim.admin, "Groups")) if (group.ParentGroupId == null) customerNames.add(group.GroupName);
  }
  for (const line of byTenant.summaries) assert.ok(customerNames.has(line.label), `"${line.label}" is a customer's name`);
  const sizes = byTenant.summaries.map((s) => s.total_bytes);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), "largest first");
  if (unreported > 0) assert.match(JSON.stringify(byTenant), /note|data_quality/i, "a data-quality note");

  const csa = await call("summarize_csa_usage", {});
  let accounts = 0;
  for (const server of sim.servers) accounts += await count(server, sim.admin, "CloudStorageAccounts");
  const rows = csa.accounts ?? csa.cloud_storage_accounts ?? csa.summaries;
  assert.equal(rows.length, accounts, "one row per cloud storage account");
  assert.ok(Array.isArray(csa.orphaned_devices));
  for (const orphan of csa.orphaned_devices) assert.ok(["no_csa_id", "csa_not_in_list"].includes(orphan.reason));
});

test("agents, devices, jobs, sources, runs and logs by id", async () => {
  const server = sim.servers[1];
  const [agent] = (await simQuery(server, sim.admin, "Agents?$top=1&$orderby=AgentId desc")).value;

  const found = await call("get_agent", { agent_id: agent.AgentId });
  assert.equal(found.agent.AgentId, agent.AgentId);
  const owner = sim.servers.find((s) => s.id === found.server_id);
  const truth = await simQuery(owner, sim.admin, `Agents(${agent.AgentId})`);
  assert.equal(found.agent.FriendlyName, truth.FriendlyName, "the agent as its server has it");

  const devices = await call("list_agent_devices", { server_id: server.id, agent_id: agent.AgentId });
  const expectedDevices = await simQuery(server, sim.admin, `Agents(${agent.AgentId})/Devices`);
  assert.equal(devices.devices.length, expectedDevices.value.length);

  const jobs = await call("list_jobs_for_agent", { server_id: server.id, agent_id: agent.AgentId });
  assert.ok(jobs.jobs.length > 0, "the agent has jobs");
  const managed = jobs.jobs.find((j) => j.JobId != null);
  if (managed) {
    const job = await call("get_job", { server_id: server.id, agent_id: agent.AgentId, identifier: managed.JobId });
    assert.equal(job.job.JobId, managed.JobId);
  }
  const unmanaged = jobs.jobs.find((j) => j.JobId == null && j.ScheduleId != null);
  if (unmanaged) {
    const job = await call("get_job", { server_id: server.id, agent_id: agent.AgentId, identifier: unmanaged.ScheduleId, kind: "unmanaged" });
    assert.equal(job.job.ScheduleId, unmanaged.ScheduleId);
  }

  const sources = await call("list_backup_sources", { server_id: server.id, agent_id: agent.AgentId });
  assert.ok(sources.sources.length > 0, "root volumes");

  const failed = (await simQuery(server, sim.admin, "JobHistories?$filter=Status eq 4&$top=1&$orderby=StartDateTime desc")).value[0];
  const log = await call("get_job_run_log", { server_id: server.id, job_id: failed.JobLogId, mode: "errors" });
  const truthLog = await simQuery(server, sim.admin, `JobHistories(${failed.JobLogId})/Log`);
  assert.equal(log.message_count, truthLog.Messages.length);
  assert.equal(log.has_errors, truthLog.Messages.some((m) => m.Type === "Error"));
  const tail = await call("get_job_run_log", { server_id: server.id, job_id: failed.JobLogId, mode: "tail", tail_count: 2 });
  assert.equal(JSON.stringify(tail).includes(truthLog.Messages.at(-1).Message), true, "tail ends with the last message");

  const pending = (await simQuery(server, sim.admin, "JobHistories?$filter=Status eq 0&$top=1")).value[0];
  if (pending) {
    const none = await call("get_job_run_log", { server_id: server.id, job_id: pending.JobLogId });
    assert.equal(none.available, false, "a run with no log is an answer, not a failure");
  }
});

test("list_job_history filters, labels and characterises runs; dates in any form work", async () => {
  const server = sim.servers[0];
  const result = await call("list_job_history", {
    server_id: server.id,
    $filter: "Status ne 1 and StartDateTime ge '2020-01-01'",
    $top: 50,
  });
  assert.ok(result.history.length > 0);
  for (const run of result.history) {
    assert.notEqual(run.status, 1);
    assert.equal(typeof run.status_label, "string");
    if (run.status === 4) assert.match(run.characterization, /^failed_(after_partial|immediate)$/);
    if (run.status === 2) assert.match(run.characterization, /^warning_(partial|no_data)$/);
  }
  const starts = result.history.map((r) => r.start_date_time);
  assert.deepEqual(starts, [...starts].sort().reverse(), "newest first by default");
});

test("a rejected $filter comes back with the server's own message for each server", async () => {
  // Nothing could be answered, so the result is an error result, still with _meta.
  const raw = await client.callTool({ name: "list_agents", arguments: { $filter: "NoSuchField eq 1" } });
  assert.equal(raw.isError, true);
  const result = raw.structuredContent ?? JSON.parse(raw.content[0].text);
  answers.push(JSON.stringify(result));
  assert.equal(result._meta.servers_failed, 2);
  assert.equal(result._meta.errors.length, 2);
  for (const error of result._meta.errors) {
    assert.equal(error.kind, "query_rejected");
    assert.match(error.message, /Could not find a property named 'NoSuchField'/, "the server's own message");
  }
});

test("groups, hierarchy, cloud storage accounts, storage servers and users", async () => {
  const server = sim.servers[0];
  const groups = await call("list_groups", { server_id: server.id });
  const allGroups = await all(server, sim.admin, "Groups");
  assert.equal(groups.groups.length, allGroups.length);
  const tree = await call("get_group_hierarchy", { server_id: server.id });
  const roots = allGroups.filter((g) => g.ParentGroupId == null).length;
  assert.equal(tree.groups.length, roots);
  const countNodes = (nodes) => nodes.reduce((n, g) => n + 1 + countNodes(g.children ?? []), 0);
  assert.equal(countNodes(tree.groups), allGroups.length, "every group sits in the tree once");

  const accounts = await call("list_cloud_storage_accounts", { server_id: server.id });
  assert.ok(accounts.cloud_storage_accounts.length > 0);
  const first = accounts.cloud_storage_accounts[0];
  const one = await call("get_cloud_storage_account", { server_id: server.id, cloud_storage_account_id: first.cloud_storage_account_id });
  assert.equal(one.cloud_storage_account.CloudStorageAccountId, first.cloud_storage_account_id);

  const storage = await call("list_storage_servers", { server_id: server.id });
  const storageId = storage.storage_servers[0].storage_server.StorageServerId;
  const ss = await call("get_storage_server", { server_id: server.id, storage_server_id: storageId });
  assert.equal(ss.storage_server.StorageServerId, storageId);

  const users = await call("list_users", { server_id: server.id });
  assert.equal(users.users.length, await count(server, sim.admin, "Users"));
  const user = await call("get_user", { server_id: server.id, user_id: users.users[0].UserId });
  assert.equal(user.user.UserId, users.users[0].UserId);
});

test("connect_server asks the client for credentials, disconnect_server forgets them", async () => {
  const server = sim.servers[1];
  const connected = await call("connect_server", { server_id: "ad-hoc", label: "Ad hoc", base_url: server.url });
  assert.equal(connected.connected, true);
  assert.match(JSON.stringify(connected), /elicit/i, "says the credentials came by elicitation");
  const agents = await call("list_agents", { server_id: "ad-hoc", $top: 1 });
  assert.equal(agents.agents.length, 1);
  const gone = await call("disconnect_server", { server_id: "ad-hoc" });
  assert.equal(gone.disconnected, true);
});

test("every prompt renders with its arguments", async () => {
  for (const name of Object.keys(PROMPTS)) {
    const args = name === "diagnose_failing_jobs" ? { window: "7d" } : name === "find_stale_agents" ? { days: "14" } : {};
    const prompt = await client.getPrompt({ name, arguments: args });
    const text = prompt.messages.map((m) => m.content.text ?? "").join("\n");
    assert.ok(text.length > 100, `${name} has a real text`);
    if (name === "diagnose_failing_jobs") assert.match(text, /7d/);
    if (name === "find_stale_agents") assert.match(text, /14/);
  }
});

test("no password reaches a tool result or the server's log", async () => {
  for (const answer of answers) assert.ok(!answer.includes(sim.admin.password), "a tool result holds the password");
  assert.ok(!stderr().includes(sim.admin.password), "the log holds the password");
  assert.match(stderr(), /list_agents/, "the audit line names the tool");
  assert.doesNotMatch(stderr(), /NoSuchField/, "the audit line does not carry the arguments");
});
