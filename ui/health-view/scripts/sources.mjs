// The fingerprint of the view's sources, stamped into the built HTML so that a test
// of the Rust server (which embeds that HTML) can tell when it is stale without npm.
// mcp-sidecar/server/src/mcp/apps/view.rs computes the same fingerprint.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The name of the `<meta>` that carries the fingerprint. */
export const SOURCES_META = "novabackup-view-sources";

/** The files (relative to the view's folder) whose content makes the built view. */
export const SOURCE_ROOTS = ["backup-health.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts", "scripts/sources.mjs", "src"];

function files(dir, path) {
  const full = join(dir, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => files(dir, `${path}/${name}`));
}

/** `sha256:<hex>` over each source file's path and content (line endings as LF), in path order. */
export function sourcesFingerprint(dir) {
  const hash = createHash("sha256");
  const paths = SOURCE_ROOTS.flatMap((root) => files(dir, root)).sort();
  for (const path of paths) {
    const text = readFileSync(join(dir, path), "utf8").replaceAll("\r\n", "\n");
    const bytes = Buffer.from(text, "utf8");
    hash.update(`${relative(dir, join(dir, path)).split(sep).join("/")}\n${bytes.length}\n`);
    hash.update(bytes);
    hash.update("\n");
  }
  return `sha256:${hash.digest("hex")}`;
}

/** A Vite plugin that stamps the fingerprint into the built HTML's head. */
export function sourcesStamp() {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
  return {
    name: "novabackup-sources-stamp",
    transformIndexHtml: () => [
      { tag: "meta", attrs: { name: SOURCES_META, content: sourcesFingerprint(dir) }, injectTo: "head" },
    ],
  };
}
