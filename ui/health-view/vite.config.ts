import { defineConfig } from "vitest/config";
import { viteSingleFile } from "vite-plugin-singlefile";
import { sourcesStamp } from "./scripts/sources.mjs";

// One self-contained HTML file (scripts and styles inlined, nothing loaded from the
// network), written where novabackup-mcp embeds it at build time (include_str!), and
// stamped with the fingerprint of its sources so a stale copy fails a Rust test.
export default defineConfig({
  plugins: [viteSingleFile({ removeViteModuleLoader: true }), sourcesStamp()],
  build: {
    target: "es2022",
    outDir: "../../mcp-sidecar/server/assets",
    emptyOutDir: false,
    reportCompressedSize: false,
    rollupOptions: { input: "backup-health.html" },
  },
  test: { environment: "node", include: ["test/**/*.test.ts"] },
});
