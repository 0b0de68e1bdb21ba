// The Backups tab: each of its states in English and German (the words from the
// language's catalogue, no English left in German, an axe-core scan with no serious or
// critical violation), the period switch, the question for Claude, and the tray's
// "show this customer".
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, screen, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { App } from "../App";
import { Backups } from "../screens/Backups";
import { tauriIpc, type BackupsView, type Ipc, type Language } from "../ipc";
import { LANGUAGES } from "../i18n";
import { dateTime } from "../i18n/format";
import { questionFor } from "../i18n/backupWords";
import { SETTINGS, backupsView, cause, customer, fakeIpc, overview, run, server, stale } from "../test/fakeIpc";
import { renderWith } from "../test/render";
import { expectClean as clean, scanFigures, type ScanLog } from "../test/a11y";

// Each axe-core scan takes a few hundred milliseconds in jsdom.
vi.setConfig({ testTimeout: 30_000 });

const results: ScanLog = [];
const expectClean = (name: string, language: Language) => clean(results, name, language);
afterAll(() => console.log(scanFigures(results)));
afterEach(async () => {
  // Unmount first, and let the window stop listening while the mocked IPC is still there.
  cleanup();
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
  Reflect.deleteProperty(Element.prototype, "scrollIntoView");
});

/** The tab on its own, showing `view`; the callbacks are spies. */
function show(view: BackupsView | null, language: Language = "en", ipc: Ipc = fakeIpc()) {
  const props = { onFocused: vi.fn(), onAddServer: vi.fn(), onShowServers: vi.fn() };
  const rendered = renderWith(ipc, <Backups view={view} failure={null} focus={null} {...props} />, language);
  return { ...rendered, ...props, ipc };
}

/** The customer's row (its list item), found by its disclosure button. */
function row(name: string): HTMLElement {
  const button = screen.getByRole("button", { name: new RegExp(`^${name}`) });
  return button.closest("li") as HTMLElement;
}

const failingAcme = customer({
  verdict: "failing",
  computersConnected: 4,
  runs: { succeeded: 9, failed: 3, warnings: 1, cancelled: 0, total: 13 },
  failingRunsTotal: 4,
  failingRuns: [
    run(),
    run({ computer: "ACME-SQL", job: "SQL nightly", firstError: "Access is denied to \\\\nas01\\backup" }),
    run({ computer: "ACME-PC3", job: null, startedAt: null, firstError: null }),
  ],
});

const warningContoso = customer({
  key: "acme-ms/t-contoso",
  tenantId: "t-contoso",
  name: "Contoso Law",
  verdict: "warning",
  runs: { succeeded: 6, failed: 0, warnings: 2, cancelled: 1, total: 9 },
  failingRunsTotal: 3,
  failingRuns: [
    run({ computer: "CONTOSO-01", outcome: "warning", firstError: "File skipped: C:\\pagefile.sys is in use" }),
    run({ computer: "CONTOSO-02", outcome: "warning", firstError: null }),
    run({ computer: "CONTOSO-03", outcome: "cancelled", firstError: null }),
  ],
});

const okFabrikam = customer({ key: "west-ms/t-fab", serverId: "west-ms", serverLabel: "West MS", name: "Fabrikam" });

