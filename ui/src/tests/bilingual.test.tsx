// Every screen in English and in German: the words come from the language's catalogue
// (no English left in German), the flows work in both, and an axe-core scan of each
// state finds no serious or critical violation.
import { afterAll, describe, expect, it, vi } from "vitest";
import { act, screen, within } from "@testing-library/react";
import { App } from "../App";
import { Setup } from "../screens/Setup";
import { Servers } from "../screens/Servers";
import { Clients } from "../screens/Clients";
import { SettingsPanel } from "../screens/SettingsPanel";
import { ServerForm } from "../components/ServerForm";
import type { Language, ServerView } from "../ipc";
import { LANGUAGES } from "../i18n";
import { LIMITS, NOW, SETTINGS, client, fakeIpc, glanceView, overview, server } from "../test/fakeIpc";
import { renderWith } from "../test/render";
import { expectClean as clean, scanFigures, type ScanLog } from "../test/a11y";

// Each axe-core scan takes a few hundred milliseconds in jsdom; a test scans up to five states.
vi.setConfig({ testTimeout: 30_000 });

const results: ScanLog = [];
const expectClean = (name: string, language: Language) => clean(results, name, language);

// The figures for the closing note: violations by impact, per screen and language.
afterAll(() => console.log(scanFigures(results)));

const failing = (label: string): ServerView =>
  server({
    serverId: label.toLowerCase(),
    label,
    health: {
      state: "unreachable",
      message: "Could not reach https://west.example.com: connection refused",
      detail: "kind: unreachable",
      code: "unreachable",
      checkedAt: "2026-11-27T05:00:00Z",
      latencyMs: null,
    },
  });

