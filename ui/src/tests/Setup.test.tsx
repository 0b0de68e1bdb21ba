import { describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { Setup } from "../screens/Setup";
import { SETTINGS, client, fakeIpc } from "../test/fakeIpc";
import { renderWith } from "../test/render";

const RESTART_CLAUDE = "Quit Claude from its icon next to the clock, then open it again.";
const QUESTIONS_TO_TRY = [
  "Which backups failed last night across all my customers, and why?",
  "Which computers have not had a successful backup in the last 7 days?",
];

function currentStep() {
  return document.querySelector('[aria-current="step"]')?.textContent ?? "";
}

function stepItem(name: string) {
  const steps = screen.getByRole("list", { name: "Setup steps" });
  const item = within(steps)
    .getAllByRole("listitem")
    .find((li) => li.textContent?.includes(name));
  if (!item) throw new Error(`no step ${name}`);
  return item;
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

/** Claude Desktop's settings file cannot be changed. */
const refusedConnect = () =>
  vi.fn(async () => ({
    status: "error" as const,
    error: { code: "registration" as const, message: "claude_desktop_config.json is not valid JSON", detail: null },
  }));

/** Renders the setup, adds a server and skips the Claude step. */
async function skipToLastStep(ipc: ReturnType<typeof fakeIpc>, onFinished = vi.fn()) {
  const view = renderWith(ipc, <Setup keychain="system" onFinished={onFinished} />);
  await completeStepOne(view.user);
  await view.user.click(screen.getByRole("button", { name: "Skip for now" }));
  return view;
}

describe("the guided setup", () => {
  it("starts at step 1 of 3 with demo data as a quiet secondary offer", () => {
    renderWith(fakeIpc(), <Setup keychain="system" onFinished={vi.fn()} />);
    expect(screen.getAllByRole("listitem")).toHaveLength(3);
    expect(currentStep()).toContain("Add your Management Server");
    expect(screen.getByRole("button", { name: "Try with demo data" })).toHaveClass("link");
  });

  it("offers demo data above the form, where it is seen without scrolling", () => {
    renderWith(fakeIpc(), <Setup keychain="system" onFinished={vi.fn()} />);
    const demo = screen.getByRole("button", { name: "Try with demo data" });
    const form = screen.getByRole("form", { name: "Add server" });
    expect(demo.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
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
      <Setup keychain="system" onFinished={onFinished} restartPollMs={300} />,
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
    expect(await screen.findByRole("heading", { name: "You are ready" })).toBeInTheDocument();
    expect(stepItem("Connect Claude Desktop")).toHaveClass("done");
    for (const question of QUESTIONS_TO_TRY) expect(screen.getByText(question)).toBeInTheDocument();
    expect(screen.queryByText(/not connected/)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Finish" }));
    await waitFor(() => expect(onFinished).toHaveBeenCalledTimes(1));
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
    const { user } = renderWith(ipc, <Setup keychain="system" onFinished={vi.fn()} restartPollMs={10} />);
    await completeStepOne(user);
    await user.click(screen.getByRole("button", { name: "Connect Claude Desktop" }));
    await waitFor(() => expect(clients.mock.calls.length).toBeGreaterThan(2));
    expect(screen.getByText(/Waiting for Claude to restart/)).toBeInTheDocument();
    expect(screen.queryByText(/Claude has restarted/)).not.toBeInTheDocument();
  });

  it("tells why connecting Claude Desktop failed and lets the user skip", async () => {
    const ipc = fakeIpc({ connectClient: refusedConnect() });
    const { user } = renderWith(ipc, <Setup keychain="system" onFinished={vi.fn()} />);
    await completeStepOne(user);
    await user.click(screen.getByRole("button", { name: "Connect Claude Desktop" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Claude's settings could not be changed.");
    await user.click(screen.getByRole("button", { name: "Skip for now" }));
    expect(currentStep()).toContain("Done");
    expect(await screen.findByRole("heading", { name: /Claude is not connected yet/ })).toBeInTheDocument();
  });

  it("shows a skipped Claude step as skipped, and the last step says what is missing and where", async () => {
    await skipToLastStep(fakeIpc());
    expect(await screen.findByRole("heading", { name: "Almost ready: Claude is not connected yet" })).toBeInTheDocument();
    const skipped = stepItem("Connect Claude Desktop");
    expect(skipped).toHaveClass("skipped");
    expect(skipped).not.toHaveClass("done");
    expect(skipped).toHaveTextContent("skipped");
    expect(skipped).not.toHaveTextContent("✓");
    expect(stepItem("Add your Management Server")).toHaveClass("done");
    expect(screen.getByText(/Claude cannot answer questions about your backups yet/)).toHaveTextContent(
      "Connect it now, or later in the Claude tab of this window.",
    );
    expect(screen.queryByRole("heading", { name: "You are ready" })).not.toBeInTheDocument();
    expect(screen.queryByText(QUESTIONS_TO_TRY[0])).not.toBeInTheDocument();
    // One primary button, and it connects Claude Desktop.
    const primary = screen.getAllByRole("button").filter((b) => b.classList.contains("primary"));
    expect(primary.map((b) => b.textContent)).toEqual(["Connect Claude Desktop"]);
  });

  it("connects Claude Desktop from the last step, which then says the setup is complete", async () => {
    const ipc = fakeIpc({
      connectClient: vi.fn(async () => ({
        status: "ok" as const,
        data: client({ state: "connected", needsRestart: true }),
      })),
    });
    const { user } = await skipToLastStep(ipc);
    await user.click(await screen.findByRole("button", { name: "Connect Claude Desktop" }));
    expect(ipc.connectClient).toHaveBeenCalledWith("claude_desktop");
    expect(await screen.findByRole("heading", { name: "You are ready" })).toBeInTheDocument();
    expect(screen.getByText("Claude Desktop is connected.")).toBeInTheDocument();
    expect(screen.getByText(new RegExp(RESTART_CLAUDE))).toBeInTheDocument();
    expect(stepItem("Connect Claude Desktop")).toHaveClass("done");
    expect(screen.getByRole("button", { name: "Finish" })).toHaveClass("primary");
  });

  it("explains why connecting from the last step failed and stays there", async () => {
    const { user } = await skipToLastStep(fakeIpc({ connectClient: refusedConnect() }));
    await user.click(await screen.findByRole("button", { name: "Connect Claude Desktop" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Claude's settings could not be changed.");
    expect(stepItem("Connect Claude Desktop")).toHaveClass("skipped");
  });

  it("does not call a step skipped when Claude was connected already", async () => {
    await skipToLastStep(
      fakeIpc({
        clients: vi.fn(async () => [
          client({ state: "connected" }),
          client({ client: "claude_code", name: "Claude Code", state: "connected" }),
        ]),
      }),
    );
    expect(await screen.findByRole("heading", { name: "You are ready" })).toBeInTheDocument();
    expect(screen.getByText("Claude Desktop and Claude Code are connected.")).toBeInTheDocument();
    expect(stepItem("Connect Claude Desktop")).toHaveClass("done");
  });

  it("offers start at login on the last step, switched on, saying what it means", async () => {
    const ipc = fakeIpc({ settings: vi.fn(async () => ({ ...SETTINGS, checkIntervalMinutes: 15 })) });
    const onFinished = vi.fn();
    const { user } = await skipToLastStep(ipc, onFinished);
    const box = await screen.findByRole("checkbox", { name: "Start when I sign in" });
    expect(box).toBeChecked();
    expect(box).toHaveAccessibleDescription(
      "The app then starts in the tray next to the clock, without opening this window. It checks your Management " +
        "Servers every 15 minutes and tells you when one stops answering. You can change this in Settings.",
    );
    await user.click(screen.getByRole("button", { name: "Finish" }));
    expect(ipc.saveSettings).toHaveBeenCalledWith({ ...SETTINGS, checkIntervalMinutes: 15, startAtLogin: true });
    await waitFor(() => expect(onFinished).toHaveBeenCalledTimes(1));
  });

  it("leaves start at login off when the user switches it off", async () => {
    const ipc = fakeIpc();
    const onFinished = vi.fn();
    const { user } = await skipToLastStep(ipc, onFinished);
    await user.click(await screen.findByRole("checkbox", { name: "Start when I sign in" }));
    await user.click(screen.getByRole("button", { name: "Finish" }));
    expect(ipc.saveSettings).not.toHaveBeenCalled();
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it("says so when start at login cannot be saved, and does not finish", async () => {
    const ipc = fakeIpc({
      saveSettings: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "other" as const, message: "settings.json could not be written: read-only", detail: null },
      })),
    });
    const onFinished = vi.fn();
    const { user } = await skipToLastStep(ipc, onFinished);
    await screen.findByRole("checkbox", { name: "Start when I sign in" });
    await user.click(screen.getByRole("button", { name: "Finish" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong.");
    expect(onFinished).not.toHaveBeenCalled();
  });

  it("adds the demo server, labelled as demo, and moves on", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <Setup keychain="system" onFinished={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Try with demo data" }));
    expect(ipc.addDemoServer).toHaveBeenCalledTimes(1);
    const saved = await screen.findByText(/is saved/);
    expect(saved).toHaveTextContent(/^Demo Management Server \(sample data\) is saved\.$/);
    expect(currentStep()).toContain("Connect Claude Desktop");
  });

  it("explains a demo server that could not start", async () => {
    const ipc = fakeIpc({
      addDemoServer: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "other" as const, message: "The demo server could not start: port in use", detail: null },
      })),
    });
    const { user } = renderWith(ipc, <Setup keychain="system" onFinished={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Try with demo data" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong.");
    expect(currentStep()).toContain("Add your Management Server");
  });
});
