// What the interop tests share: the built binaries, simulated Management Servers,
// a throw-away HOME with saved servers, and an MCP client from the official SDK.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, statSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..", "..");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repo, "target");

/** The built `novabackup-mcp`. */
export const MCP_BIN = process.env.NOVABACKUP_MCP_BIN ?? join(targetDir, "debug", "novabackup-mcp");
/** The built simulator. */
export const SIM_BIN = process.env.MS_SIM_BIN ?? join(targetDir, "debug", "ms-sim");

/** Everything a test starts, stopped in reverse order by `cleanup()`. */
export class Scope {
  constructor() {
    this.stops = [];
  }
  defer(stop) {
    this.stops.push(stop);
  }
  async cleanup() {
    for (const stop of this.stops.reverse()) {
      try {
        await stop();
      } catch {
        // keep stopping the rest
      }
    }
    this.stops = [];
  }
}

/**
 * Starts `ms-sim` with `args` on a free loopback port and resolves once it has
 * printed its servers and demo users: `{servers: [{id, url}], users: [{name, password, admin}]}`.
 */
export async function startSim(scope, args = []) {
  const child = spawn(SIM_BIN, ["--listen", "127.0.0.1:0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  scope.defer(() => stopChild(child));
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const servers = [];
  const users = [];
  const ready = new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`ms-sim printed no servers within 20 s: ${stderr}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`ms-sim exited with ${code}: ${stderr}`)));
    lines.on("line", (line) => {
      const server = line.match(/^server\s+(\S+)\s+(https?:\/\/\S+)/);
      const user = line.match(/^user\s+(\S+)\s+(\S+)(.*)$/);
      if (server) servers.push({ id: server[1], url: server[2] });
      if (user) users.push({ name: user[1], password: user[2], admin: /\(all customers\)/.test(user[3]) });
      if (/^ready\b/.test(line)) {
        clearTimeout(timer);
        resolvePromise();
      }
    });
  });
  await ready;
  return { child, servers, users, admin: users.find((u) => u.admin) ?? users[0] };
}

/** A TCP server on loopback that accepts connections and never answers a byte. */
export async function startSilentServer(scope) {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  scope.defer(
    () =>
      new Promise((ok) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => ok());
      }),
  );
  return `http://127.0.0.1:${server.address().port}/managementserver`;
}

/** A fresh HOME (removed by the scope) with the product's config folder. */
export function makeHome(scope) {
  const home = mkdtempSync(join(tmpdir(), "novabackup-interop-"));
  mkdirSync(join(home, ".config", "novabackup-mcp"), { recursive: true });
  scope.defer(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

/**
 * Saves `servers` ({server_id, label, base_url, username, password}) the way a headless
 * machine does: profiles in servers.json, passwords in the Node server's plaintext
 * credentials file (MCP_CREDENTIALS_FILE). Returns the env entries that point at them.
 */
export function saveServersWithPlaintextPasswords(home, servers) {
  const profiles = join(home, ".config", "novabackup-mcp", "servers.json");
  const credentials = join(home, "credentials.json");
  writeFileSync(
    profiles,
    JSON.stringify({
      version: 1,
      servers: servers.map(({ server_id, label, base_url, username }) => ({ server_id, label, base_url, username })),
    }),
  );
  writeFileSync(credentials, JSON.stringify({ version: 1, servers }), { mode: 0o600 });
  return { MCP_SERVERS_FILE: profiles, MCP_CREDENTIALS_FILE: credentials };
}

/** The environment a spawned novabackup-mcp gets: a short list, like Claude Desktop's. */
export function childEnv(home, extra = {}) {
  const env = { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin", XDG_CONFIG_HOME: join(home, ".config") };
  if (process.env.DBUS_SESSION_BUS_ADDRESS) env.DBUS_SESSION_BUS_ADDRESS = process.env.DBUS_SESSION_BUS_ADDRESS;
  return { ...env, ...extra };
}

/**
 * Spawns novabackup-mcp and connects the official SDK client to it over stdio.
 * Returns `{client, stderr: () => string}`.
 */
export async function connect(scope, env, { capabilities = {}, name = "interop-tests" } = {}) {
  const transport = new StdioClientTransport({ command: MCP_BIN, args: [], env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => (stderr += chunk));
  const client = new Client({ name, version: "1.0.0" }, { capabilities });
  await client.connect(transport);
  scope.defer(() => client.close());
  return { client, transport, stderr: () => stderr };
}

/** Calls a tool and returns its structured content (or the parsed text), failing on isError. */
export async function callTool(client, name, args = {}, options = {}) {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000, ...options });
  const text = result.content?.find((c) => c.type === "text")?.text ?? "";
  if (result.isError) {
    throw new Error(`${name} answered isError: ${text}`);
  }
  return result.structuredContent ?? JSON.parse(text);
}

/** Runs a command to completion: `{code, stdout, stderr}`. */
export function run(command, args, { env, input, timeoutMs = 60_000 } = {}) {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${command} ${args.join(" ")} ran past ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
    child.stdin.end(input ?? "");
  });
}

/** Every regular file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir, needle) {
  const hits = [];
  const walk = (path) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      const info = statSync(full, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) walk(full);
      else if (info.isFile() && readFileSync(full).includes(needle)) hits.push(full);
    }
  };
  walk(dir);
  return hits;
}

/** Reads the simulator directly, as `user`: the truth the tools are compared with. */
export async function simQuery(server, user, path) {
  const login = await fetch(`${server.url}/api/Account/Authenticate`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/plain" },
    body: JSON.stringify({ UserName: user.name, Password: user.password }),
  });
  if (!login.ok) throw new Error(`simulator login as ${user.name} failed: ${login.status}`);
  const token = (await login.text()).trim().replace(/^"|"$/g, "");
  const answer = await fetch(`${server.url}/api/${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!answer.ok) throw new Error(`simulator ${path}: ${answer.status} ${await answer.text()}`);
  return answer.json();
}

async function stopChild(child) {
  if (child.exitCode !== null) return;
  await new Promise((ok) => {
    child.once("exit", ok);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
