import { describe, expect, it, vi } from "vitest";
import { act, screen, within } from "@testing-library/react";
import { App } from "../App";
import type { GlanceView, Overview } from "../ipc";
import { fakeIpc, glanceView, overview, server } from "../test/fakeIpc";
import { renderWith } from "../test/render";

describe("the app window", () => {
  it("opens the guided setup when no server is saved", async () => {
    renderWith(fakeIpc(), <App />);
    expect(await screen.findByRole("heading", { name: "Set up NovaBACKUP MCP Companion" })).toBeInTheDocument();
  });

  it("opens at the Backups tab, the first, with the tray's sentence when servers are saved", async () => {
    const ipc = fakeIpc({ overview: vi.fn(async () => overview([server()])) });
    const { user } = renderWith(ipc, <App />);
    const header = await screen.findByRole("banner");
    expect(within(header).getByText("All backups worked at 1 customer")).toBeInTheDocument();
    const tabs = screen.getAllByRole("tab");
    expect(tabs.map((tab) => tab.textContent)).toEqual(["Backups", "Servers", "Claude", "Settings"]);
    expect(tabs[0]).toHaveAttribute("aria-selected", "true");
    expect(await within(screen.getByRole("tabpanel")).findByText("All backups worked at 1 customer")).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Servers" }));
    expect(screen.getByText("1 of 1 servers healthy")).toBeInTheDocument();
    expect(screen.getByRole("listitem", { name: "Acme MS" })).toBeInTheDocument();
  });

  it("says in its header what the tray says, failing backups too, and follows it", async () => {
    let push: (g: GlanceView) => void = () => {};
    const failing = "1 customer needs attention: Contoso Law — 3 failed";
    const ipc = fakeIpc({
      overview: vi.fn(async () => overview([server()])),
      glance: vi.fn(async () => glanceView("backupsFailing", failing)),
      onGlanceChanged: vi.fn(async (handler: (g: GlanceView) => void) => {
        push = handler;
        return () => {};
      }),
    });
    renderWith(ipc, <App />);
    const header = await screen.findByRole("banner");
    const line = within(header).getByText(failing);
    expect(line.querySelector(".dot")).toHaveAttribute("data-tone", "red");
    expect(within(header).queryByText("1 of 1 servers healthy")).not.toBeInTheDocument();
    act(() => push(glanceView("serverDown", "Acme MS unreachable")));
    expect(within(header).getByText("Acme MS unreachable")).toBeInTheDocument();
    act(() => push(glanceView("allWell", "All backups worked at 1 customer")));
    expect(within(header).getByText("All backups worked at 1 customer").querySelector(".dot")).toHaveAttribute(
      "data-tone",
      "green",
    );
  });

  it("follows the health events of the app", async () => {
    let push: (o: Overview) => void = () => {};
    const ipc = fakeIpc({
      overview: vi.fn(async () => overview([server()])),
      onHealthChanged: vi.fn(async (handler: (o: Overview) => void) => {
        push = handler;
        return () => {};
      }),
    });
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("tab", { name: "Servers" }));
    expect(screen.getByText("1 of 1 servers healthy")).toBeInTheDocument();
    const down = server({
      health: { state: "unreachable", message: null, detail: null, code: null, checkedAt: null, latencyMs: null },
    });
    act(() => push(overview([down], { overall: "all_failing", summary: "Acme MS unreachable" })));
    expect(screen.getByText("Acme MS unreachable")).toBeInTheDocument();
    expect(screen.getByText(/^Cannot reach the server/)).toBeInTheDocument();
  });

  it("shows a newly added server being checked at once, then its outcome, without Check now", async () => {
    let push: (o: Overview) => void = () => {};
    const added = server({ serverId: "west", label: "West MS" });
    const checking = { ...added, health: { ...added.health, state: "checking" as const, checkedAt: null } };
    const ipc = fakeIpc({
      overview: vi.fn(async () => overview([server()])),
      saveServer: vi.fn(async () => ({ status: "ok" as const, data: checking })),
      onHealthChanged: vi.fn(async (handler: (o: Overview) => void) => {
        push = handler;
        return () => {};
      }),
    });
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("tab", { name: "Servers" }));
    await user.click(await screen.findByRole("button", { name: "Add a server" }));
    await user.type(screen.getByLabelText("Name"), "West MS");
    await user.type(screen.getByLabelText("Management Server address"), "https://west.example.com/managementserver");
    await user.type(screen.getByLabelText("Username"), "tech");
    await user.type(screen.getByLabelText("Password"), "s3cret");
    vi.mocked(ipc.overview).mockResolvedValue(
      overview([server(), checking], { overall: "checking", summary: "checking servers…" }),
    );
    await user.click(screen.getByRole("button", { name: "Save" }));
    const row = await screen.findByRole("listitem", { name: "West MS" });
    expect(within(row).getByText("Checking…")).toBeInTheDocument();
    expect(screen.getByText("checking servers…")).toBeInTheDocument();
    // The app's check ends and it says so: the row shows the outcome.
    act(() => push(overview([server(), added])));
    expect(within(screen.getByRole("listitem", { name: "West MS" })).getByText(/^Healthy · checked/)).toBeInTheDocument();
    expect(screen.queryByText(/Checking/)).not.toBeInTheDocument();
    expect(ipc.checkNow).not.toHaveBeenCalled();
  });

  it("switches between the Servers, Claude and Settings sections", async () => {
    const ipc = fakeIpc({ overview: vi.fn(async () => overview([server()])) });
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("tab", { name: "Claude" }));
    expect(await screen.findByRole("heading", { name: "Claude" })).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Settings" }));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
  });

  it("goes from the setup to the main window when finished", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <App />);
    await user.click(await screen.findByRole("button", { name: "Try with demo data" }));
    await user.click(await screen.findByRole("button", { name: "Skip for now" }));
    vi.mocked(ipc.overview).mockResolvedValue(overview([server({ demo: true })]));
    await user.click(await screen.findByRole("button", { name: "Finish" }));
    expect(await screen.findByRole("tab", { name: "Backups" })).toHaveAttribute("aria-selected", "true");
    await user.click(screen.getByRole("tab", { name: "Servers" }));
    expect(screen.getByText("Demo data")).toBeInTheDocument();
  });

  it("says so when the saved servers cannot be read", async () => {
    const ipc = fakeIpc({
      overview: vi.fn(async () => {
        throw new Error("servers.json line 3: expected a string");
      }),
    });
    renderWith(ipc, <App />);
    expect(await screen.findByRole("alert")).toHaveTextContent("could not read your saved servers");
    expect(screen.getByText(/servers.json line 3/)).toBeInTheDocument();
  });
});
