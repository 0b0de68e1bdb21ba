import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useIpc, type AppInfo, type CommandError, type LogLevel, type Settings } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";

const LOG_LEVELS: LogLevel[] = ["error", "warn", "info", "debug"];

/** The settings Claude's NovaBACKUP program gets too (from Claude's next start). */
function advancedChanged(a: Settings, b: Settings): boolean {
  return a.concurrency !== b.concurrency || a.timeoutSeconds !== b.timeoutSeconds || a.logLevel !== b.logLevel;
}

/** Start at login, check interval, notifications, advanced settings and the logs. */
export function SettingsPanel({ info }: { info: AppInfo }) {
  const ipc = useIpc();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [stored, setStored] = useState<Settings | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.settings().then((s) => {
      if (!live) return;
      setSettings(s);
      setStored(s);
    });
    return () => {
      live = false;
    };
  }, [ipc]);

  if (!settings) return <p role="status">Loading settings…</p>;

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setSaved(null);
    setSettings({ ...settings, [key]: value });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await ipc.saveSettings(settings);
    if (result.status === "ok") {
      const restartNeeded = stored !== null && advancedChanged(stored, result.data);
      setSettings(result.data);
      setStored(result.data);
      setSaved(restartNeeded ? "Saved. Claude uses the new advanced settings after it restarts." : "Saved.");
    } else {
      setError(result.error);
    }
  };

  const openLogs = async () => {
    const result = await ipc.openLogFolder();
    if (result.status === "error") setError(result.error);
  };

  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form onSubmit={save} className="settings" aria-label="Settings">
        <CheckField checked={settings.startAtLogin} onChange={(on) => set("startAtLogin", on)}>
          Start when I sign in (in the tray, without opening this window)
        </CheckField>
        <NumberField
          id="interval"
          label="Check the servers every"
          min={1}
          max={1440}
          unit="minutes"
          value={settings.checkIntervalMinutes}
          onChange={(n) => set("checkIntervalMinutes", n)}
        />
        <CheckField checked={settings.notifications} onChange={(on) => set("notifications", on)}>
          Tell me when a server stops answering or comes back
        </CheckField>
        <CheckField checked={settings.autoRepair} onChange={(on) => set("autoRepair", on)}>
          Repair the connection to Claude automatically when it breaks
        </CheckField>
        <details className="advanced">
          <summary>Advanced</summary>
          <p className="hint">These apply to the app's checks and to NovaBACKUP in Claude.</p>
          <NumberField
            id="concurrency"
            label="Servers asked at the same time"
            min={1}
            max={50}
            value={settings.concurrency}
            onChange={(n) => set("concurrency", n)}
          />
          <NumberField
            id="timeout"
            label="Give up on a server after"
            min={1}
            max={300}
            unit="seconds"
            value={settings.timeoutSeconds}
            onChange={(n) => set("timeoutSeconds", n)}
          />
          <div className="field inline">
            <label htmlFor="logLevel">Log detail</label>
            <select id="logLevel" value={settings.logLevel} onChange={(e) => set("logLevel", e.target.value as LogLevel)}>
              {LOG_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {level}
                </option>
              ))}
            </select>
          </div>
        </details>
        {error && <ErrorNote error={error} />}
        <div className="actions">
          <button type="submit" className="primary">
            Save settings
          </button>
          <span role="status">{saved ?? ""}</span>
        </div>
      </form>
      <h3>Logs</h3>
      <p>
        The app's logs are in <code>{info.logFolder}</code>. They never contain passwords.
      </p>
      <button type="button" className="secondary" onClick={openLogs}>
        Open the log folder
      </button>
      <p className="hint">Version {info.version}</p>
    </section>
  );
}

type CheckProps = { checked: boolean; onChange: (checked: boolean) => void; children: ReactNode };

function CheckField({ checked, onChange, children }: CheckProps) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {children}
    </label>
  );
}

type NumberProps = {
  id: string;
  label: string;
  min: number;
  max: number;
  unit?: string;
  value: number;
  onChange: (value: number) => void;
};

function NumberField({ id, label, min, max, unit, value, onChange }: NumberProps) {
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min={min} max={max} value={value} onChange={(e) => onChange(Number(e.target.value))} />
      {unit && <span>{unit}</span>}
    </div>
  );
}
