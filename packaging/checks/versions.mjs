// One version for the app, the sidecar and the bundle: the workspace's
// (`[workspace.package] version` in Cargo.toml). Everything else that carries a
// version must say the same.
//
//   node checks/versions.mjs               list them; exit 1 when they disagree
//   node checks/versions.mjs --tag v1.2.3  also require that the tag names that version

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { REPO } from "../lib/paths.mjs";

const json = (path) => JSON.parse(readFileSync(join(REPO, path), "utf8"));

/** The workspace's version, as cargo resolves it for the programs that ship. */
export function workspaceVersion() {
  const metadata = JSON.parse(
    execFileSync("cargo", ["metadata", "--no-deps", "--offline", "--format-version", "1"], {
      cwd: REPO,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  const shipped = ["novabackup-mcp", "novabackup-core", "novabackup-companion"];
  const versions = new Set(metadata.packages.filter((p) => shipped.includes(p.name)).map((p) => p.version));
  if (versions.size !== 1) throw new Error(`the crates that ship disagree on their version: ${[...versions].join(", ")}`);
  return [...versions][0];
}

/** The versions the changelog has sections for (`## [1.2.3] ...`), newest first. */
export function changelogVersions() {
  const text = readFileSync(join(REPO, "CHANGELOG.md"), "utf8");
  return [...text.matchAll(/^## \[(\d+\.\d+\.\d+[^\]]*)\]/gm)].map((m) => m[1]);
}

/** Every other place that carries a version: `[{where, version}]`. */
export function declaredVersions() {
  const uiLock = json("ui/package-lock.json");
  const packagingLock = json("packaging/package-lock.json");
  return [
    { where: "src-tauri/tauri.conf.json", version: json("src-tauri/tauri.conf.json").version },
    { where: "ui/package.json", version: json("ui/package.json").version },
    { where: "ui/package-lock.json", version: uiLock.packages?.[""]?.version ?? uiLock.version },
    { where: "packaging/package.json", version: json("packaging/package.json").version },
    { where: "packaging/package-lock.json", version: packagingLock.packages?.[""]?.version ?? packagingLock.version },
    { where: "packaging/mcpb/manifest.json", version: json("packaging/mcpb/manifest.json").version },
    { where: "CHANGELOG.md (newest section)", version: changelogVersions()[0] },
  ];
}

/** The places whose version is not `version`, each as a sentence. */
export function disagreements(version) {
  return declaredVersions()
    .filter((d) => d.version !== version)
    .map((d) => `${d.where} says ${d.version ?? "nothing"}, the workspace (Cargo.toml) says ${version}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const version = workspaceVersion();
  const problems = disagreements(version);
  const tagAt = process.argv.indexOf("--tag");
  if (tagAt > 0) {
    const tag = process.argv[tagAt + 1] ?? "";
    if (tag.replace(/^v/, "") !== version) problems.push(`the tag ${tag} does not name the workspace version ${version}`);
  }
  console.log(`workspace version ${version}`);
  for (const d of declaredVersions()) console.log(`  ${d.where}: ${d.version}`);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    console.error("Set the same version in each (see packaging/README.md, Releasing).");
    process.exit(1);
  }
}
