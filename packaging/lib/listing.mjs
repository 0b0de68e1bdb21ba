// What a novabackup-mcp binary offers, asked the way Claude asks it: an MCP client from
// the official TypeScript SDK starts the binary, lists its tools and prompts, and gets
// each prompt's text.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

/**
 * Starts `command` (with `args` and `env`) and connects an MCP client to it; resolves
 * to `{client, stderr}`. `close()` the client to stop the server.
 */
export async function connect(command, { args = [], env = {} } = {}) {
  const transport = new StdioClientTransport({ command, args, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => (stderr += chunk));
  const client = new Client({ name: "novabackup-packaging", version: "1.0.0" });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${command} did not answer the MCP handshake: ${error.message}\n${stderr}`);
  }
  return { client, stderr: () => stderr };
}

/** Every page of a list request (`tools/list`, `prompts/list`). */
async function listAll(list, key) {
  const all = [];
  let cursor;
  do {
    const page = await list(cursor ? { cursor } : {});
    all.push(...page[key]);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * The binary's own description: `{name, version}` from the handshake, its tools
 * `[{name, description}]` and prompts `[{name, description, arguments, text}]`, each
 * list in name order. A prompt's text is what the server answers without arguments
 * (its defaults); a prompt with required arguments gets `${arguments.NAME}` for them.
 *
 * The server starts with an empty HOME and no saved servers, so the listing never
 * depends on the machine it runs on.
 */
export async function describeServer(binary) {
  const home = mkdtempSync(join(tmpdir(), "novabackup-describe-"));
  const { client } = await connect(binary, {
    env: { PATH: process.env.PATH ?? "", HOME: home, MCP_SERVERS_FILE: join(home, "no-servers.json") },
  });
  try {
    const server = client.getServerVersion();
    const tools = (await listAll((p) => client.listTools(p), "tools"))
      .map((tool) => ({ name: tool.name, description: tool.description ?? "" }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const prompts = [];
    for (const prompt of await listAll((p) => client.listPrompts(p), "prompts")) {
      const declared = prompt.arguments ?? [];
      const required = Object.fromEntries(
        declared.filter((a) => a.required).map((a) => [a.name, `\${arguments.${a.name}}`]),
      );
      const answer = await client.getPrompt({ name: prompt.name, arguments: required });
      const text = answer.messages
        .map((m) => (m.content.type === "text" ? m.content.text : ""))
        .filter(Boolean)
        .join("\n\n");
      prompts.push({
        name: prompt.name,
        description: prompt.description ?? "",
        arguments: declared.map((a) => a.name),
        text,
      });
    }
    prompts.sort((a, b) => a.name.localeCompare(b.name));
    return { name: server.name, version: server.version, tools, prompts };
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  }
}
