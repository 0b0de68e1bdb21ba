import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc, type AppInfo, type BackupsView, type GlanceView, type Overview } from "./ipc";
import { Setup } from "./screens/Setup";
import { Backups } from "./screens/Backups";
import { Servers } from "./screens/Servers";
import { Clients } from "./screens/Clients";
import { SettingsPanel } from "./screens/SettingsPanel";
import { StatusDot } from "./components/StatusDot";
import { Details } from "./components/Details";
import { effectiveLanguage } from "./i18n";

const TABS = ["backups", "servers", "claude", "settings"] as const;
type Tab = (typeof TABS)[number];

/** The whole window: the guided setup on first run, else the main screens. */
export function App() {
  const ipc = useIpc();
  const { t, i18n } = useTranslation();
  // The instance, not its changes: a new language must not load the window again.
  const languages = useRef(i18n);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [overview, setOverview] = useState<Overview | null>(null);
  // What the tray shows: the header says the same.
  const [glance, setGlance] = useState<GlanceView | null>(null);
  const [inSetup, setInSetup] = useState(false);
  const [tab, setTab] = useState<Tab>("backups");
  const [now, setNow] = useState(() => Date.now());
  const [failure, setFailure] = useState<string | null>(null);
  const [backups, setBackups] = useState<BackupsView | null>(null);
  const [backupsFailure, setBackupsFailure] = useState<string | null>(null);
  // The customer the tray asked to show, until the Backups tab has shown it.
  const [focus, setFocus] = useState<string | null>(null);
  // The Servers tab opens at its add form (from the Backups tab's empty state).
  const [adding, setAdding] = useState(false);
  const focused = useCallback(() => setFocus(null), []);

  useEffect(() => {
    let live = true;
    // The glance read at start, unless a newer one arrived first.
    let newerGlance = false;
    const stopGlance = ipc.onGlanceChanged((next) => {
      newerGlance = true;
      setGlance(next);
    });
    Promise.all([ipc.appInfo(), ipc.overview(), ipc.settings(), ipc.glance()]).then(async ([appInfo, first, settings, seen]) => {
      if (!live) return;
      await languages.current.changeLanguage(effectiveLanguage(settings.language, appInfo.systemLanguage));
      setInfo(appInfo);
      setOverview(first);
      if (!newerGlance) setGlance(seen);
      setInSetup(first.servers.length === 0);
    }, (error: unknown) => live && setFailure(String(error instanceof Error ? error.message : error)));
    const unlisten = ipc.onHealthChanged((next) => {
      setOverview(next);
      setNow(Date.now());
    });
    // The view read at start, unless a newer one arrived first.
    let newer = false;
    ipc.backups().then(
      (view) => live && !newer && setBackups(view),
      (error: unknown) => live && !newer && setBackupsFailure(String(error instanceof Error ? error.message : error)),
    );
    const stopBackups = ipc.onBackupsChanged((view) => {
      newer = true;
      setBackups(view);
      setBackupsFailure(null);
    });
    const stopShow = ipc.onShowBackups((customer) => {
      setTab("backups");
      setFocus(customer);
    });
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      live = false;
      clearInterval(clock);
      for (const stop of [unlisten, stopBackups, stopShow, stopGlance]) stop.then((s) => s());
    };
  }, [ipc]);

  if (failure) {
    return (
      <main className="note note-error" role="alert">
        <p>{t("app.cannotRead")}</p>
        <Details text={failure} />
      </main>
    );
  }
  if (!info || !overview || !glance) return <p role="status">{t("app.starting")}</p>;

  if (inSetup) {
    return (
      <Setup
        keychain={info.keychain}
        onFinished={async () => {
          setOverview(await ipc.overview());
          setInSetup(false);
        }}
      />
    );
  }

  return (
    <div className="app">
      <header className="app-head">
        <h1>{t("app.name")}</h1>
        <p className="summary" aria-live="polite">
          <StatusDot state={glance.state} /> {glance.sentence}
        </p>
      </header>
      <main>
        <div role="tablist" aria-label={t("app.sections")} className="tabs">
          {TABS.map((id) => (
            <button
              key={id}
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              className={tab === id ? "tab active" : "tab"}
              onClick={() => {
                setAdding(false);
                setTab(id);
                // Servers may have been added or removed since the last round (a failed
                // re-read keeps the view shown; the next round sends a new one).
                if (id === "backups") ipc.backups().then(setBackups, () => undefined);
              }}
            >
              {id === "backups" ? t("backupsTab.tab") : t(`tabs.${id}`)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === "backups" && (
            <Backups
              view={backups}
              failure={backupsFailure}
              focus={focus}
              onFocused={focused}
              onAddServer={() => {
                setAdding(true);
                setTab("servers");
              }}
              onShowServers={() => setTab("servers")}
            />
          )}
          {tab === "servers" && (
            <Servers overview={overview} keychain={info.keychain} onChange={setOverview} now={now} startAdding={adding} />
          )}
          {tab === "claude" && <Clients />}
          {tab === "settings" && <SettingsPanel info={info} />}
        </div>
      </main>
    </div>
  );
}
