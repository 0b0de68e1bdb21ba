// The extension's manifest: what the built server lists, valid for the official mcpb
// CLI, asking for nothing secret, named as the core's registration module expects.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { MANIFEST_FILE, PASSED_VARIABLES, expectedManifestText, firstDifferences } from "../mcpb/manifest.mjs";
import { REPO, serverBinary } from "../lib/paths.mjs";

const MCPB = join(REPO, "packaging", "node_modules", ".bin", "mcpb");
const committed = () => JSON.parse(readFileSync(MANIFEST_FILE, "utf8"));

/** `mcpb validate` on `manifest` staged with the app's icon: `{status, output}`. */
function validate(manifest) {
  const dir = mkdtempSync(join(tmpdir(), "novabackup-manifest-"));
  try {
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
    copyFileSync(join(REPO, "src-tauri", "icons", "icon.png"), join(dir, "icon.png"));
    const run = spawnSync(MCPB, ["validate", join(dir, "manifest.json")], { encoding: "utf8" });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the committed manifest lists exactly what the built novabackup-mcp lists", async () => {
  const expected = await expectedManifestText(serverBinary());
  const text = readFileSync(MANIFEST_FILE, "utf8");
  assert.ok(
    text === expected,
    `packaging/mcpb/manifest.json has drifted from the server:\n${firstDifferences(text, expected)}\n` +
      "Regenerate it with: npm --prefix packaging run manifest",
  );
  const manifest = committed();
  assert.ok(manifest.tools.length >= 20, `every tool is listed, got ${manifest.tools.length}`);
  assert.ok(manifest.tools.some((t) => t.name === "system_info"), "system_info is listed");
  assert.ok(manifest.prompts.length >= 1 && manifest.prompts.every((p) => p.text.length > 0), "prompts have their text");
});

test("the manifest validates with the official mcpb CLI, which does refuse a broken one", () => {
  const good = validate(committed());
  assert.equal(good.status, 0, good.output);
  assert.match(good.output, /Manifest schema validation passes/);

  const broken = structuredClone(committed());
  broken.server.type = "rust";
  const refused = validate(broken);
  assert.notEqual(refused.status, 0, "a server type the format does not know is refused");
  assert.match(refused.output, /server\.type/);
});

test("the manifest asks for no secret and passes only paths to the server", () => {
  const manifest = committed();
  for (const [key, option] of Object.entries(manifest.user_config ?? {})) {
    assert.notEqual(option.sensitive, true, `${key} is marked sensitive: secrets belong in the keychain`);
    const words = `${key} ${option.title}`; // (its description may well say "no passwords")
    assert.doesNotMatch(words, /password|secret|token|api.?key|credential/i, `${key} asks for a secret`);
    assert.equal(option.required, false, `${key} must not be required: the defaults work`);
  }
  const config = manifest.server.mcp_config;
  assert.deepEqual(Object.keys(config.env ?? {}), PASSED_VARIABLES);
  assert.deepEqual(config.args, [], "no argument, so nothing reaches a process list");
  for (const value of Object.values(config.env)) assert.match(value, /^\$\{user_config\.[a-z_]+\}$/);
  assert.deepEqual(manifest.compatibility.platforms.sort(), ["darwin", "linux", "win32"]);
  assert.equal(manifest.server.type, "binary");
  assert.match(config.platform_overrides.win32.command, /novabackup-mcp\.exe$/);
});

test("the manifest's name is the one status looks for in Claude Desktop's extensions", () => {
  const source = readFileSync(join(REPO, "mcp-sidecar", "core", "src", "registration", "extension.rs"), "utf8");
  const [, name] = source.match(/pub const EXTENSION_NAME: &str = "([^"]+)";/) ?? [];
  assert.equal(committed().name, name);
});
