// Where things are: the repository, cargo's target folder, the built novabackup-mcp.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Cargo's target folder: `CARGO_TARGET_DIR` when set, else `<repo>/target`. */
export const TARGET_DIR = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(REPO, "target");

/** `.exe` on Windows, else nothing. */
export const EXE = process.platform === "win32" ? ".exe" : "";

/**
 * The novabackup-mcp to describe or pack: `NOVABACKUP_MCP_BIN` when set (the test
 * command sets it to the binary it has just built), else a debug build made now, so
 * that what is listed is always what the source says.
 */
export function serverBinary() {
  if (process.env.NOVABACKUP_MCP_BIN) {
    const given = resolve(process.env.NOVABACKUP_MCP_BIN);
    if (!existsSync(given)) throw new Error(`NOVABACKUP_MCP_BIN names ${given}, which does not exist: build it first`);
    return given;
  }
  execFileSync("cargo", ["build", "--quiet", "-p", "novabackup-mcp", "--bin", "novabackup-mcp"], {
    cwd: REPO,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return join(TARGET_DIR, "debug", `novabackup-mcp${EXE}`);
}
