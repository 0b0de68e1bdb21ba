// The parts the view test runs against: the simulator (the built `ms-sim`) on
// loopback, a throw-away HOME that saves it as a server, and the built
// `novabackup-mcp` reached through the official MCP TypeScript client (v2) over stdio.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { RESOURCE_MIME_TYPE } from "@modelcontextprotocol/ext-apps/app-bridge";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const targetDir = resolve(process.env.CARGO_TARGET_DIR ?? join(repo, "target"));
const MCP_BIN = process.env.NOVABACKUP_MCP_BIN ?? join(targetDir, "debug", "novabackup-mcp");
const SIM_BIN = process.env.MS_SIM_BIN ?? join(targetDir, "debug", "ms-sim");

/** The capability a client announces for MCP Apps (the extension's own identifier). */
export const APPS_CAPABILITIES = {
  extensions: { "io.modelcontextprotocol/ui": { mimeTypes: [RESOURCE_MIME_TYPE] } },
};

/** Everything started, stopped in reverse order by `stop()`. */
export class Estate {
  constructor() {
    this.stops = [];
  }

  /** Starts the simulator, saves its admin as server `server_id` in a fresh HOME. */
  async start(server_id = "demo-1") {
    const sim = spawn(SIM_BIN, ["--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
    this.stops.push(() => stopChild(sim));
    const said = { servers: [], users: [], stderr: "" };
    sim.stderr.on("data", (chunk) => (said.stderr += chunk));
    await new Promise((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`ms-sim was not ready within 20 s: ${said.stderr}`)), 20_000);
      sim.once("exit", (code) => fail(new Error(`ms-sim exited with ${code}: ${said.stderr}`)));
      createInterface({ input: sim.stdout }).on("line", (line) => {
        const [kind, a, b, ...rest] = line.split(/\s+/);
        if (kind === "server") said.servers.push({ id: a, url: b });
        if (kind === "user") said.users.push({ name: a, password: b, admin: rest.join(" ").includes("(all customers)") });
        if (kind === "ready") {
          clearTimeout(timer);
          ready();
        }
      });
    });
    const admin = said.users.find((u) => u.admin);
    this.home = mkdtempSync(join(tmpdir(), "novabackup-mcp-apps-"));
    this.stops.push(() => rmSync(this.home, { recursive: true, force: true }));
    const server = { server_id, label: "Demo", base_url: said.servers[0].url, username: admin.name };
    writeFileSync(join(this.home, "servers.json"), JSON.stringify({ version: 1, servers: [server] }));
    const credentials = { version: 1, servers: [{ ...server, password: admin.password }] };
    writeFileSync(join(this.home, "credentials.json"), JSON.stringify(credentials), { mode: 0o600 });
    this.server_id = server_id;
    return this;
  }

  /** A connected MCP client (official SDK) with `capabilities`, over a new server process. */
  async client(capabilities = {}) {
    const env = {
      HOME: this.home,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      XDG_CONFIG_HOME: join(this.home, ".config"),
      MCP_SERVERS_FILE: join(this.home, "servers.json"),
      MCP_CREDENTIALS_FILE: join(this.home, "credentials.json"),
    };
    const transport = new StdioClientTransport({ command: MCP_BIN, args: [], env, stderr: "pipe" });
    const client = new Client({ name: "novabackup-mcp-apps-tests", version: "1.0.0" }, { capabilities });
    await client.connect(transport);
    this.stops.push(() => client.close());
    return client;
  }

  /** Stops everything this estate started. */
  async stop() {
    for (const stop of this.stops.reverse()) await Promise.resolve(stop()).catch(() => {});
    this.stops = [];
  }
}

function stopChild(child) {
  if (child.exitCode !== null) return undefined;
  return new Promise((stopped) => {
    child.once("exit", stopped);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
