// The password path a user takes: `login --password-stdin` into the real Secret
// Service, the MCP server answering with it, `logout` removing it; and the password
// nowhere else. Needs a session bus with an unlocked keyring: tests/keychain/run.sh.

import { test, after } from "node:test";
import assert from "node:assert/strict";

import { Scope, startSim, connect, makeHome, childEnv, callTool, run, filesContaining, MCP_BIN } from "../lib/harness.mjs";

const scope = new Scope();
after(() => scope.cleanup());

const haveKeyring = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

test("login stores in the keychain, the MCP server uses it, logout removes it, nothing leaks", { skip: !haveKeyring && "no session bus: run under tests/keychain/run.sh" }, async () => {
  const sim = await startSim(scope, ["--tenants", "2", "--agents", "3", "--runs", "100"]);
  const server = sim.servers[0];
  const home = makeHome(scope);
  const env = childEnv(home);
  const secret = sim.admin.password;

  const login = await run(MCP_BIN, ["login", "--server-id", "kc-test", "--label", "Keychain test", "--url", server.url, "--username", sim.admin.name, "--password-stdin"], { env, input: `${secret}\n` });
  assert.equal(login.code, 0, `login failed: ${login.stderr}`);

  const lookup = await run("secret-tool", ["lookup", "service", "novabackup-mcp", "username", "kc-test"], { env: process.env });
  assert.equal(lookup.stdout.trim(), secret, "the password is in the Secret Service");

  const { client, stderr } = await connect(scope, env);
  const result = await callTool(client, "list_agents", { server_id: "kc-test", $top: 5 });
  assert.ok(result.agents.length > 0, "the MCP server logged in with the keychain's password");
  const health = await callTool(client, "server_health", { server_id: "kc-test" });
  assert.equal(health.results[0].auth, "ok");
  await client.close();

  const logout = await run(MCP_BIN, ["logout", "kc-test"], { env });
  assert.equal(logout.code, 0, `logout failed: ${logout.stderr}`);
  const after = await run("secret-tool", ["lookup", "service", "novabackup-mcp", "username", "kc-test"], { env: process.env });
  assert.equal(after.stdout.trim(), "", "logout removed the keychain entry");

  for (const text of [login.stdout, login.stderr, logout.stdout, logout.stderr, stderr(), JSON.stringify(result), JSON.stringify(health)]) {
    assert.ok(!text.includes(secret), "the password appears in an output or log");
  }
  assert.deepEqual(filesContaining(home, secret), [], "no file under HOME holds the password");
});
