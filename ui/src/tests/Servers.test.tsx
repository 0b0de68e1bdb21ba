import { describe, expect, it, vi } from "vitest";
import { act, screen, within } from "@testing-library/react";
import { Servers } from "../screens/Servers";
import type { Overview } from "../ipc";
import { NOW, fakeIpc, overview, server } from "../test/fakeIpc";
import { renderWith } from "../test/render";

const failing = server({
  serverId: "west",
  label: "West MS",
  health: {
    state: "unreachable",
    message: 'Could not reach https://west.example.com. Check the address, including "/managementserver" at the end.',
    detail: "kind: unreachable",
    code: "unreachable",
    checkedAt: "2026-11-27T05:00:00Z",
    latencyMs: 5000,
  },
});

function show(servers = [server(), failing], ipc = fakeIpc()) {
  const onChange = vi.fn();
  const view = renderWith(
    ipc,
    <Servers overview={overview(servers)} keychain="system" onChange={onChange} now={NOW} />,
  );
  return { ipc, onChange, ...view };
}

describe("the servers screen", () => {
  it("explains what a Management Server is when there is none, and offers Add", () => {
    show([]);
    expect(screen.getByText(/A Management Server is where NovaBACKUP keeps your customers/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add a server" })).toBeInTheDocument();
  });

  it("shows each server with a coloured dot, a word, when it was checked and its latency", () => {
    show();
    const acme = screen.getByRole("listitem", { name: "Acme MS" });
    expect(within(acme).getByText("Healthy · checked 2 minutes ago · 120 ms")).toBeInTheDocument();
    expect(acme.querySelector(".dot")).toHaveAttribute("data-tone", "green");
    const west = screen.getByRole("listitem", { name: "West MS" });
    expect(within(west).getByText("Cannot reach the server · checked 1 hour ago")).toBeInTheDocument();
    // What went wrong in words of the catalogue (by its code), the server's own
    // message behind Details for support.
    expect(
      within(west).getByText('Could not reach the server. Check the address, including "/managementserver" at the end.'),
    ).toBeInTheDocument();
    expect(within(west).getByText(/Could not reach https:\/\/west\.example\.com/).closest("details")).not.toBeNull();
    expect(west.querySelector(".dot")).toHaveAttribute("data-tone", "red");
  });

  it.each([
    ["wrong_password", "Wrong username or password"],
    ["certificate", "Certificate problem"],
    ["other", "Not working"],
    ["checking", "Checking…"],
    ["not_checked", "Not checked yet"],
  ] as const)("names the %s state in words", (state, word) => {
    show([server({ health: { state, message: null, detail: null, code: null, checkedAt: null, latencyMs: null } })]);
    expect(screen.getByText(word)).toBeInTheDocument();
  });

  it("says a server not checked yet is not being checked", () => {
    show([server({ health: { state: "not_checked", message: null, detail: null, code: null, checkedAt: null, latencyMs: null } })]);
    const row = screen.getByRole("listitem", { name: "Acme MS" });
    expect(within(row).getByText("Not checked yet")).toBeInTheDocument();
    expect(screen.queryByText(/Checking/)).not.toBeInTheDocument();
    expect(row.querySelector(".dot")).toHaveAttribute("data-tone", "grey");
  });

  it("shows Checking… on a row only while its check runs", async () => {
    let answer: (o: Overview) => void = () => {};
    const ipc = fakeIpc({ checkNow: vi.fn(() => new Promise<Overview>((resolve) => (answer = resolve))) });
    const { user } = show([server()], ipc);
    const row = screen.getByRole("listitem", { name: "Acme MS" });
    expect(within(row).queryByText(/Checking/)).not.toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Check now" }));
    expect(within(row).getByText(/^Checking…/)).toBeInTheDocument();
    await act(async () => answer(overview([server()])));
    expect(within(row).queryByText(/Checking/)).not.toBeInTheDocument();
    expect(within(row).getByText(/^Healthy/)).toBeInTheDocument();
  });

  it("marks the demo server as demo data", () => {
    show([server({ label: "Demo Management Server (sample data)", demo: true })]);
    expect(screen.getByText("Demo data")).toBeInTheDocument();
  });

  it("checks one server now and shows the new state", async () => {
    const { user, ipc, onChange } = show();
    const west = screen.getByRole("listitem", { name: "West MS" });
    await user.click(within(west).getByRole("button", { name: "Check now" }));
    expect(ipc.checkNow).toHaveBeenCalledWith("west");
    expect(onChange).toHaveBeenCalledWith(overview([server()]));
  });

  it("removes a server only after confirming, saying the password is deleted too", async () => {
    const { user, ipc } = show();
    const west = screen.getByRole("listitem", { name: "West MS" });
    await user.click(within(west).getByRole("button", { name: "Remove" }));
    const dialog = screen.getByRole("alertdialog", { name: "Remove West MS?" });
    expect(dialog).toHaveTextContent("its password is deleted from your system keyring");
    expect(ipc.removeServer).not.toHaveBeenCalled();
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Remove" }));
    expect(ipc.removeServer).toHaveBeenCalledWith("west");
    expect(ipc.overview).toHaveBeenCalled();
  });

  it("cancels a removal with Escape", async () => {
    const { user, ipc } = show();
    await user.click(within(screen.getByRole("listitem", { name: "Acme MS" })).getByRole("button", { name: "Remove" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(ipc.removeServer).not.toHaveBeenCalled();
  });

  it("opens the form to edit a server and returns to the list after saving, the app checking it", async () => {
    const checking = server({ health: { ...server().health, state: "checking" } });
    const ipc = fakeIpc({ overview: vi.fn(async () => overview([checking, failing])) });
    const { user, onChange } = show([server(), failing], ipc);
    await user.click(within(screen.getByRole("listitem", { name: "Acme MS" })).getByRole("button", { name: "Edit" }));
    expect(screen.getByRole("heading", { name: "Edit Acme MS" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("heading", { name: "Management Servers" })).toBeInTheDocument();
    expect(ipc.saveServer).toHaveBeenCalledTimes(1);
    // The app checks the saved server by itself: no second round is asked for.
    expect(ipc.checkNow).not.toHaveBeenCalled();
    expect(onChange).toHaveBeenCalledWith(overview([checking, failing]));
  });

  it("adds a server from the list", async () => {
    const { user } = show();
    await user.click(screen.getByRole("button", { name: "Add a server" }));
    expect(screen.getByRole("form", { name: "Add server" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("list", { name: "Saved servers" })).toBeInTheDocument();
  });
});