describe.each(LANGUAGES)("every screen in %s", (language) => {
  const info = {
    version: "0.1.0",
    keychain: "system" as const,
    systemLanguage: language,
    logFolder: "/home/me/logs",
    limits: LIMITS,
  };

  it("the setup: add a server, connect Claude (skipped), the last step, finish", async () => {
    const ipc = fakeIpc({ appInfo: vi.fn(async () => info) });
    const onFinished = vi.fn();
    const { user, t } = renderWith(ipc, <Setup keychain="system" onFinished={onFinished} />, language);
    expect(screen.getByRole("heading", { name: t("setup.title") })).toBeInTheDocument();
    expect(screen.getByLabelText(t("form.password.label"))).toHaveAccessibleDescription(
      t("form.password.hintNew", { in: t("keychain.system.in") }),
    );
    await expectClean("setup: add a server", language);

    await user.click(screen.getByRole("button", { name: t("form.test") }));
    expect(screen.getByLabelText(t("form.name.label"))).toHaveAccessibleDescription(
      new RegExp(`^${t("form.name.missing")}`),
    );
    await expectClean("setup: fields missing", language);

    await user.click(screen.getByRole("button", { name: t("setup.tryDemo") }));
    expect(await screen.findByRole("heading", { name: t("setup.step.connectClaude") })).toBeInTheDocument();
    await expectClean("setup: connect Claude", language);

    await user.click(screen.getByRole("button", { name: t("setup.skip") }));
    expect(await screen.findByRole("heading", { name: t("setup.notConnectedTitle") })).toBeInTheDocument();
    expect(screen.getByText(new RegExp(t("setup.skipped")))).toBeInTheDocument();
    await expectClean("setup: last step, Claude skipped", language);

    await user.click(screen.getByRole("button", { name: t("setup.connectClaude") }));
    expect(await screen.findByRole("heading", { name: t("setup.ready") })).toBeInTheDocument();
    expect(screen.getByText(t("clients.connectedList", { count: 1, names: ["Claude Desktop"] }))).toBeInTheDocument();
    await expectClean("setup: ready", language);
    await user.click(screen.getByRole("button", { name: t("setup.finish") }));
    expect(onFinished).toHaveBeenCalled();
  });

  it("the server form: connected, a certificate problem, a refused save", async () => {
    const ipc = fakeIpc({
      testConnection: vi
        .fn()
        .mockResolvedValueOnce({ status: "ok", data: { agents: 1200, tenants: 1, latencyMs: 80 } })
        .mockResolvedValueOnce({
          status: "error",
          error: { code: "certificate", message: "invalid peer certificate: UnknownIssuer", detail: "kind: tls" },
        }),
    });
    const { user, t } = renderWith(ipc, <ServerForm keychain="windows" onSaved={vi.fn()} />, language);
    await user.type(screen.getByLabelText(t("form.name.label")), "Acme MS");
    await user.type(screen.getByLabelText(t("form.address.label")), "https://acme.example.com/managementserver");
    await user.type(screen.getByLabelText(t("form.username.label")), "tech");
    await user.type(screen.getByLabelText(t("form.password.label")), "s3cret");
    await user.click(screen.getByRole("button", { name: t("form.test") }));
    const connected = await screen.findByText(/^(Connected|Verbunden)\./);
    expect(connected).toHaveTextContent(
      language === "de"
        ? "Verbunden. Sie sehen 1.200 zu sichernde Computer bei 1 Kunden."
        : "Connected. You can see 1,200 computers being backed up across 1 customer.",
    );
    await expectClean("server form: connected", language);
    await user.click(screen.getByRole("button", { name: t("form.test") }));
    expect(await screen.findByText(t("errors.certificate"))).toBeInTheDocument();
    expect(screen.getByRole("button", { name: t("form.trustButton") })).toBeInTheDocument();
    await expectClean("server form: certificate not trusted", language);
  });

  it("the servers: a list, its states, the remove dialog, the empty state", async () => {
    const ipc = fakeIpc();
    const servers = [server(), failing("West MS"), server({ serverId: "demo", label: "Demo", demo: true })];
    const summary = language === "de" ? "2 von 3 Servern in Ordnung" : "2 of 3 servers healthy";
    const { user, t } = renderWith(
      ipc,
      <Servers overview={overview(servers, { summary })} keychain="macos" onChange={vi.fn()} now={NOW} />,
      language,
    );
    expect(screen.getByText(summary)).toBeInTheDocument();
    const acme = screen.getByRole("listitem", { name: "Acme MS" });
    const line = within(acme).getByText(new RegExp(`^${t("health.healthy")} · `));
    expect(line).toHaveTextContent(
      language === "de" ? "In Ordnung · geprüft vor 2 Minuten · 120 ms" : "Healthy · checked 2 minutes ago · 120 ms",
    );
    expect(line).toHaveAttribute("title", expect.stringContaining(language === "de" ? "27.11.2026" : "Nov 27, 2026"));
    const west = screen.getByRole("listitem", { name: "West MS" });
    expect(within(west).getByText(t("errors.unreachable"))).toBeInTheDocument();
    expect(screen.getByText(t("servers.demo"))).toBeInTheDocument();
    await expectClean("servers: list", language);

    await user.click(within(west).getByRole("button", { name: t("servers.remove") }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveTextContent(t("servers.removeText", { from: t("keychain.macos.from") }));
    await expectClean("servers: remove dialog", language);
    await user.keyboard("{Escape}");

    await user.click(screen.getByRole("button", { name: t("servers.add") }));
    expect(screen.getByRole("heading", { name: t("servers.addTitle") })).toBeInTheDocument();
    await expectClean("servers: add form", language);
  });

  it("the servers: the empty state explains a Management Server", async () => {
    const { t } = renderWith(
      fakeIpc(),
      <Servers overview={overview([])} keychain="system" onChange={vi.fn()} now={NOW} />,
      language,
    );
    expect(screen.getByText(t("servers.emptyText"))).toBeInTheDocument();
    await expectClean("servers: empty", language);
  });

  it("Claude: a card for each state, with its one action", async () => {
    const ipc = fakeIpc({
      clients: vi.fn(async () => [
        client({ state: "connected", needsRestart: true }),
        client({ client: "claude_code", name: "Claude Code", state: "missing" }),
        client({ client: "cursor", name: "Cursor", state: "broken" }),
        client({ client: "vs_code", name: "VS Code", state: "not_installed", configPath: null }),
      ]),
    });
    const { t } = renderWith(ipc, <Clients pollMs={60_000} />, language);
    const cards = await screen.findAllByRole("listitem");
    expect(within(cards[0]).getByText(t("clients.state.connected", { name: "Claude Desktop" }))).toBeInTheDocument();
    expect(within(cards[0]).getByText(t("clients.restart"))).toBeInTheDocument();
    expect(within(cards[1]).getByRole("button", { name: t("clients.repair") })).toBeInTheDocument();
    expect(within(cards[3]).getByRole("button", { name: t("clients.connect") })).toBeInTheDocument();
    await expectClean("Claude", language);
  });

  it("Settings: every field named, advanced open, a refused value worded by the app", async () => {
    const ipc = fakeIpc({
      saveSettings: vi.fn(async () => ({
        status: "error" as const,
        // The app words a refused value itself, from the same catalogue.
        error: { code: "invalid_input" as const, message: "—", detail: null },
      })),
    });
    const { user, t } = renderWith(ipc, <SettingsPanel info={info} />, language);
    expect(await screen.findByLabelText(t("settings.interval"))).toHaveValue(5);
    expect(screen.getByLabelText(t("settings.language"))).toHaveValue("system");
    await user.click(screen.getByText(t("settings.advanced")));
    expect(screen.getByLabelText(t("settings.logLevel"))).toHaveDisplayValue(t("settings.level.info"));
    await expectClean("Settings", language);
    await user.click(screen.getByRole("button", { name: t("settings.save") }));
    expect(await screen.findByRole("alert")).toHaveTextContent("—");
  });

  it("the main window: header and tabs", async () => {
    const summary = language === "de" ? "1 von 1 Server in Ordnung" : "1 of 1 server healthy";
    const sentence =
      language === "de"
        ? "1 Kunde braucht Aufmerksamkeit: Acme — 3 fehlgeschlagen"
        : "1 customer needs attention: Acme — 3 failed";
    const ipc = fakeIpc({
      appInfo: vi.fn(async () => info),
      overview: vi.fn(async () => overview([server()], { summary })),
      glance: vi.fn(async () => glanceView("backupsFailing", sentence)),
    });
    const { user, t } = renderWith(ipc, <App />, language);
    expect(within(await screen.findByRole("banner")).getByText(sentence)).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: t("backupsTab.tab") })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByText(t("backupsTab.headline.allOk", { count: 1 }))).toBeInTheDocument();
    await expectClean("main window: backups tab", language);
    await user.click(screen.getByRole("tab", { name: t("tabs.servers") }));
    expect(await screen.findByRole("heading", { name: t("servers.title") })).toBeInTheDocument();
    expect(screen.getByText(summary)).toBeInTheDocument();
    await expectClean("main window: servers tab", language);
    await user.click(screen.getByRole("tab", { name: t("tabs.claude") }));
    expect(await screen.findByRole("heading", { name: t("clients.title") })).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: t("tabs.settings") }));
    expect(await screen.findByRole("heading", { name: t("settings.title") })).toBeInTheDocument();
    await expectClean("main window: settings tab", language);
  });

  it("the main window when the saved servers cannot be read", async () => {
    const ipc = fakeIpc({
      overview: vi.fn(async () => {
        throw new Error("servers.json line 3: expected a string");
      }),
    });
    const { t } = renderWith(ipc, <App />, language);
    expect(await screen.findByRole("alert")).toHaveTextContent(t("app.cannotRead"));
    await expectClean("main window: servers cannot be read", language);
  });
});

