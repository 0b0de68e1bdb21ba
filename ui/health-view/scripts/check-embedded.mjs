// Rebuilds the view into a temporary folder and compares it, byte for byte, with the
// copy novabackup-mcp embeds (mcp-sidecar/server/assets/backup-health.html). A stale
// or hand-edited copy fails here with what to do; the working tree is left as it was.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const embedded = join(here, "..", "..", "mcp-sidecar", "server", "assets", "backup-health.html");
process.chdir(here); // the build resolves its entry from the working folder
const out = mkdtempSync(join(tmpdir(), "novabackup-health-view-"));
try {
  await build({ root: here, logLevel: "error", build: { outDir: out, emptyOutDir: true } });
  const fresh = readFileSync(join(out, "backup-health.html"));
  const committed = readFileSync(embedded);
  if (!fresh.equals(committed)) {
    console.error(
      `The embedded view ${embedded} differs from a fresh build of ui/health-view ` +
        `(${committed.length} bytes committed, ${fresh.length} built). ` +
        "Run `npm --prefix ui/health-view run build` and commit the new file.",
    );
    process.exit(1);
  }
  console.log(`the embedded view matches its sources: ${fresh.length} bytes`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
