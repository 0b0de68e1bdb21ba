import { describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import { ClaudeDesktopConnect } from "../screens/ClaudeDesktopConnect";
import { client, fakeIpc } from "../test/fakeIpc";
import { renderWith } from "../test/render";

describe("the Claude Desktop step of the setup", () => {
  it("says NovaBACKUP is there already when Claude Desktop has it as an extension", async () => {
    const ipc = fakeIpc({
      connectClient: vi.fn(async () => ({ status: "ok" as const, data: client({ state: "extension" }) })),
    });
    const onContinue = vi.fn();
    const { user } = renderWith(ipc, <ClaudeDesktopConnect onContinue={onContinue} onSkip={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Connect Claude Desktop" }));
    expect(await screen.findByText(/already installed in Claude Desktop as an extension/)).toBeInTheDocument();
    expect(screen.queryByText("Claude Desktop is connected.")).not.toBeInTheDocument();
    expect(screen.queryByText(/One more step/)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(onContinue).toHaveBeenCalledOnce();
  });
});
