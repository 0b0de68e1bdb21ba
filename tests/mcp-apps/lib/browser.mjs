// Headless Chromium from Debian (never a downloaded browser), driven by Playwright's
// library, showing the test host page (tests/mcp-apps/host) built with Vite and
// served on loopback.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { build, preview } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_BIN. */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Builds the host page into a temporary folder, serves it on 127.0.0.1 and starts
 * Chromium headless with a fresh profile. Returns `{context, url, close()}`.
 */
export async function startBrowser() {
  const out = mkdtempSync(join(tmpdir(), "novabackup-mcp-apps-host-"));
  const root = join(here, "..", "host");
  const config = { configFile: false, root, logLevel: "error", build: { outDir: out, emptyOutDir: true, target: "es2022" } };
  await build(config);
  const server = await preview({ ...config, preview: { host: "127.0.0.1", port: 0, open: false } });
  const profile = mkdtempSync(join(tmpdir(), "novabackup-mcp-apps-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 480, height: 900 },
  });
  return {
    context,
    url: server.resolvedUrls.local[0],
    async close() {
      await context.close().catch(() => {});
      await server.close();
      for (const dir of [out, profile]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The axe-core script, to evaluate inside the view's frame. */
export const AXE_SOURCE = resolve(here, "..", "node_modules", "axe-core", "axe.min.js");