describe.each(LANGUAGES)("the Backups tab in %s", (language) => {
  const de = language === "de";

  it("all ok: a green word per customer, how many backups worked, when it was checked", async () => {
    const { t } = show(backupsView([customer(), okFabrikam]), language);
    expect(screen.getByText(t("backupsTab.headline.allOk", { count: 2 }))).toBeInTheDocument();
    expect(screen.getByText(de ? "Alle Sicherungen erfolgreich bei 2 Kunden" : "All backups worked at 2 customers")).toBeVisible();
    const acme = row("Acme Dental");
    expect(within(acme).getByText(t("backupsTab.verdict.ok"))).toBeInTheDocument();
    expect(acme.querySelector(".dot")).toHaveAttribute("data-tone", "green");
    expect(acme).toHaveTextContent(
      de
        ? "auf Acme MS · 12 Sicherungen erfolgreich · 5 von 5 Computern verbunden"
        : "on Acme MS · 12 backups worked · 5 of 5 computers connected",
    );
    expect(within(row("Fabrikam")).getByText(t("backupsTab.onServer", { server: "West MS" }))).toBeInTheDocument();
    expect(screen.getByText(new RegExp(de ? "Zuletzt geprüft: 27\\.11\\.2026" : "Last checked Nov 27, 2026"))).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    await expectClean("backups: all ok", language);
  });

  it("warnings: an amber word, the counts, and the runs once expanded", async () => {
    const { user, t } = show(backupsView([warningContoso, customer()]), language);
    expect(screen.getByText(t("backupsTab.headline.warnings", { count: 1 }))).toBeInTheDocument();
    const contoso = row("Contoso Law");
    expect(within(contoso).getByText(de ? "Warnungen" : "Warnings", { selector: ".verdict" })).toBeInTheDocument();
    expect(contoso.querySelector(".dot")).toHaveAttribute("data-tone", "amber");
    expect(contoso).toHaveTextContent(de ? "2 Warnungen · 1 abgebrochen · 5 von 5" : "2 warnings · 1 cancelled · 5 of 5");
    await user.click(within(contoso).getByRole("button", { expanded: false }));
    const table = within(contoso).getByRole("table", { name: t("backupsTab.runs.title") });
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(within(table).getByText("File skipped: C:\\pagefile.sys is in use")).toBeInTheDocument();
    expect(within(table).getAllByText(t("backupsTab.runs.outcomeWord.warning"))).toHaveLength(2);
    expect(within(table).getByText(t("backupsTab.runs.outcomeWord.cancelled"))).toBeInTheDocument();
    await expectClean("backups: warnings, expanded", language);
  });

  it("failing: worst first, a red word, the failing runs by keyboard, the causes", async () => {
    const view = backupsView([failingAcme, warningContoso, okFabrikam], {
      causes: [cause(), cause({ cause: "access is denied to #", example: "Access is denied to \\\\nas01\\backup", runs: 1, computers: 1, customers: 1 })],
    });
    const { user, t } = show(view, language);
    expect(screen.getByText(t("backupsTab.headline.attention", { count: 1 }))).toBeInTheDocument();
    const names = within(screen.getByRole("list", { name: t("backupsTab.customers") }))
      .getAllByRole("button", { expanded: false })
      .map((b) => b.querySelector(".customer-name")?.textContent);
    expect(names).toEqual(["Acme Dental", "Contoso Law", "Fabrikam"]);
    const acme = row("Acme Dental");
    expect(within(acme).getByText(de ? "Handlungsbedarf" : "Needs attention")).toBeInTheDocument();
    expect(acme.querySelector(".dot")).toHaveAttribute("data-tone", "red");
    expect(acme).toHaveTextContent(
      de ? "3 fehlgeschlagen · 1 Warnung · 4 von 5 Computern verbunden" : "3 failed · 1 warning · 4 of 5 computers connected",
    );
    expect(within(acme).queryByRole("table")).not.toBeInTheDocument();

    // The disclosure works from the keyboard: Tab to it, Enter opens, Space closes.
    const disclosure = within(acme).getByRole("button", { expanded: false });
    for (let presses = 0; presses < 30 && document.activeElement !== disclosure; presses++) await user.tab();
    expect(disclosure).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(disclosure).toHaveAttribute("aria-expanded", "true");
    const table = within(acme).getByRole("table", { name: t("backupsTab.runs.title") });
    const [, first, second, third] = within(table).getAllByRole("row");
    expect(first).toHaveTextContent("ACME-FS01");
    expect(first).toHaveTextContent("Nightly files");
    expect(first).toHaveTextContent(dateTime(language, "2026-11-27T02:00:00Z"));
    expect(first).toHaveTextContent(de ? "27.11.2026" : "Nov 27, 2026");
    expect(first).toHaveTextContent(de ? "Fehlgeschlagen" : "Failed");
    expect(first).toHaveTextContent("VSS snapshot could not be created (0x8004230F)");
    expect(second).toHaveTextContent("Access is denied to \\\\nas01\\backup");
    expect(within(third).getAllByText(t("backupsTab.notKnown"))).toHaveLength(3);
    expect(within(acme).getByText(de ? "Aufgeführt sind die neuesten 3 von 4." : "The newest 3 of 4 are listed.")).toBeInTheDocument();

    const causes = screen.getByRole("region", { name: t("backupsTab.causes.title") });
    const [top] = within(causes).getAllByRole("listitem");
    expect(top).toHaveTextContent("VSS snapshot could not be created (0x8004230F)");
    expect(top).toHaveTextContent(de ? "4 Sicherungen auf 3 Computern bei 2 Kunden" : "4 backups on 3 computers at 2 customers");
    expect(within(causes).getByText(de ? "1 Sicherung auf 1 Computer bei 1 Kunden" : "1 backup on 1 computer at 1 customer")).toBeVisible();
    await expectClean("backups: failing, expanded, causes", language);

    await user.keyboard(" ");
    expect(disclosure).toHaveAttribute("aria-expanded", "false");
    expect(within(acme).queryByRole("table")).not.toBeInTheDocument();
  });

  it("stale: the computers not backed up, their last success or never or not known, and for how long", async () => {
    const staleAcme = customer({
      verdict: "failing",
      staleComputers: [
        stale(),
        stale({ computer: "ACME-NEW", lastSuccess: null, lastSuccessChecked: true, hoursSinceSuccess: null }),
        stale({ computer: "ACME-OLD", lastSuccess: null, lastSuccessChecked: false, hoursSinceSuccess: null }),
      ],
    });
    const { user, t } = show(backupsView([staleAcme]), language);
    const acme = row("Acme Dental");
    expect(acme).toHaveTextContent(
      de ? "3 Computer seit 4 Tagen nicht gesichert · 5 von 5" : "3 computers not backed up for 4 days · 5 of 5",
    );
    await user.click(within(acme).getByRole("button", { expanded: false }));
    const table = within(acme).getByRole("table", { name: t("backupsTab.stale.title", { count: 72 }) });
    expect(table).toHaveAccessibleName(
      de ? "Computer, die seit 72 Stunden oder länger nicht gesichert wurden" : "Computers not backed up for 72 hours or more",
    );
    const [, laptop, fresh, unknown] = within(table).getAllByRole("row");
    expect(laptop).toHaveTextContent(`ACME-LAPTOP7${dateTime(language, "2026-11-23T01:00:00Z")}${de ? "4 Tagen" : "4 days"}`);
    expect(laptop).toHaveTextContent(de ? "23.11.2026" : "Nov 23, 2026");
    expect(fresh).toHaveTextContent(`ACME-NEW${t("backupsTab.stale.never")}${t("backupsTab.stale.noSuccessYet")}`);
    expect(unknown).toHaveTextContent(`ACME-OLD${t("backupsTab.notKnown")}${t("backupsTab.notKnown")}`);
    const question = questionFor(t, language, staleAcme, "day").split("\n");
    expect(question).toContain(`- ${t("backupsTab.question.stale", { computer: "ACME-LAPTOP7", duration: t("backups.days", { count: 4 }) })}`);
    expect(question).toContain(
      de ? "- ACME-NEW: noch keine erfolgreiche Sicherung" : "- ACME-NEW: no successful backup yet",
    );
    expect(question).toContain(`- ${t("backupsTab.question.staleUnknown", { computer: "ACME-OLD" })}`);
    expect(within(acme).queryByRole("table", { name: t("backupsTab.runs.title") })).not.toBeInTheDocument();
    await expectClean("backups: stale computers, expanded", language);
  });

  it("a server down: says it did not answer, once, and offers the servers", async () => {
    const view = backupsView([customer()], {
      unanswered: ["West MS"],
      complete: false,
      gaps: [{ kind: "server_failed", serverLabel: "West MS", serverLeftOut: true, detail: "west-ms did not answer, so its customers are missing" }],
    });
    const { user, t, onShowServers } = show(view, language);
    const sentence = de
      ? "West MS hat nicht geantwortet; die Kunden dieses Servers fehlen hier."
      : "West MS did not answer; its customers are not included.";
    expect(screen.getAllByText(sentence)).toHaveLength(1);
    expect(screen.queryByText(t("backupsTab.incomplete"))).not.toBeInTheDocument();
    await expectClean("backups: a server did not answer", language);
    await user.click(screen.getByRole("button", { name: t("backupsTab.showServers") }));
    expect(onShowServers).toHaveBeenCalledTimes(1);
  });

  it("the only server down: no customers to show, not 'no customers yet'", () => {
    const view = backupsView([], {
      unanswered: ["West MS"],
      complete: false,
      gaps: [{ kind: "server_failed", serverLabel: "West MS", serverLeftOut: true, detail: "west-ms did not answer" }],
    });
    const { t } = show(view, language);
    expect(screen.getByText(t("backupsTab.noneAnswered"))).toBeInTheDocument();
    expect(screen.queryByText(t("backupsTab.noCustomers"))).not.toBeInTheDocument();
  });

  it("the only server refused the password: says so, with what to do, not 'no customers yet'", async () => {
    const view = backupsView([], {
      complete: false,
      gaps: [{ kind: "password_refused", serverLabel: "West MS", serverLeftOut: true, detail: "west-ms refused the saved password" }],
    });
    const { t } = show(view, language);
    expect(screen.getByText(t("backupsTab.noneAnswered"))).toBeInTheDocument();
    expect(screen.queryByText(t("backupsTab.noCustomers"))).not.toBeInTheDocument();
    expect(
      screen.getByText(
        de
          ? "West MS hat den gespeicherten Benutzernamen oder das Passwort nicht angenommen, deshalb fehlen die Kunden dieses Servers. Wählen Sie auf der Registerkarte „Server“ die Schaltfläche „Bearbeiten“ und geben Sie das Passwort erneut ein."
          : "West MS did not accept the saved username or password, so its customers are not included. Choose Edit on the Servers tab and enter the password again.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(t("backupsTab.unanswered", { label: "West MS" }))).not.toBeInTheDocument();
    await expectClean("backups: a server refused the password", language);
  });

  it("empty: no server saved, says so and offers to add one", async () => {
    const { user, t, onAddServer } = show(backupsView([], { state: "notSetUp", checkedAt: null }), language);
    expect(screen.getByText(t("servers.emptyTitle"))).toBeInTheDocument();
    expect(screen.getByText(t("backupsTab.emptyText"))).toBeInTheDocument();
    expect(screen.queryByRole("radio")).not.toBeInTheDocument();
    await expectClean("backups: no server", language);
    await user.click(screen.getByRole("button", { name: t("servers.add") }));
    expect(onAddServer).toHaveBeenCalledTimes(1);
  });

  it("checking: servers saved, no digest yet", async () => {
    const { t } = show(backupsView([], { state: "checking", checkedAt: null }), language);
    expect(screen.getByText(t("backupsTab.checking")).closest("[role=status]")).not.toBeNull();
    expect(screen.queryByText(t("backupsTab.noCustomers"))).not.toBeInTheDocument();
    await expectClean("backups: checking", language);
  });

  it("incomplete: each gap in plain words, a generic sentence for a kind it does not know, the detail for support", async () => {
    const gap = (kind: string, serverLabel: string | null = "Acme MS", serverLeftOut = false) => ({
      kind,
      serverLabel,
      serverLeftOut,
      detail: `${kind}: detail`,
    });
    const view = backupsView([failingAcme], {
      complete: false,
      gaps: [
        gap("logs_not_read"),
        gap("last_success_not_checked"),
        gap("rows_capped"),
        gap("no_credentials", "North MS", true),
        gap("password_refused", "East MS", true),
        gap("certificate_not_trusted", "West MS", true),
        gap("password_store_unavailable", "Central MS", true),
        gap("server_not_answering", "South MS", true),
        gap("something_new"),
        gap("something_new", null),
      ],
    });
    const { user, t } = show(view, language);
    const note = screen.getByText(t("backupsTab.incomplete")).closest(".note") as HTMLElement;
    const items = within(note).getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual([
      t("backupsTab.gap.logsNotRead", { label: "Acme MS" }),
      t("backupsTab.gap.lastSuccessNotChecked", { label: "Acme MS" }),
      t("backupsTab.gap.capped", { label: "Acme MS" }),
      t("backupsTab.gap.noCredentials", { label: "North MS" }),
      t("backupsTab.gap.passwordRefused", { label: "East MS" }),
      t("backupsTab.gap.certificateNotTrusted", { label: "West MS" }),
      t("backupsTab.gap.passwordStoreUnavailable", { label: "Central MS" }),
      t("backupsTab.unanswered", { label: "South MS" }),
      t("backupsTab.gap.other", { label: "Acme MS" }),
      t("backupsTab.gap.otherNoServer"),
    ]);
    expect(items[0]).toBe(
      de
        ? "Nicht alle Protokolle fehlgeschlagener Sicherungen auf Acme MS wurden gelesen; einige Fehlerzeilen und Ursachen fehlen daher."
        : "Not every log of a failed backup on Acme MS was read, so some first error lines and causes are missing.",
    );
    await user.click(within(note).getByText(t("details.summary")));
    expect(within(note).getByText(/logs_not_read: detail/)).toBeVisible();
    await expectClean("backups: incomplete", language);
  });

  it("copy: puts a question about the customer on the clipboard and says Copied", async () => {
    // The clipboard is the official plugin's, reached through Tauri's IPC; no Tauri
    // runs under jsdom, so its IPC is mocked at that boundary (as `mockIPC` is meant
    // for) and the real `tauriIpc.copyText` and plugin code run above it.
    const written: unknown[] = [];
    mockIPC((command, args) => {
      if (command === "plugin:clipboard-manager|write_text") written.push((args as { text: string }).text);
      else throw new Error(`unexpected command ${command}`);
    });
    const ipc = fakeIpc({ copyText: tauriIpc.copyText });
    const { user, t } = show(backupsView([failingAcme, okFabrikam], { window: "week" }), language, ipc);
    const acme = row("Acme Dental");
    const copy = within(acme).getByRole("button", { name: t("backupsTab.copy") });
    expect(copy).toHaveAccessibleDescription("Acme Dental");
    await user.click(copy);
    expect(await within(acme).findByRole("status")).toHaveTextContent(t("backupsTab.copied"));
    expect(written).toHaveLength(1);
    const question = written[0] as string;
    expect(question).toContain("Acme Dental");
    expect(question).toContain("Acme MS");
    expect(question).toContain(de ? "in den letzten 7 Tagen" : "in the last 7 days");
    expect(question).toContain(de ? "3 fehlgeschlagen, 1 Warnung" : "3 failed, 1 warning");
    expect(question).toContain(de ? "- ACME-FS01, Job Nightly files, gestartet " : "- ACME-FS01, job Nightly files, started ");
    expect(question).toContain(
      de
        ? ": fehlgeschlagen; erste Fehlerzeile: VSS snapshot could not be created (0x8004230F)"
        : ": failed; first error line: VSS snapshot could not be created (0x8004230F)",
    );
    expect(question).toContain(de ? "- ACME-PC3, gestartet " : "- ACME-PC3, started "); // no job name: none said
    expect(question).toContain("get_backup_health");
    expect(question).toContain(t("backupsTab.question.askProblems"));
    expect(question.startsWith(
      de
        ? "Bei meinem NovaBACKUP-Kunden Acme Dental auf dem Management Server Acme MS gibt es in den letzten 7 Tagen Probleme"
        : "My NovaBACKUP customer Acme Dental on the Management Server Acme MS has backup problems in the last 7 days",
    )).toBe(true);
    await expectClean("backups: question copied", language);

    // A customer whose backups worked gets a question of its own kind.
    await user.click(within(row("Fabrikam")).getByRole("button", { name: t("backupsTab.copy") }));
    expect(written[1]).toBe(
      [
        t("backupsTab.question.fine", { name: "Fabrikam", server: "West MS", period: t("backupsTab.period.week") }),
        t("backupsTab.question.askFine"),
      ].join("\n\n"),
    );
  });
});

describe("the Backups tab", () => {
  it("shows the question to copy by hand when the clipboard refuses", async () => {
    // The plugin's IPC, mocked at the Tauri boundary (see above), refuses the write.
    mockIPC(() => {
      throw new Error("clipboard not available");
    });
    const { user } = show(backupsView([failingAcme]), "en", fakeIpc({ copyText: tauriIpc.copyText }));
    await user.click(screen.getByRole("button", { name: "Copy a question for Claude", description: "Acme Dental" }));
    expect(await screen.findByText("The question could not be copied. Select it below and copy it yourself.")).toBeInTheDocument();
    expect(screen.getByText(/^My NovaBACKUP customer Acme Dental/)).toBeInTheDocument();
  });

  it("switches the period: saves backupWindow with the other settings as they are, then shows the new view", async () => {
    const current = { ...SETTINGS, checkIntervalMinutes: 15, language: "de" as const, backupNotifications: false };
    const ipc = fakeIpc({ settings: vi.fn(async () => current) });
    const { user, rerender } = show(backupsView([customer()]), "en", ipc);
    const day = screen.getByRole("radio", { name: "Last 24 hours" });
    const week = screen.getByRole("radio", { name: "Last 7 days" });
    expect(day).toBeChecked();
    expect(screen.getByRole("group", { name: "Period" })).toBeInTheDocument();
    await user.click(week);
    await vi.waitFor(() => expect(ipc.saveSettings).toHaveBeenCalledWith({ ...current, backupWindow: "week" }));
    expect(week).toBeChecked();
    expect(screen.getByText("Checking the backups of the new period…")).toBeInTheDocument();
    // The app's next round sends the view of the new period.
    rerender(
      <Backups
        view={backupsView([customer()], { window: "week" })}
        failure={null}
        focus={null}
        onFocused={vi.fn()}
        onAddServer={vi.fn()}
        onShowServers={vi.fn()}
      />,
    );
    expect(screen.getByRole("radio", { name: "Last 7 days" })).toBeChecked();
    expect(screen.queryByText("Checking the backups of the new period…")).not.toBeInTheDocument();
  });

  it("keeps the period shown when saving the new one fails, and says why", async () => {
    const ipc = fakeIpc({
      saveSettings: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "profiles" as const, message: "settings.json: permission denied", detail: null },
      })),
    });
    const { user } = show(backupsView([customer()]), "en", ipc);
    await user.click(screen.getByRole("radio", { name: "Last 7 days" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("could not be read or written");
    expect(screen.getByRole("radio", { name: "Last 24 hours" })).toBeChecked();
  });

  it("says so when the view cannot be read, with the detail", () => {
    const props = { onFocused: vi.fn(), onAddServer: vi.fn(), onShowServers: vi.fn() };
    renderWith(fakeIpc(), <Backups view={null} failure="backups: the app is shutting down" focus={null} {...props} />);
    expect(screen.getByRole("alert")).toHaveTextContent("The backups could not be read.");
    expect(screen.getByText("backups: the app is shutting down")).toBeInTheDocument();
  });
});

describe("the Backups tab in the window", () => {
  const servers = () => overview([server()]);
  const view = backupsView([failingAcme, warningContoso, okFabrikam]);

  it("opens the customer the tray asks for: switches to the tab, expands it, scrolls to and focuses it", async () => {
    // The app's events come through Tauri's event API, mocked at its IPC boundary:
    // the real `tauriIpc.onShowBackups` listens, `emit` stands in for the app.
    mockIPC(() => undefined, { shouldMockEvents: true });
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled; // jsdom has no layout, so no scrolling of its own
    const ipc = fakeIpc({
      overview: vi.fn(async () => servers()),
      backups: vi.fn(async () => view),
      onShowBackups: tauriIpc.onShowBackups,
    });
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("tab", { name: "Settings" }));
    await screen.findByRole("heading", { name: "Settings" });
    await act(() => emit("show-backups", { customer: "acme-ms/t-contoso" }));
    expect(screen.getByRole("tab", { name: "Backups" })).toHaveAttribute("aria-selected", "true");
    const contoso = await screen.findByRole("button", { name: /^Contoso Law/, expanded: true });
    expect(contoso).toHaveFocus();
    expect(scrolled).toHaveBeenCalledTimes(1);
    expect(scrolled.mock.contexts[0]).toBe(contoso);
    expect(within(contoso.closest("li") as HTMLElement).getByRole("table")).toHaveTextContent("CONTOSO-01");
    expect(screen.getByRole("button", { name: /^Acme Dental/ })).toHaveAttribute("aria-expanded", "false");
    // Shown once: leaving the tab and coming back does not pull focus again.
    await user.click(screen.getByRole("tab", { name: "Servers" }));
    await user.click(screen.getByRole("tab", { name: "Backups" }));
    expect(scrolled).toHaveBeenCalledTimes(1);
    // Without a customer, the tray only asks for the tab.
    await user.click(screen.getByRole("tab", { name: "Claude" }));
    await act(() => emit("show-backups", { customer: null }));
    expect(screen.getByRole("tab", { name: "Backups" })).toHaveAttribute("aria-selected", "true");
  });

  it("asked for a customer not in the view, shows the tab and does not jump to it later", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    const ipc = fakeIpc({
      overview: vi.fn(async () => servers()),
      backups: vi.fn(async () => backupsView([customer()])),
      onShowBackups: tauriIpc.onShowBackups,
      onBackupsChanged: tauriIpc.onBackupsChanged,
    });
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("tab", { name: "Claude" }));
    await act(() => emit("show-backups", { customer: "acme-ms/t-contoso" }));
    expect(screen.getByRole("tab", { name: "Backups" })).toHaveAttribute("aria-selected", "true");
    await act(() => emit("backups-changed", { backups: view }));
    expect(screen.getByRole("button", { name: /^Contoso Law/ })).toHaveAttribute("aria-expanded", "false");
    expect(scrolled).not.toHaveBeenCalled();
  });

  it("follows the app's backupsChanged events", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const ipc = fakeIpc({
      overview: vi.fn(async () => servers()),
      backups: vi.fn(async () => backupsView([], { state: "checking", checkedAt: null })),
      onBackupsChanged: tauriIpc.onBackupsChanged,
    });
    renderWith(ipc, <App />);
    expect(await screen.findByText(/^Checking your customers' backups/)).toBeInTheDocument();
    await act(() => emit("backups-changed", { backups: view }));
    expect(screen.getByText("1 customer needs attention")).toBeInTheDocument();
    expect(screen.queryByText(/^Checking your customers' backups/)).not.toBeInTheDocument();
    await act(() => emit("backups-changed", { backups: backupsView([customer()]) }));
    expect(within(screen.getByRole("tabpanel")).getByText("All backups worked at 1 customer")).toBeInTheDocument();
  });

  it("reads the view again when the tab is chosen (servers may have been removed since the last round)", async () => {
    const ipc = fakeIpc({ overview: vi.fn(async () => servers()), backups: vi.fn(async () => view) });
    const { user } = renderWith(ipc, <App />);
    expect(await screen.findByText("1 customer needs attention")).toBeInTheDocument();
    vi.mocked(ipc.backups).mockResolvedValue(backupsView([], { state: "notSetUp", checkedAt: null }));
    await user.click(screen.getByRole("tab", { name: "Servers" }));
    await user.click(screen.getByRole("tab", { name: "Backups" }));
    expect(await screen.findByText("No Management Server yet.")).toBeInTheDocument();
    expect(ipc.backups).toHaveBeenCalledTimes(2);
  });

  it("from the empty state, opens the Servers tab at its add form", async () => {
    const ipc = fakeIpc({
      overview: vi.fn(async () => servers()),
      backups: vi.fn(async () => backupsView([], { state: "notSetUp", checkedAt: null })),
    });
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("button", { name: "Add a server" }));
    expect(screen.getByRole("tab", { name: "Servers" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("heading", { name: "Add a Management Server" })).toBeInTheDocument();
  });
});
