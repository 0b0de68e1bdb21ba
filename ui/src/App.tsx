import { useEffect, useState } from "react";
import { useIpc, type AppInfo, type Overview } from "./ipc";
import { Setup } from "./screens/Setup";
import { Servers } from "./screens/Servers";
import { Clients } from "./screens/Clients";
import { SettingsPanel } from "./screens/SettingsPanel";
import { StatusDot } from "./components/StatusDot";
import { Details } from "./components/Details";

const TABS = [
  { id: "servers", name: "Servers" },
  { id: "claude", name: "Claude" },
  { id: "settings", name: "Settings" },
] as const;
type Tab = (typeof TABS)[number]["id"];

/** The whole window: the guided setup on first run, else the main screens. */
export function App() {
  const ipc = useIpc();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [inSetup, setInSetup] = useState(false);
  const [tab, setTab] = useState<Tab>("servers");
  const [now, setNow] = useState(() => Date.now());
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([ipc.appInfo(), ipc.overview()]).then(([appInfo, first]) => {
      if (!live) return;
      setInfo(appInfo);
      setOverview(first);
      setInSetup(first.servers.length === 0);
    }, (error: unknown) => live && setFailure(String(error instanceof Error ? error.message : error)));
    const unlisten = ipc.onHealthChanged((next) => {
      setOverview(next);
      setNow(Date.now());
    });
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      live = false;
      clearInterval(clock);
      unlisten.then((stop) => stop());
    };
  }, [ipc]);

  if (failure) {
    return (
      <main className="note note-error" role="alert">
        <p>The app could not read your saved servers. Check the file named below, or ask for support.</p>
        <Details text={failure} />
      </main>
    );
  }
  if (!info || !overview) return <p role="status">Starting…</p>;

  if (inSetup) {
    return (
      <Setup
        keychainName={info.keychainName}
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
        <h1>NovaBACKUP MCP Companion</h1>
        <p className="summary" aria-live="polite">
          <StatusDot state={overview.overall} /> {overview.summary}
        </p>
      </header>
      <nav role="tablist" aria-label="Sections" className="tabs">
        {TABS.map(({ id, name }) => (
          <button
            key={id}
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            className={tab === id ? "tab active" : "tab"}
            onClick={() => setTab(id)}
          >
            {name}
          </button>
        ))}
      </nav>
      <main role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "servers" && (
          <Servers overview={overview} keychainName={info.keychainName} onChange={setOverview} now={now} />
        )}
        {tab === "claude" && <Clients />}
        {tab === "settings" && <SettingsPanel info={info} />}
      </main>
    </div>
  );
}