describe("the language", () => {
  it("follows the system when the setting says so", async () => {
    const ipc = fakeIpc({
      appInfo: vi.fn(async () => ({ version: "1", keychain: "system" as const, systemLanguage: "de" as const, logFolder: "/l", limits: LIMITS })),
      overview: vi.fn(async () => overview([server()], { summary: "1 von 1 Server in Ordnung" })),
    });
    renderWith(ipc, <App />, "en");
    expect(await screen.findByRole("tab", { name: "Einstellungen" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("de");
  });

  it("is the one chosen in Settings, whatever the system speaks", async () => {
    const ipc = fakeIpc({
      overview: vi.fn(async () => overview([server()])),
      settings: vi.fn(async () => ({ ...SETTINGS, language: "de" as const })),
    });
    renderWith(ipc, <App />, "en");
    expect(await screen.findByRole("tab", { name: "Einstellungen" })).toBeInTheDocument();
  });

  it("changes at once when a new choice is saved in Settings", async () => {
    const ipc = fakeIpc({ overview: vi.fn(async () => overview([server()])) });
    const { user } = renderWith(ipc, <App />, "en");
    await user.click(await screen.findByRole("tab", { name: "Settings" }));
    await user.selectOptions(await screen.findByLabelText("Language"), "de");
    expect(screen.getByRole("option", { name: "Deutsch" })).toHaveAttribute("lang", "de");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(ipc.saveSettings).toHaveBeenCalledWith({ ...SETTINGS, language: "de" });
    expect(await screen.findByRole("heading", { name: "Einstellungen" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Server" })).toBeInTheDocument();
    expect(ipc.appInfo, "the window is not loaded again").toHaveBeenCalledTimes(1);
    expect(screen.getByRole("status")).toHaveTextContent("Gespeichert.");
    expect(document.documentElement.lang).toBe("de");
    // Back to the system's (English here), named with the system's language.
    await user.selectOptions(screen.getByLabelText("Sprache"), "system");
    expect(screen.getByRole("option", { name: "Wie im System (English)" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Einstellungen speichern" }));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
    act(() => undefined);
  });
});
