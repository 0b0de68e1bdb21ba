import { describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { Setup } from "../screens/Setup";
import { QUESTIONS_TO_TRY, RESTART_CLAUDE } from "../words";
import { client, fakeIpc } from "../test/fakeIpc";
import { renderWith } from "../test/render";

function currentStep() {
  return document.querySelector('[aria-current="step"]')?.textContent ?? "";
}

async function completeStepOne(user: ReturnType<typeof renderWith>["user"]) {
  await user.type(screen.getByLabelText("Name"), "Acme MS");
  await user.type(screen.getByLabelText("Management Server address"), "https://acme.example.com/managementserver");
  await user.type(screen.getByLabelText("Username"), "tech");
  await user.type(screen.getByLabelText("Password"), "s3cret");
  await user.click(screen.getByRole("button", { name: "Test connection" }));
  await screen.findByText(/^Connected\./);
  await user.click(screen.getByRole("button", { name: "Save and continue" }));
}

describe("the guided setup", () => {
  it("starts at step 1 of 3 with demo data as a quiet secondary offer", () => {
    renderWith(fakeIpc(), <Setup keychainName="your system keyring" onFinished={vi.fn()} />);
    expect(screen.getAllByRole("listitem")).toHaveLength(3);
    expect(currentStep()).toContain("Add your Management Server");
    expect(screen.getByRole("button", { name: "Try with demo data" })).toHaveClass("link");
  });

  it("walks through add server, connect Claude Desktop (with the restart) and done", async () => {
    const ipc = fakeIpc({
      connectClient: vi.fn(async () => ({
        status: "ok" as const,
        data: client({ state: "connected", needsRestart: true }),
      })),
      clients: vi.fn(async () => [client({ state: "connected", needsRestart: false })]),
    });
    const onFinished = vi.fn();
    const { user } = renderWith(
      ipc,
      <Setup keychainName="your system keyring" onFinished={onFinished} restartPollMs={300} />,
    );
    await completeStepOne(user);
    expect(currentStep()).toContain("Connect Claude Desktop");
    expect(screen.getByText("Acme MS is saved.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Connect Claude Desktop" }));
    expect(ipc.connectClient).toHaveBeenCalledWith("claude_desktop");
    expect(await screen.findByText(new RegExp(RESTART_CLAUDE))).toBeInTheDocument();
    expect(await screen.findByText("Claude has restarted and can now use NovaBACKUP.")).toBeInTheDocument();
    expect(screen.queryByText(new RegExp(RESTART_CLAUDE))).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(currentStep()).toContain("Done");
    for (const question of QUESTIONS_TO_TRY) expect(screen.getByText(question)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Finish" }));
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it("keeps waiting while Claude has not been restarted", async () => {
    const clients = vi.fn(async () => [client({ state: "connected", needsRestart: true })]);
    const ipc = fakeIpc({
      clients,
      connectClient: vi.fn(async () => ({
        status: "ok" as const,
        data: client({ state: "connected", needsRestart: true }),
      })),
    });
    const { user } = renderWith(ipc, <Setup keychainName="k" onFinished={vi.fn()} restartPollMs={10} />);
    await completeStepOne(user);
    await user.click(screen.getByRole("button", { name: "Connect Claude Desktop" }));
    await waitFor(() => expect(clients.mock.calls.length).toBeGreaterThan(2));
    expect(screen.getByText(/Waiting for Claude to restart/)).toBeInTheDocument();
    expect(screen.queryByText(/Claude has restarted/)).not.toBeInTheDocument();
  });

  it("tells why connecting Claude Desktop failed and lets the user skip", async () => {
    const ipc = fakeIpc({
      connectClient: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "registration" as const, message: "claude_desktop_config.json is not valid JSON", detail: null },
      })),
    });
    const { user } = renderWith(ipc, <Setup keychainName="k" onFinished={vi.fn()} />);
    await completeStepOne(user);
    await user.click(screen.getByRole("button", { name: "Connect Claude Desktop" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Claude's settings could not be changed.");
    await user.click(screen.getByRole("button", { name: "Skip for now" }));
    expect(currentStep()).toContain("Done");
  });

  it("adds the demo server, labelled as demo, and moves on", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <Setup keychainName="k" onFinished={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Try with demo data" }));
    expect(ipc.addDemoServer).toHaveBeenCalledTimes(1);
    expect(await screen.findByText("Demo Management Server (sample data) is saved (demo data).")).toBeInTheDocument();
    expect(currentStep()).toContain("Connect Claude Desktop");
  });

  it("explains a demo server that could not start", async () => {
    const ipc = fakeIpc({
      addDemoServer: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "other" as const, message: "The demo server could not start: port in use", detail: null },
      })),
    });
    const { user } = renderWith(ipc, <Setup keychainName="k" onFinished={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Try with demo data" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong.");
    expect(currentStep()).toContain("Add your Management Server");
  });
});
