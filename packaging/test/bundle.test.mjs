// The extension bundle as Claude Desktop gets it: built by packaging/mcpb/build.sh (again
// only when one of its inputs changed), unpacked by the official CLI into a temporary
// folder, its command worked out by the mcpb library's own getMcpConfigForManifest (what
// Claude Desktop uses), then started under the official TypeScript SDK's MCP client,
// which must see every tool.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { getMcpConfigForManifest } from "@anthropic-ai/mcpb";

import { connect } from "../lib/listing.mjs";
import { MANIFEST_FILE } from "../mcpb/manifest.mjs";
import { EXE, REPO, TARGET_DIR, serverBinary } from "../lib/paths.mjs";

const MCPB = join(REPO, "packaging", "node_modules", ".bin", "mcpb");
let scratch;
let unpacked;
let bundle;

/** Every file under `dir`, relative, in order. */
function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split("\\").join("/"))
    .sort();
}

/**
 * The bundle build.sh makes of `binary`, kept in the target folder under a digest of
 * everything that goes into it (the program, the manifest, the icon, the script, the
 * mcpb CLI's version): packing 60 MB takes seconds, so an unchanged bundle is reused.
 */
function builtBundle(binary) {
  const digest = createHash("sha256");
  for (const input of [
    binary,
    MANIFEST_FILE,
    join(REPO, "src-tauri", "icons", "icon.png"),
    join(REPO, "packaging", "mcpb", "build.sh"),
    join(REPO, "packaging", "package-lock.json"),
  ]) {
    digest.update(readFileSync(input));
  }
  const dir = join(TARGET_DIR, "mcpb", "test");
  const kept = join(dir, `${digest.digest("hex").slice(0, 16)}.mcpb`);
  if (existsSync(kept)) return kept;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fresh = join(dir, "building.mcpb");
  execFileSync(join(REPO, "packaging", "mcpb", "build.sh"), ["--binary", binary, "--out", fresh], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  renameSync(fresh, kept);
  return kept;
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), "novabackup-bundle-"));
  bundle = builtBundle(serverBinary());
  unpacked = join(scratch, "unpacked");
  execFileSync(MCPB, ["unpack", bundle, unpacked], { stdio: ["ignore", "pipe", "inherit"] });
});

after(() => rmSync(scratch, { recursive: true, force: true }));

/** The command Claude Desktop would run for the unpacked bundle, with `userConfig`. */
async function claudesCommand(userConfig) {
  const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  const home = join(scratch, "home");
  mkdirSync(home, { recursive: true });
  const config = await getMcpConfigForManifest({
    manifest,
    extensionPath: unpacked,
    systemDirs: { HOME: home, DESKTOP: join(home, "Desktop"), DOCUMENTS: join(home, "Documents"), DOWNLOADS: join(home, "Downloads") },
    userConfig,
    pathSeparator: "/",
  });
  assert.ok(config, "the manifest yields a server configuration without any user setting");
  return { config, manifest, home };
}

test("the bundle holds the manifest, the icon and the program, and no npm code", () => {
  assert.deepEqual(files(unpacked), ["icon.png", "manifest.json", `server/novabackup-mcp${EXE}`]);
  if (process.platform !== "win32") {
    assert.ok(statSync(join(unpacked, "server", "novabackup-mcp")).mode & 0o100, "the program stays executable");
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  const committed = JSON.parse(readFileSync(MANIFEST_FILE, "utf8"));
  assert.deepEqual(manifest, { ...committed, compatibility: { ...committed.compatibility, platforms: [process.platform] } });
  const size = statSync(bundle).size;
  assert.ok(size > 100_000, `a real program is inside (${size} bytes)`);
  console.log(`bundle: ${size} bytes (${relative(REPO, serverBinary())})`);
});

test("unpacked, its program answers an MCP client and lists every tool and prompt", async () => {
  const { config, manifest, home } = await claudesCommand({});
  assert.equal(config.command, join(unpacked, "server", `novabackup-mcp${EXE}`));
  assert.equal(config.env.MCP_SERVERS_FILE, "", "left empty, the usual place is used");
  const { client } = await connect(config.command, {
    args: config.args,
    env: { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...config.env },
  });
  try {
    assert.equal(client.getServerVersion().version, manifest.version);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, manifest.tools.map((t) => t.name).sort());
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name).sort();
    assert.deepEqual(prompts, manifest.prompts.map((p) => p.name).sort());
    const servers = await client.callTool({ name: "list_servers", arguments: {} });
    assert.deepEqual(servers.structuredContent?.presets, [], "no saved servers in a fresh HOME");
  } finally {
    await client.close();
  }
});

test("the saved-servers file chosen in Claude's settings reaches the program", async () => {
  const file = join(scratch, "chosen", "servers.json");
  mkdirSync(join(scratch, "chosen"), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      servers: [
        { server_id: "acme-eu", label: "ACME EU", base_url: "http://127.0.0.1:9/managementserver", username: "msp" },
      ],
    }),
  );
  const { config, home } = await claudesCommand({ servers_file: file });
  assert.equal(config.env.MCP_SERVERS_FILE, file);
  const { client } = await connect(config.command, {
    args: config.args,
    env: { PATH: process.env.PATH ?? "", HOME: home, ...config.env },
  });
  try {
    const servers = await client.callTool({ name: "list_servers", arguments: {} });
    const ids = (servers.structuredContent?.presets ?? []).map((p) => p.server_id);
    assert.deepEqual(ids, ["acme-eu"]);
  } finally {
    await client.close();
  }
});
