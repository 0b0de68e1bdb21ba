// The Claude Desktop extension's manifest (MCPB manifest 0.3): the fixed fields below,
// and the version, tools and prompts as the built novabackup-mcp lists them.
//
//   node mcpb/manifest.mjs --write   rewrite packaging/mcpb/manifest.json from the server
//   node mcpb/manifest.mjs --check   exit 1 with a diff when the committed file drifted
//
// (`npm --prefix packaging run manifest` builds novabackup-mcp and writes the file.)

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { describeServer } from "../lib/listing.mjs";
import { REPO, serverBinary } from "../lib/paths.mjs";

/** The committed manifest. */
export const MANIFEST_FILE = join(dirname(fileURLToPath(import.meta.url)), "manifest.json");

/** The environment variables the bundle passes: paths only, never a secret. */
export const PASSED_VARIABLES = ["MCP_SERVERS_FILE"];

/** The manifest for a server that lists `listing` (see `describeServer`). */
export function buildManifest(listing) {
  return {
    manifest_version: "0.3",
    // Claude Desktop tells its extensions apart by this name; the core's registration
    // module looks for it too (EXTENSION_NAME in registration/extension.rs).
    name: "novabackup-mcp",
    display_name: "NovaBACKUP",
    version: listing.version,
    description:
      "Ask Claude about your NovaBACKUP backups: live answers from your NovaBACKUP Management Servers, across all your customers.",
    long_description: [
      "Reads your NovaBACKUP Management Servers with your own accounts: agents and their storage, cloud storage accounts, groups and tenants, jobs and their history with logs, users. Every list asks all your servers at once and says which ones answered.",
      "",
      "Passwords stay in your operating system's keychain, never in Claude's settings: add your servers with the NovaBACKUP MCP Companion app or `novabackup-mcp login`, then ask, for example, \"which backups failed last night across all my customers, and why?\".",
    ].join("\n"),
    author: { name: "NovaBACKUP" },
    icon: "icon.png",
    license: "MIT",
    keywords: ["novabackup", "backup", "msp", "management server"],
    server: {
      type: "binary",
      entry_point: "server/novabackup-mcp",
      mcp_config: {
        command: "${__dirname}/server/novabackup-mcp",
        args: [],
        // Empty (the default) means the usual place; novabackup-mcp treats an empty
        // value as unset.
        env: { MCP_SERVERS_FILE: "${user_config.servers_file}" },
        platform_overrides: {
          win32: { command: "${__dirname}/server/novabackup-mcp.exe" },
        },
      },
    },
    tools: listing.tools.map(({ name, description }) => ({ name, description })),
    prompts: listing.prompts.map(({ name, description, arguments: args, text }) => ({
      name,
      description,
      arguments: args,
      text,
    })),
    compatibility: {
      platforms: ["darwin", "win32", "linux"],
    },
    user_config: {
      servers_file: {
        type: "file",
        title: "Saved servers file",
        description:
          "The list of your Management Servers (addresses and user names, no passwords). Leave empty for the usual place, where the NovaBACKUP MCP Companion app and `novabackup-mcp login` keep it.",
        required: false,
        default: "",
      },
    },
  };
}

/** The manifest as written to disk: two-space JSON and a final newline. */
export function manifestText(manifest) {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The manifest the built server calls for, as text. */
export async function expectedManifestText(binary = serverBinary()) {
  return manifestText(buildManifest(await describeServer(binary)));
}

/** The first lines where `a` and `b` differ, for a message a person can act on. */
export function firstDifferences(a, b, limit = 12) {
  const left = a.split("\n");
  const right = b.split("\n");
  const lines = [];
  for (let i = 0; i < Math.max(left.length, right.length) && lines.length < limit; i++) {
    if (left[i] !== right[i]) lines.push(`line ${i + 1}:\n  committed: ${left[i] ?? "(none)"}\n  server:    ${right[i] ?? "(none)"}`);
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode !== "--write" && mode !== "--check") {
    console.error("usage: node mcpb/manifest.mjs --write | --check");
    process.exit(2);
  }
  const expected = await expectedManifestText();
  const where = relative(REPO, MANIFEST_FILE);
  if (mode === "--write") {
    writeFileSync(MANIFEST_FILE, expected);
    console.log(`wrote ${where}`);
  } else {
    const committed = readFileSync(MANIFEST_FILE, "utf8");
    if (committed !== expected) {
      console.error(`${where} differs from what novabackup-mcp lists:\n${firstDifferences(committed, expected)}`);
      console.error("Regenerate it with: npm --prefix packaging run manifest");
      process.exit(1);
    }
    console.log(`${where} matches the server`);
  }
}
