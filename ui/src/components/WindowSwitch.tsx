import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc, type BackupWindow, type CommandError } from "../ipc";
import { ErrorNote } from "./ErrorNote";

/** The periods the Backups tab can show, shortest first. */
export const BACKUP_WINDOWS: readonly BackupWindow[] = ["day", "week"];

type Props = {
  /** The period of the view shown now. */
  shown: BackupWindow;
};

/** The period switch (24 hours / 7 days): saves `backupWindow` with the other settings
 * as they are; the app then runs a new round and sends the new view. Until it arrives,
 * says the new period is being checked. */
export function WindowSwitch({ shown }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<BackupWindow | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const selected = chosen ?? shown;
  const waiting = chosen !== null && chosen !== shown;

  const choose = async (window: BackupWindow) => {
    setChosen(window);
    setError(null);
    // The settings as the app has them now, so nothing else changes.
    const current = await ipc.settings();
    const result = await ipc.saveSettings({ ...current, backupWindow: window });
    if (result.status === "error") {
      setChosen(null);
      setError(result.error);
    }
  };

  return (
    <div className="window-switch">
      <fieldset>
        <legend>{t("backupsTab.window.legend")}</legend>
        {BACKUP_WINDOWS.map((window) => (
          <label key={window} className={selected === window ? "segment chosen" : "segment"}>
            <input
              type="radio"
              name="backup-window"
              value={window}
              checked={selected === window}
              onChange={() => choose(window)}
            />
            {t(`backupsTab.window.${window}`)}
          </label>
        ))}
      </fieldset>
      <span role="status" className="hint">
        {waiting ? t("backupsTab.window.switching") : ""}
      </span>
      {error && <ErrorNote error={error} />}
    </div>
  );
}
