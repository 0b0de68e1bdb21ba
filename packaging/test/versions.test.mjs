// One version for the app, the sidecar and the bundle: the workspace's.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

import { changelogVersions, declaredVersions, disagreements, workspaceVersion } from "../checks/versions.mjs";
import { serverBinary } from "../lib/paths.mjs";

test("every file that carries a version says the workspace's", () => {
  const version = workspaceVersion();
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(disagreements(version), []);
  assert.ok(declaredVersions().length >= 7, "the app, the UI, the bundle and the changelog are all looked at");
  assert.ok(
    disagreements("999.0.0").some((d) => d.startsWith("src-tauri/tauri.conf.json says")),
    "a disagreement is reported by file",
  );
});

test("novabackup-mcp --version prints the workspace's version", () => {
  const printed = execFileSync(serverBinary(), ["--version"], { encoding: "utf8" }).trim();
  assert.equal(printed, `novabackup-mcp ${workspaceVersion()}`);
});

test("the changelog has a section for the version", () => {
  assert.ok(changelogVersions().includes(workspaceVersion()), `CHANGELOG.md has no "## [${workspaceVersion()}]" section`);
});
