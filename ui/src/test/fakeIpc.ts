// A stand-in for the app behind the UI: every call is a `vi.fn` with a sensible
// default, which a test overrides for the state it is about.
import { vi } from "vitest";
import type { ClientView, Ipc, Overview, ServerView, Settings } from "../ipc";

export const NOW = Date.parse("2026-11-27T06:00:00Z");

export function server(overrides: Partial<ServerView> = {}): ServerView {
  return {
    serverId: "acme-ms",
    label: "Acme MS",
    baseUrl: "https://acme.example.com/managementserver",
    username: "tech",
    caCertificate: null,
    demo: false,
    health: {
      state: "healthy",
      message: null,
      detail: null,
      code: null,
      checkedAt: "2026-11-27T05:58:00Z",
      latencyMs: 120,
    },
    ...overrides,
  };
}

export function overview(servers: ServerView[], overrides: Partial<Overview> = {}): Overview {
  return {
    servers,
    overall: servers.length === 0 ? "not_set_up" : "all_healthy",
    summary: servers.length === 0 ? "not set up" : `${servers.length} of ${servers.length} servers healthy`,
    ...overrides,
  };
}

export function client(overrides: Partial<ClientView> = {}): ClientView {
  return {
    client: "claude_desktop",
    name: "Claude Desktop",
    state: "not_connected",
    configPath: "/home/me/.config/Claude/claude_desktop_config.json",
    needsRestart: false,
    duplicateEntry: false,
    ...overrides,
  };
}

export const SETTINGS: Settings = {
  startAtLogin: false,
  checkIntervalMinutes: 5,
  notifications: true,
  autoRepair: false,
  concurrency: 50,
  timeoutSeconds: 10,
  logLevel: "info",
  language: "system",
};

/** An `Ipc` whose every method is a mock; pass overrides for the test's state. */
export function fakeIpc(overrides: Partial<Ipc> = {}) {
  const ipc = {
    appInfo: vi.fn(async () => ({
      version: "0.1.0",
      keychain: "system" as const,
      systemLanguage: "en" as const,
      logFolder: "/home/me/.local/share/com.novabackup.mcp-companion/logs",
    })),
    overview: vi.fn(async () => overview([])),
    checkNow: vi.fn(async () => overview([server()])),
    testConnection: vi.fn(async () => ({
      status: "ok" as const,
      data: { agents: 12, tenants: 3, latencyMs: 80 },
    })),
    cancelConnectionTest: vi.fn(async () => {}),
    saveServer: vi.fn(async () => ({ status: "ok" as const, data: server() })),
    removeServer: vi.fn(async () => ({ status: "ok" as const, data: null })),
    addDemoServer: vi.fn(async () => ({
      status: "ok" as const,
      data: server({ serverId: "demo", label: "Demo Management Server (sample data)", demo: true }),
    })),
    pickCaCertificate: vi.fn(async () => null),
    clients: vi.fn(async () => [client()]),
    connectClient: vi.fn(async () => ({ status: "ok" as const, data: client({ state: "connected" }) })),
    disconnectClient: vi.fn(async () => ({ status: "ok" as const, data: client() })),
    settings: vi.fn(async () => SETTINGS),
    saveSettings: vi.fn(async (s: Settings) => ({ status: "ok" as const, data: s })),
    openLogFolder: vi.fn(async () => ({ status: "ok" as const, data: null })),
    onHealthChanged: vi.fn(async () => () => {}),
    onClientsChecked: vi.fn(async () => () => {}),
    ...overrides,
  } satisfies Ipc;
  return ipc;
}
