// Headless Chromium from Debian (never a downloaded browser), driven by Playwright's
// library, showing the test host page (tests/mcp-apps/host) built with Vite and
// served on loopback.

import { createReadStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { build } from "vite";

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

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/**
 * Builds the host page into a temporary folder, serves it on 127.0.0.1 and starts
 * Chromium headless with a fresh profile. Returns `{context, url, close()}`.
 */
export async function startBrowser() {
  const out = mkdtempSync(join(tmpdir(), "novabackup-mcp-apps-host-"));
  await build({
    configFile: false,
    root: join(here, "..", "host"),
    logLevel: "error",
    build: { outDir: out, emptyOutDir: true, target: "es2022" },
  });
  const server = createServer((request, response) => {
    const path = normalize(join(out, new URL(request.url, "http://host").pathname));
    const file = path.endsWith("/") || path === out ? join(out, "index.html") : path;
    if (!file.startsWith(out) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  const profile = mkdtempSync(join(tmpdir(), "novabackup-mcp-apps-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 480, height: 900 },
  });
  return {
    context,
    url: `http://127.0.0.1:${server.address().port}/`,
    async close() {
      await context.close().catch(() => {});
      await new Promise((closed) => server.close(closed));
      for (const dir of [out, profile]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The axe-core script, to evaluate inside the view's frame. */
export const AXE_SOURCE = resolve(here, "..", "node_modules", "axe-core", "axe.min.js");
