// The npm packages that ship, and their licences: everything the app's UI bundles (the
// production dependencies of ui/, which Vite builds into the app) must be under a licence
// that lets the product ship under MIT. The extension bundle (.mcpb) ships no npm code at
// all (its contents are checked by the bundle test).
//
//   node checks/npm-licenses.mjs   list them; exit 1 when one is not allowed

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

import { REPO } from "../lib/paths.mjs";

const licensee = createRequire(import.meta.url)("licensee");

/** Permissive licences: they ask for a notice at most, nothing of the product's own licence. */
export const ALLOWED = ["MIT", "ISC", "0BSD", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "Unlicense", "CC0-1.0"];

/** The projects whose production dependencies ship. */
export const SHIPPED = ["ui"];

/**
 * `[{name, version, license, approved}]` for the production dependencies of `project`,
 * approved when their licence expression is satisfied by `allowed`.
 */
export function productionLicenses(project, allowed = ALLOWED) {
  const configuration = { licenses: { spdx: allowed }, packages: {}, corrections: false, productionOnly: true };
  return new Promise((resolvePromise, reject) => {
    licensee(configuration, join(REPO, project), (error, dependencies) =>
      error
        ? reject(new Error(`licensee could not read ${project}/node_modules (run npm ci there first): ${error.message}`))
        : resolvePromise(
            dependencies.map(({ name, version, license, approved }) => ({ name, version, license, approved })),
          ),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let refused = 0;
  for (const project of SHIPPED) {
    const dependencies = await productionLicenses(project);
    if (dependencies.length === 0) {
      console.error(`${project}: no production dependency found; is node_modules installed?`);
      process.exit(1);
    }
    for (const d of dependencies.sort((a, b) => a.name.localeCompare(b.name))) {
      console.log(`${project}: ${d.name}@${d.version} ${d.license ?? "(no licence)"}${d.approved ? "" : "  NOT ALLOWED"}`);
      if (!d.approved) refused += 1;
    }
  }
  if (refused > 0) {
    console.error(`${refused} shipped npm package(s) have a licence outside ${ALLOWED.join(", ")}`);
    process.exit(1);
  }
}
