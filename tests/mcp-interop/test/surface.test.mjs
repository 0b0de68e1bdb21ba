// tools/list and prompts/list as an independent client sees them.

import { test, after } from "node:test";
import assert from "node:assert/strict";

import { Scope, connect, makeHome, childEnv } from "../lib/harness.mjs";
import { READ_TOOLS, SESSION_TOOLS, PROMPTS, TOOL_ARGUMENTS } from "../lib/surface.mjs";

const scope = new Scope();
after(() => scope.cleanup());

test("the server names itself and lists every tool with annotations and described arguments", async () => {
  const home = makeHome(scope);
  const { client } = await connect(scope, childEnv(home));

  const info = client.getServerVersion();
  assert.equal(info.name, "novabackup-mcp", "the server reports its own name, not the SDK's");
  assert.match(info.version, /^\d+\.\d+\.\d+/, "the server reports a version");

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  assert.deepEqual(names, [...READ_TOOLS, ...SESSION_TOOLS].sort(), "exactly the 24 known tools and get_backup_health");

  for (const tool of tools) {
    assert.ok(tool.description && tool.description.length > 20, `${tool.name} has a description`);
    const props = tool.inputSchema?.properties ?? {};
    for (const [arg, schema] of Object.entries(props)) {
      assert.ok(schema.description && schema.description.length > 10, `${tool.name}.${arg} has a description a model can act on`);
    }
    for (const arg of TOOL_ARGUMENTS[tool.name] ?? []) {
      assert.ok(arg in props, `${tool.name} accepts ${arg}`);
    }
    if (READ_TOOLS.includes(tool.name)) {
      assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name} is marked read-only`);
      assert.equal(tool.annotations?.openWorldHint, true, `${tool.name} is marked open-world`);
    } else {
      assert.notEqual(tool.annotations?.readOnlyHint, true, `${tool.name} does not claim to be read-only`);
    }
  }
});

test("prompts/list has the four MSP prompts with their arguments", async () => {
  const home = makeHome(scope);
  const { client } = await connect(scope, childEnv(home));
  const { prompts } = await client.listPrompts();
  assert.deepEqual(prompts.map((p) => p.name).sort(), Object.keys(PROMPTS).sort());
  for (const prompt of prompts) {
    const args = (prompt.arguments ?? []).map((a) => a.name).sort();
    assert.deepEqual(args, [...PROMPTS[prompt.name]].sort(), `${prompt.name}'s arguments`);
  }
});

test("with no server configured, system_info says what to do next without npx", async () => {
  const home = makeHome(scope);
  const { client } = await connect(scope, childEnv(home));
  const result = await client.callTool({ name: "system_info", arguments: {} });
  const text = result.content.find((c) => c.type === "text").text;
  const info = result.structuredContent ?? JSON.parse(text);
  assert.equal(info.mode, "read-only");
  assert.deepEqual(info.connected_servers, [], "nothing connected");
  assert.match(JSON.stringify(info.next_step), /novabackup-mcp login|companion/i);
  assert.doesNotMatch(text, /npx/, "next_step never points to npx");
  assert.doesNotMatch(text, /\n\s+"/, "results are compact JSON, not pretty-printed");
});
