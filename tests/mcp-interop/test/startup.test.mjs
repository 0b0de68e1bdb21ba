// Start-up never waits for a Management Server, and a dead one never holds the others.

import { test, after } from "node:test";
import assert from "node:assert/strict";

import { Scope, startSim, startSilentServer, connect, makeHome, childEnv, callTool, saveServersWithPlaintextPasswords } from "../lib/harness.mjs";

const scope = new Scope();
after(() => scope.cleanup());

test("10 saved servers, one never answering: handshake at once, a fan-out answers with 9", async () => {
  const sim = await startSim(scope, ["--servers", "9", "--tenants", "2", "--agents", "2", "--runs", "50"]);
  const silent = await startSilentServer(scope);
  const saved = sim.servers.map((s) => ({ server_id: s.id, label: s.id, base_url: s.url, username: sim.admin.name, password: sim.admin.password }));
  saved.push({ server_id: "silent", label: "Never answers", base_url: silent, username: "admin", password: "irrelevant-secret" });
  const home = makeHome(scope);
  const env = childEnv(home, { ...saveServersWithPlaintextPasswords(home, saved), MCP_REQUEST_TIMEOUT_SECONDS: "2" });

  const started = performance.now();
  const { client } = await connect(scope, env);
  const { tools } = await client.listTools();
  const handshake = performance.now() - started;
  assert.equal(tools.length, 25, "the 24 known tools and get_backup_health");
  assert.ok(handshake < 1000, `handshake and tools/list took ${handshake.toFixed(0)} ms`);

  const first = performance.now();
  const result = await callTool(client, "list_agents", { $top: 1000 });
  const firstMs = performance.now() - first;
  assert.equal(result._meta.servers_queried, 10);
  assert.equal(result._meta.servers_succeeded, 9);
  assert.equal(result._meta.servers_failed, 1);
  assert.equal(result._meta.partial, true);
  assert.deepEqual(result._meta.errors.map((e) => e.server_id), ["silent"]);
  assert.match(result._meta.errors[0].kind, /timeout|unreachable/);
  assert.equal(new Set(result.agents.map((a) => a.server_id)).size, 9);
  assert.ok(firstMs < 10_000, `the first fan-out took ${firstMs.toFixed(0)} ms`);

  // Known to be down now: the next call skips it at once.
  const second = performance.now();
  const again = await callTool(client, "list_agents", { $top: 1000 });
  const secondMs = performance.now() - second;
  assert.equal(again._meta.servers_failed, 1);
  assert.ok(secondMs < 1500, `a known-dead server is skipped at once (${secondMs.toFixed(0)} ms)`);
  console.log(`handshake+tools/list ${handshake.toFixed(0)} ms; first fan-out ${firstMs.toFixed(0)} ms; second ${secondMs.toFixed(0)} ms`);
});
