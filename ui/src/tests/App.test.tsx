import { describe, expect, it, vi } from "vitest";
import { act, screen } from "@testing-library/react";
import { App } from "../App";
import type { Overview } from "../ipc";
import { fakeIpc, overview, server } from "../test/fakeIpc";
import { renderWith } from "../test/render";

describe("the app window", () => {
  it("opens the guided setup when no server is saved", async () => {
    renderWith(fakeIpc(), <App />);
    expect(await screen.findByRole("heading", { name: "Set up NovaBACKUP MCP Companion" })).toBeInTheDocument();
  });

  it("opens the servers screen with the summary when servers are saved", async () => {
    const ipc = fakeIpc({ overview: vi.fn(async () => overview([server()])) });
    renderWith(ipc, <App />);
    expect(await screen.findByText("1 of 1 servers healthy")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Servers" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("listitem", { name: "Acme MS" })).toBeInTheDocument();
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
    renderWith(ipc, <App />);
    await screen.findByText("1 of 1 servers healthy");
    const down = server({
      health: { state: "unreachable", message: null, detail: null, checkedAt: null, latencyMs: null },
    });
    act(() => push(overview([down], { overall: "all_failing", summary: "Acme MS unreachable" })));
    expect(screen.getByText("Acme MS unreachable")).toBeInTheDocument();
    expect(screen.getByText(/^Cannot reach the server/)).toBeInTheDocument();
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
    await user.click(screen.getByRole("button", { name: "Finish" }));
    expect(await screen.findByRole("tab", { name: "Servers" })).toBeInTheDocument();
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
