import { describe, expect, it, vi } from "vitest";
import { act, screen, within } from "@testing-library/react";
import type { ClientView } from "../ipc";
import { Clients } from "../screens/Clients";
import { client, fakeIpc } from "../test/fakeIpc";
import { renderWith } from "../test/render";

const RESTART_CLAUDE = "Quit Claude from its icon next to the clock, then open it again.";

/** The action buttons of a card (not the "Copy details" inside the disclosure). */
function actions(card: HTMLElement) {
  return within(card.querySelector(".actions") as HTMLElement)
    .getAllByRole("button")
    .map((b) => b.textContent);
}

const code = client({ client: "claude_code", name: "Claude Code", state: "connected", configPath: null });

describe("the Claude screen", () => {
  it("lists Claude Desktop first, each card with its sentence and one action", async () => {
    renderWith(fakeIpc({ clients: vi.fn(async () => [client(), code]) }), <Clients />);
    const cards = await screen.findAllByRole("listitem");
    expect(cards.map((c) => c.getAttribute("aria-label"))).toEqual(["Claude Desktop", "Claude Code"]);
    expect(within(cards[0]).getByText(/^Not connected to Claude\./)).toBeInTheDocument();
    expect(actions(cards[0])).toEqual(["Connect"]);
    expect(within(cards[1]).getByText(/^Connected to Claude\./)).toBeInTheDocument();
    expect(actions(cards[1])).toEqual(["Disconnect"]);
  });

  it("connects Claude Desktop and says exactly how to restart it", async () => {
    const ipc = fakeIpc({
      connectClient: vi.fn(async () => ({
        status: "ok" as const,
        data: client({ state: "connected", needsRestart: true }),
      })),
    });
    const { user } = renderWith(ipc, <Clients />);
    await user.click(await screen.findByRole("button", { name: "Connect" }));
    expect(ipc.connectClient).toHaveBeenCalledWith("claude_desktop");
    expect(await screen.findByText(RESTART_CLAUDE)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Disconnect" })).toBeInTheDocument();
  });

  it("notices when Claude Desktop has been restarted", async () => {
    const waiting = client({ state: "connected", needsRestart: true });
    const clients = vi
      .fn()
      .mockResolvedValueOnce([waiting])
      .mockResolvedValueOnce([waiting])
      .mockResolvedValue([client({ state: "connected", needsRestart: false })]);
    const ipc = fakeIpc({ clients });
    renderWith(ipc, <Clients pollMs={20} />);
    expect(await screen.findByText(RESTART_CLAUDE)).toBeInTheDocument();
    expect(screen.getByText(/Waiting for Claude to restart/)).toBeInTheDocument();
    expect(await screen.findByText("Claude has restarted and can now use NovaBACKUP.")).toBeInTheDocument();
    expect(screen.queryByText(RESTART_CLAUDE)).not.toBeInTheDocument();
    const calls = clients.mock.calls.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(clients.mock.calls.length).toBe(calls); // nothing left to wait for: no more polling
  });

  it("notices the restart from the app's look after a health round too", async () => {
    let push: (clients: ClientView[]) => void = () => {};
    const ipc = fakeIpc({
      clients: vi.fn(async () => [client({ state: "connected", needsRestart: true })]),
      onClientsChecked: vi.fn(async (handler: (clients: ClientView[]) => void) => {
        push = handler;
        return () => {};
      }),
    });
    renderWith(ipc, <Clients pollMs={60_000} />);
    expect(await screen.findByText(RESTART_CLAUDE)).toBeInTheDocument();
    act(() => push([client({ state: "connected", needsRestart: false })]));
    expect(screen.getByText("Claude has restarted and can now use NovaBACKUP.")).toBeInTheDocument();
  });

  it("shows what the app found after a health round: a broken entry to repair", async () => {
    let push: (clients: ClientView[]) => void = () => {};
    const ipc = fakeIpc({
      clients: vi.fn(async () => [client({ state: "connected" })]),
      onClientsChecked: vi.fn(async (handler: (clients: ClientView[]) => void) => {
        push = handler;
        return () => {};
      }),
    });
    renderWith(ipc, <Clients />);
    expect(await screen.findByText(/^Connected to Claude\./)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    act(() => push([client({ state: "broken" })]));
    expect(screen.getByRole("alert")).toHaveTextContent(/start a program that no longer exists/);
    expect(screen.getByRole("button", { name: "Repair" })).toBeInTheDocument();
  });

  it("does not poll when no client waits for a restart", async () => {
    const clients = vi.fn(async () => [client({ state: "connected" })]);
    renderWith(fakeIpc({ clients }), <Clients pollMs={20} />);
    expect(await screen.findByText(/^Connected to Claude\./)).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 100));
    expect(clients).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/has restarted/)).not.toBeInTheDocument();
  });

  it.each([
    ["missing", /went missing from Claude Desktop's settings/],
    ["broken", /start a program that no longer exists/],
  ] as const)("warns when the entry is %s and repairs it with one click", async (state, sentence) => {
    const ipc = fakeIpc({ clients: vi.fn(async () => [client({ state })]) });
    const { user } = renderWith(ipc, <Clients />);
    const warning = await screen.findByRole("alert");
    expect(warning).toHaveTextContent(sentence);
    await user.click(screen.getByRole("button", { name: "Repair" }));
    expect(ipc.connectClient).toHaveBeenCalledWith("claude_desktop");
    expect(await screen.findByText(/^Connected to Claude\./)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("disconnects a client", async () => {
    const ipc = fakeIpc({
      clients: vi.fn(async () => [client({ state: "connected" })]),
      disconnectClient: vi.fn(async () => ({ status: "ok" as const, data: client({ state: "not_connected" }) })),
    });
    const { user } = renderWith(ipc, <Clients />);
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    expect(ipc.disconnectClient).toHaveBeenCalledWith("claude_desktop");
    expect(await screen.findByText(/^Not connected to Claude\./)).toBeInTheDocument();
  });

  it("says a client is not installed and still offers to connect it", async () => {
    renderWith(fakeIpc({ clients: vi.fn(async () => [client({ state: "not_installed" })]) }), <Clients />);
    expect(await screen.findByText(/was not found on this computer/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Connect" })).toBeInTheDocument();
  });

  it("offers nothing to connect when Claude Desktop has NovaBACKUP as an extension", async () => {
    renderWith(fakeIpc({ clients: vi.fn(async () => [client({ state: "extension" })]) }), <Clients />);
    const card = await screen.findByRole("listitem");
    expect(within(card).getByText(/installed in Claude Desktop as an extension/)).toBeInTheDocument();
    expect(card.querySelector(".actions")?.children).toHaveLength(0);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("offers to remove a settings entry next to the extension, which would start a second copy", async () => {
    const ipc = fakeIpc({
      clients: vi.fn(async () => [client({ state: "extension", duplicateEntry: true })]),
      disconnectClient: vi.fn(async () => ({ status: "ok" as const, data: client({ state: "extension" }) })),
    });
    const { user } = renderWith(ipc, <Clients />);
    expect(await screen.findByRole("alert")).toHaveTextContent(/starts it twice/);
    const card = screen.getByRole("listitem");
    expect(actions(card)).toEqual(["Remove the extra entry"]);
    await user.click(screen.getByRole("button", { name: "Remove the extra entry" }));
    expect(ipc.disconnectClient).toHaveBeenCalledWith("claude_desktop");
    expect(ipc.connectClient).not.toHaveBeenCalled();
    await screen.findByText(/installed in Claude Desktop as an extension/);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("explains a failed registration with its details", async () => {
    const ipc = fakeIpc({
      connectClient: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "registration" as const, message: "The file is read-only", detail: null },
      })),
    });
    const { user } = renderWith(ipc, <Clients />);
    await user.click(await screen.findByRole("button", { name: "Connect" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Claude's settings could not be changed.");
    expect(alert).toHaveTextContent("The file is read-only");
  });
});
