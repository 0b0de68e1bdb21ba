import { describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { ServerForm } from "../components/ServerForm";
import type { CommandError, ErrorCode } from "../ipc";
import { fakeIpc, server } from "../test/fakeIpc";
import { renderWith } from "../test/render";

function failure(code: ErrorCode, message = "technical message", detail: string | null = "kind: x") {
  return { status: "error" as const, error: { code, message, detail } satisfies CommandError };
}

async function fillIn(user: ReturnType<typeof renderWith>["user"]) {
  await user.type(screen.getByLabelText("Name"), "Acme MS");
  await user.type(screen.getByLabelText("Management Server address"), "https://acme.example.com/managementserver");
  await user.type(screen.getByLabelText("Username"), "tech");
  await user.type(screen.getByLabelText("Password"), "s3cret");
}

function setup(overrides: Parameters<typeof fakeIpc>[0] = {}) {
  const ipc = fakeIpc(overrides);
  const onSaved = vi.fn();
  const view = renderWith(ipc, <ServerForm keychain="system" onSaved={onSaved} />);
  return { ipc, onSaved, ...view };
}

describe("the server form", () => {
  it("shows an example address with /managementserver and where the password is kept", () => {
    setup();
    expect(screen.getByLabelText("Management Server address")).toHaveAccessibleDescription(
      /https:\/\/backup\.example\.com\/managementserver/,
    );
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/kept in your system keyring/);
  });

  it("asks for the missing fields instead of testing", async () => {
    const { user, ipc } = setup();
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(ipc.testConnection).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/Please fill in the password/);
  });

  it("says connected with the agents and tenants the user can see", async () => {
    const { user, ipc } = setup();
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(
      await screen.findByText("Connected. You can see 12 computers being backed up across 3 customers."),
    ).toBeInTheDocument();
    expect(ipc.testConnection).toHaveBeenCalledWith({
      serverId: null,
      label: "Acme MS",
      baseUrl: "https://acme.example.com/managementserver",
      username: "tech",
      password: "s3cret",
      caCertificate: null,
    });
    expect(screen.getByRole("button", { name: "Save" })).toHaveClass("primary");
  });

  it.each([
    ["wrong_password", "The username or password was not accepted. Check them and try again."],
    ["unreachable", 'Could not reach the server. Check the address, including "/managementserver" at the end.'],
    ["certificate", "This server's certificate is not trusted by this computer."],
    [
      "certificate_rejected",
      "This server's certificate is not valid for this address, or is out of date. Check the address and this computer's clock, or ask the server's administrator.",
    ],
    ["other", "Something went wrong. The details below say what; you can copy them for support."],
  ] as const)("explains a %s failure in plain words", async (code, sentence) => {
    const { user } = setup({ testConnection: vi.fn(async () => failure(code)) });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(await screen.findByText(sentence)).toBeInTheDocument();
    expect(screen.queryByText(/^Connected\./)).not.toBeInTheDocument();
    // A CA file helps only a certificate from an unknown authority.
    expect(screen.queryByRole("button", { name: /Trust a CA certificate/ }) !== null).toBe(code === "certificate");
  });

  it("keeps the technical detail of another failure behind a Details disclosure", async () => {
    const { user } = setup({
      testConnection: vi.fn(async () =>
        failure("other", "https://acme.example.com answered with HTTP 500: boom", "kind: server_error"),
      ),
    });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    const status = await screen.findByRole("status");
    const disclosure = within(status).getByText("Details").closest("details")!;
    expect(disclosure).not.toHaveAttribute("open");
    await user.click(within(status).getByText("Details"));
    expect(disclosure).toHaveAttribute("open");
    expect(within(disclosure).getByText(/HTTP 500: boom\s+kind: server_error/)).toBeInTheDocument();
  });

  it("offers to trust a CA certificate from a file, then tests again with it", async () => {
    const testConnection = vi
      .fn()
      .mockResolvedValueOnce(failure("certificate"))
      .mockResolvedValueOnce({ status: "ok", data: { agents: 4, tenants: 1, latencyMs: 30 } });
    const { user, ipc } = setup({
      testConnection,
      pickCaCertificate: vi.fn(async () => "/home/me/acme-ca.pem"),
    });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    await user.click(await screen.findByRole("button", { name: "Trust a CA certificate from a file…" }));
    expect(
      await screen.findByText("Connected. You can see 4 computers being backed up across 1 customer."),
    ).toBeInTheDocument();
    expect(ipc.pickCaCertificate).toHaveBeenCalledTimes(1);
    expect(testConnection).toHaveBeenLastCalledWith(expect.objectContaining({ caCertificate: "/home/me/acme-ca.pem" }));
    expect(screen.getByText("/home/me/acme-ca.pem")).toBeInTheDocument();
  });

  it("shows progress while testing and can cancel it", async () => {
    let finish: (value: unknown) => void = () => {};
    const pending = new Promise((resolve) => (finish = resolve));
    const { user, ipc } = setup({ testConnection: vi.fn(() => pending as never) });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(screen.getByText(/Testing the connection/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Test connection" })).toBeDisabled();
    expect(ipc.cancelConnectionTest).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(ipc.cancelConnectionTest).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/Testing the connection/)).not.toBeInTheDocument();
    finish({ status: "ok", data: { agents: 1, tenants: 1, latencyMs: 1 } });
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByText(/^Connected\./)).not.toBeInTheDocument();
  });

  it("saves and hands the saved server back", async () => {
    const { user, ipc, onSaved } = setup();
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(server()));
    expect(ipc.saveServer).toHaveBeenCalledWith(expect.objectContaining({ password: "s3cret" }));
  });

  it("shows why saving failed", async () => {
    const { user, onSaved } = setup({
      saveServer: vi.fn(async () => failure("keychain", "Your keychain is locked: unlock it and try again.")),
    });
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The password could not be saved in your system's password store. Unlock it and try again.",
    );
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("edits a server keeping the saved password when the field is left empty", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(
      ipc,
      <ServerForm server={server()} keychain="system" onSaved={vi.fn()} />,
    );
    expect(screen.getByLabelText("Name")).toHaveValue("Acme MS");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/Leave empty to keep the saved password/);
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(ipc.saveServer).toHaveBeenCalledWith(expect.objectContaining({ serverId: "acme-ms", password: null })),
    );
  });
});
