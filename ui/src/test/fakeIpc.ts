// A stand-in for the app behind the UI: every call is a `vi.fn` with a sensible
// default, which a test overrides for the state it is about.
import { vi } from "vitest";
import type {
  BackupsView,
  CauseView,
  ClientView,
  CustomerView,
  Glance,
  GlanceView,
  Ipc,
  Overview,
  RunView,
  ServerView,
  Settings,
  StaleView,
} from "../ipc";

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
  backupNotifications: true,
  backupWindow: "day",
  autoRepair: false,
  concurrency: 50,
  timeoutSeconds: 10,
  logLevel: "info",
  language: "system",
};

/** A failed run at Acme, worded as the app's Backups view sends it. */
export function run(overrides: Partial<RunView> = {}): RunView {
  return {
    computer: "ACME-FS01",
    job: "Nightly files",
    outcome: "failed",
    startedAt: "2026-11-27T02:00:00Z",
    firstError: "VSS snapshot could not be created (0x8004230F)",
    ...overrides,
  };
}

/** A computer at Acme with no successful backup for four days. */
export function stale(overrides: Partial<StaleView> = {}): StaleView {
  return {
    computer: "ACME-LAPTOP7",
    lastSuccess: "2026-11-23T01:00:00Z",
    lastSuccessChecked: true,
    hoursSinceSuccess: 101,
    ...overrides,
  };
}

/** A customer whose backups all worked; override for the state a test is about. */
export function customer(overrides: Partial<CustomerView> = {}): CustomerView {
  return {
    key: "acme-ms/t-acme",
    serverId: "acme-ms",
    serverLabel: "Acme MS",
    tenantId: "t-acme",
    name: "Acme Dental",
    verdict: "ok",
    computers: 5,
    computersConnected: 5,
    runs: { succeeded: 12, failed: 0, warnings: 0, cancelled: 0, total: 12 },
    failingRunsTotal: 0,
    failingRuns: [],
    staleComputers: [],
    ...overrides,
  };
}

/** A cause shared by runs at several customers. */
export function cause(overrides: Partial<CauseView> = {}): CauseView {
  return {
    cause: "vss snapshot could not be created (#)",
    example: "VSS snapshot could not be created (0x8004230F)",
    runs: 4,
    computers: 3,
    customers: 2,
    ...overrides,
  };
}

/** What the tray shows (the window's header says the same); all well by default. */
export function glanceView(state: Glance = "allWell", sentence = "All backups worked at 1 customer"): GlanceView {
  return { state, sentence };
}

/** The Backups view of a finished round over the last 24 hours, everything read. */
export function backupsView(customers: CustomerView[] = [customer()], overrides: Partial<BackupsView> = {}): BackupsView {
  return {
    state: "ready",
    window: "day",
    checkedAt: "2026-11-27T05:58:00Z",
    since: "2026-11-26T05:58:00Z",
    until: "2026-11-27T05:58:00Z",
    staleHours: 72,
    customers,
    causes: [],
    unanswered: [],
    complete: true,
    gaps: [],
    ...overrides,
  };
}

/** The ranges the app gives the Settings screen (the core's limits). */
export const LIMITS = {
  checkIntervalMinutes: { min: 1, max: 1440 },
  concurrency: { min: 1, max: 50 },
  timeoutSeconds: { min: 1, max: 300 },
};

/** An `Ipc` whose every method is a mock; pass overrides for the test's state. */
export function fakeIpc(overrides: Partial<Ipc> = {}) {
  const ipc = {
    appInfo: vi.fn(async () => ({
      version: "0.1.0",
      keychain: "system" as const,
      systemLanguage: "en" as const,
      logFolder: "/home/me/.local/share/com.novabackup.mcp-companion/logs",
      limits: LIMITS,
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
    backups: vi.fn(async () => backupsView()),
    glance: vi.fn(async () => glanceView()),
    copyText: vi.fn(async () => {}),
    onHealthChanged: vi.fn(async () => () => {}),
    onClientsChecked: vi.fn(async () => () => {}),
    onBackupsChanged: vi.fn(async () => () => {}),
    onGlanceChanged: vi.fn(async () => () => {}),
    onShowBackups: vi.fn(async () => () => {}),
    ...overrides,
  } satisfies Ipc;
  return ipc;
}
