import { useEffect, useState } from "react";
import { useIpc, type ClientView, type CommandError } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";
import { RESTART_CLAUDE } from "../words";

/** How often to look whether Claude Desktop has been restarted. */
export const RESTART_POLL_MS = 2000;

type Props = { onContinue: () => void; onSkip: () => void; pollMs?: number };

/** Setup step 2: one button that connects Claude Desktop, then the restart it needs. */
export function ClaudeDesktopConnect({ onContinue, onSkip, pollMs = RESTART_POLL_MS }: Props) {
  const ipc = useIpc();
  const [busy, setBusy] = useState(false);
  const [client, setClient] = useState<ClientView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [restarted, setRestarted] = useState(false);

  const connect = async () => {
    setBusy(true);
    setError(null);
    const result = await ipc.connectClient("claude_desktop");
    setBusy(false);
    if (result.status === "ok") setClient(result.data);
    else setError(result.error);
  };

  const waiting = client?.needsRestart === true && !restarted;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(async () => {
      const all = await ipc.clients();
      const desktop = all.find((c) => c.client === "claude_desktop");
      if (desktop && !desktop.needsRestart) {
        setClient(desktop);
        setRestarted(true);
      }
    }, pollMs);
    return () => clearInterval(timer);
  }, [ipc, waiting, pollMs]);

  if (!client) {
    return (
      <>
        <p>One click adds NovaBACKUP to Claude Desktop, so Claude can ask your Management Servers.</p>
        {error && <ErrorNote error={error} />}
        <div className="actions">
          <button type="button" className="primary" onClick={connect} disabled={busy}>
            {busy ? "Connecting…" : "Connect Claude Desktop"}
          </button>
          <button type="button" className="quiet" onClick={onSkip}>
            Skip for now
          </button>
        </div>
      </>
    );
  }

  // Claude Desktop has NovaBACKUP as an extension already: nothing was written, nothing to restart.
  if (client.state === "extension") {
    return (
      <>
        <p className="note note-ok">NovaBACKUP is already installed in Claude Desktop as an extension.</p>
        <ContinueButton onContinue={onContinue} />
      </>
    );
  }

  return (
    <>
      <p className="note note-ok">Claude Desktop is connected.</p>
      <div role="status" aria-live="polite">
        {waiting && (
          <p className="note note-progress">
            <strong>One more step:</strong> {RESTART_CLAUDE} <span className="spinner" aria-hidden="true" /> Waiting
            for Claude to restart…
          </p>
        )}
        {restarted && <p className="note note-ok">Claude has restarted and can now use NovaBACKUP.</p>}
        {!client.needsRestart && !restarted && <p>Open Claude Desktop to start asking.</p>}
      </div>
      <ContinueButton onContinue={onContinue} />
    </>
  );
}

function ContinueButton({ onContinue }: { onContinue: () => void }) {
  return (
    <div className="actions">
      <button type="button" className="primary" onClick={onContinue}>
        Continue
      </button>
    </div>
  );
}
