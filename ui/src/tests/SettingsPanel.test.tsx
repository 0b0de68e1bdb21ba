import { describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import { SettingsPanel } from "../screens/SettingsPanel";
import { LIMITS, SETTINGS, fakeIpc } from "../test/fakeIpc";
import { renderWith } from "../test/render";

const INFO = { version: "0.1.0", keychain: "system" as const, systemLanguage: "en" as const, logFolder: "/home/me/logs", limits: LIMITS };

describe("the settings screen", () => {
  it("shows the saved settings with a 5 minute default interval", async () => {
    renderWith(fakeIpc(), <SettingsPanel info={INFO} />);
    expect(await screen.findByLabelText("Check the servers every")).toHaveValue(5);
    expect(screen.getByLabelText(/Start when I sign in/)).not.toBeChecked();
    expect(screen.getByLabelText(/Tell me when a server stops answering/)).toBeChecked();
  });

  it("takes the accepted ranges from the app, not from itself", async () => {
    const limits = { ...LIMITS, concurrency: { min: 2, max: 20 }, timeoutSeconds: { min: 3, max: 90 } };
    renderWith(fakeIpc(), <SettingsPanel info={{ ...INFO, limits }} />);
    const concurrency = await screen.findByLabelText(/Servers asked at the same time/);
    expect(concurrency).toHaveAttribute("min", "2");
    expect(concurrency).toHaveAttribute("max", "20");
    expect(screen.getByLabelText(/give up/i)).toHaveAttribute("max", "90");
  });

  it("saves what the user changed, including the advanced settings", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <SettingsPanel info={INFO} />);
    await user.click(await screen.findByLabelText(/Start when I sign in/));
    const interval = screen.getByLabelText("Check the servers every");
    await user.clear(interval);
    await user.type(interval, "15");
    await user.click(screen.getByText("Advanced"));
    await user.selectOptions(screen.getByLabelText("Log detail"), "debug");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(ipc.saveSettings).toHaveBeenCalledWith({
      ...SETTINGS,
      startAtLogin: true,
      checkIntervalMinutes: 15,
      logLevel: "debug",
    });
    expect(
      await screen.findByText("Saved. Claude uses the new advanced settings after it restarts."),
    ).toBeInTheDocument();
  });

  it("shows and saves the backup notifications and the backups period", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <SettingsPanel info={INFO} />);
    const notify = await screen.findByLabelText(/Tell me when a backup fails/);
    expect(notify).toBeChecked();
    const period = screen.getByLabelText("Period for the backups");
    expect(period).toHaveDisplayValue("Last 24 hours");
    await user.click(notify);
    await user.selectOptions(period, "week");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(ipc.saveSettings).toHaveBeenCalledWith({ ...SETTINGS, backupNotifications: false, backupWindow: "week" });
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
  });

  it("shows the app's version at its foot", async () => {
    renderWith(fakeIpc(), <SettingsPanel info={{ ...INFO, version: "3.4.5" }} />);
    expect(await screen.findByText("Version 3.4.5")).toBeInTheDocument();
  });

  it("says plainly Saved when nothing Claude uses changed", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <SettingsPanel info={INFO} />);
    await user.click(await screen.findByLabelText(/Tell me when a server stops answering/));
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
  });

  it("explains a refused value", async () => {
    const ipc = fakeIpc({
      saveSettings: vi.fn(async () => ({
        status: "error" as const,
        error: { code: "invalid_input" as const, message: "Check the servers every 1 to 1440 minutes.", detail: null },
      })),
    });
    const { user } = renderWith(ipc, <SettingsPanel info={INFO} />);
    await user.click(await screen.findByRole("button", { name: "Save settings" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("1 to 1440 minutes");
    expect(screen.queryByText("Saved.")).not.toBeInTheDocument();
  });

  it("says where the logs are and opens the folder", async () => {
    const ipc = fakeIpc();
    const { user } = renderWith(ipc, <SettingsPanel info={INFO} />);
    expect(await screen.findByText("/home/me/logs")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Open the log folder" }));
    expect(ipc.openLogFolder).toHaveBeenCalledTimes(1);
  });
});
