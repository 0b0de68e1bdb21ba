import { useEffect, useId, useState } from "react";
import { useIpc, type ClientView, type CommandError, type Settings } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";
import { QUESTIONS_TO_TRY, RESTART_CLAUDE, connectedClientsSentence } from "../words";

/** Whether some Claude client can use NovaBACKUP now. */
export function claudeConnected(clients: ClientView[]): boolean {
  return clients.some((c) => c.state === "connected");
}

type Props = {
  /** Every client as the app sees it now; `null` while it looks. */
  clients: ClientView[] | null;
  /** Claude Desktop was connected from this step. */
  onConnected: (client: ClientView) => void;
  onFinished: () => void;
};

/** The setup's last step: ready to ask Claude, or what is still missing and the one
 * button that does it; and start at login, switched on. */
export function SetupDone({ clients, onConnected, onFinished }: Props) {
  const ipc = useIpc();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadingSettings, setLoadingSettings] = useState(true);
  const [startAtLogin, setStartAtLogin] = useState(true);
  const [connecting, setConnecting] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const hintId = useId();

  useEffect(() => {
    let live = true;
    ipc
      .settings()
      .then(
        (s) => live && setSettings(s),
        (failure: unknown) =>
          live &&
          setError({
            code: "other",
            message: failure instanceof Error ? failure.message : String(failure),
            detail: null,
          }),
      )
      .finally(() => live && setLoadingSettings(false));
    return () => {
      live = false;
    };
  }, [ipc]);

  const connect = async () => {
    setConnecting(true);
    setError(null);
    const result = await ipc.connectClient("claude_desktop");
    setConnecting(false);
    if (result.status === "ok") onConnected(result.data);
    else setError(result.error);
  };

  const finish = async () => {
    if (settings && settings.startAtLogin !== startAtLogin) {
      setFinishing(true);
      setError(null);
      const result = await ipc.saveSettings({ ...settings, startAtLogin });
      setFinishing(false);
      if (result.status === "error") {
        setError(result.error);
        return;
      }
    }
    onFinished();
  };

  const ready = clients !== null && claudeConnected(clients);
  const desktop = clients?.find((c) => c.client === "claude_desktop");
  return (
    <section aria-labelledby="step-title">
      {clients === null && (
        <>
          <h2 id="step-title">Almost done</h2>
          <p role="status">Looking for Claude on this computer…</p>
        </>
      )}
      {clients !== null && !ready && (
        <>
          <h2 id="step-title">Almost ready: Claude is not connected yet</h2>
          <div className="note note-warning">
            <p>
              Claude cannot answer questions about your backups yet, because NovaBACKUP is not connected to Claude
              Desktop. Connect it now, or later in the <strong>Claude</strong> tab of this window.
            </p>
          </div>
          <div className="actions">
            <button type="button" className="primary" onClick={connect} disabled={connecting}>
              {connecting ? "Connecting…" : "Connect Claude Desktop"}
            </button>
          </div>
        </>
      )}
      {ready && (
        <>
          <h2 id="step-title">You are ready</h2>
          <p className="note note-ok">{connectedClientsSentence(clients)}</p>
          {desktop?.needsRestart && (
            <p className="note note-progress">
              <strong>One more step:</strong> {RESTART_CLAUDE}
            </p>
          )}
          <p>Open Claude and try one of these questions:</p>
          <ul className="questions">
            {QUESTIONS_TO_TRY.map((question) => (
              <li key={question}>
                <q>{question}</q>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && <ErrorNote error={error} />}

      {settings && (
        <div className="start-at-login">
          <label className="check">
            <input
              type="checkbox"
              checked={startAtLogin}
              aria-describedby={hintId}
              onChange={(event) => setStartAtLogin(event.target.checked)}
            />
            Start when I sign in
          </label>
          <p className="hint" id={hintId}>
            The app then starts in the tray next to the clock, without opening this window. It checks your Management
            Servers every {minutes(settings.checkIntervalMinutes)} and tells you when one stops answering. You can
            change this in Settings.
          </p>
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          className={ready ? "primary" : "secondary"}
          onClick={finish}
          disabled={finishing || loadingSettings}
        >
          {finishing ? "Saving…" : "Finish"}
        </button>
      </div>
    </section>
  );
}

function minutes(n: number): string {
  return n === 1 ? "minute" : `${n} minutes`;
}
