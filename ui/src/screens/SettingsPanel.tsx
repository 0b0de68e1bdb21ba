import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useIpc, type AppInfo, type BackupWindow, type CommandError, type LogLevel, type Settings } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";
import { LanguageField } from "../components/LanguageField";
import { BACKUP_WINDOWS } from "../components/WindowSwitch";
import { effectiveLanguage } from "../i18n";

const LOG_LEVELS: LogLevel[] = ["error", "warn", "info", "debug"];

/** The settings Claude's NovaBACKUP program gets too (from Claude's next start). */
function advancedChanged(a: Settings, b: Settings): boolean {
  return a.concurrency !== b.concurrency || a.timeoutSeconds !== b.timeoutSeconds || a.logLevel !== b.logLevel;
}

/** Start at login, check interval, notifications, advanced settings and the logs. */
export function SettingsPanel({ info }: { info: AppInfo }) {
  const ipc = useIpc();
  const { t, i18n } = useTranslation();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [stored, setStored] = useState<Settings | null>(null);
  const [saved, setSaved] = useState<"settings.saved" | "settings.savedRestart" | null>(null);
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

  if (!settings) return <p role="status">{t("settings.loading")}</p>;

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
      await i18n.changeLanguage(effectiveLanguage(result.data.language, info.systemLanguage));
      setSaved(restartNeeded ? "settings.savedRestart" : "settings.saved");
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
      <h2 id="settings-title">{t("settings.title")}</h2>
      <form onSubmit={save} className="settings" aria-label={t("settings.title")}>
        <LanguageField value={settings.language} system={info.systemLanguage} onChange={(l) => set("language", l)} />
        <CheckField checked={settings.startAtLogin} onChange={(on) => set("startAtLogin", on)}>
          {t("settings.startAtLogin")}
        </CheckField>
        <NumberField
          id="interval"
          label={t("settings.interval")}
          min={info.limits.checkIntervalMinutes.min}
          max={info.limits.checkIntervalMinutes.max}
          unit={t("settings.minutes")}
          value={settings.checkIntervalMinutes}
          onChange={(n) => set("checkIntervalMinutes", n)}
        />
        <CheckField checked={settings.notifications} onChange={(on) => set("notifications", on)}>
          {t("settings.notifications")}
        </CheckField>
        <CheckField checked={settings.backupNotifications} onChange={(on) => set("backupNotifications", on)}>
          {t("backupsTab.settings.notifications")}
        </CheckField>
        <div className="field inline">
          <label htmlFor="backupWindow">{t("backupsTab.settings.window")}</label>
          <select
            id="backupWindow"
            value={settings.backupWindow}
            onChange={(e) => set("backupWindow", e.target.value as BackupWindow)}
          >
            {BACKUP_WINDOWS.map((window) => (
              <option key={window} value={window}>
                {t(`backupsTab.window.${window}`)}
              </option>
            ))}
          </select>
        </div>
        <CheckField checked={settings.autoRepair} onChange={(on) => set("autoRepair", on)}>
          {t("settings.autoRepair")}
        </CheckField>
        <details className="advanced">
          <summary>{t("settings.advanced")}</summary>
          <p className="hint">{t("settings.advancedHint")}</p>
          <NumberField
            id="concurrency"
            label={t("settings.concurrency")}
            min={info.limits.concurrency.min}
            max={info.limits.concurrency.max}
            value={settings.concurrency}
            onChange={(n) => set("concurrency", n)}
          />
          <NumberField
            id="timeout"
            label={t("settings.timeout")}
            min={info.limits.timeoutSeconds.min}
            max={info.limits.timeoutSeconds.max}
            unit={t("settings.seconds")}
            value={settings.timeoutSeconds}
            onChange={(n) => set("timeoutSeconds", n)}
          />
          <div className="field inline">
            <label htmlFor="logLevel">{t("settings.logLevel")}</label>
            <select id="logLevel" value={settings.logLevel} onChange={(e) => set("logLevel", e.target.value as LogLevel)}>
              {LOG_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {t(`settings.level.${level}`)}
                </option>
              ))}
            </select>
          </div>
        </details>
        {error && <ErrorNote error={error} />}
        <div className="actions">
          <button type="submit" className="primary">
            {t("settings.save")}
          </button>
          <span role="status">{saved ? t(saved) : ""}</span>
        </div>
      </form>
      <h3>{t("settings.logs")}</h3>
      <p>
        <Trans i18nKey="settings.logsText" values={{ folder: info.logFolder }} components={{ code: <code /> }} />
      </p>
      <button type="button" className="secondary" onClick={openLogs}>
        {t("settings.openLogs")}
      </button>
      <p className="hint">{t("settings.version", { version: info.version })}</p>
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
