import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc, type ClientView, type CommandError } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";

/** How often to look whether Claude Desktop has been restarted. */
export const RESTART_POLL_MS = 2000;

type Props = { onContinue: () => void; onSkip: () => void; pollMs?: number };

/** Setup step 2: one button that connects Claude Desktop, then the restart it needs. */
export function ClaudeDesktopConnect({ onContinue, onSkip, pollMs = RESTART_POLL_MS }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
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
        <p>{t("setup.connectIntro")}</p>
        {error && <ErrorNote error={error} />}
        <div className="actions">
          <button type="button" className="primary" onClick={connect} disabled={busy}>
            {busy ? t("setup.connecting") : t("setup.connectClaude")}
          </button>
          <button type="button" className="quiet" onClick={onSkip}>
            {t("setup.skip")}
          </button>
        </div>
      </>
    );
  }

  // Claude Desktop has NovaBACKUP as an extension already: nothing was written, nothing to restart.
  if (client.state === "extension") {
    return (
      <>
        <p className="note note-ok">{t("setup.extensionInstalled")}</p>
        <ContinueButton onContinue={onContinue} />
      </>
    );
  }

  return (
    <>
      <p className="note note-ok">{t("setup.claudeConnected")}</p>
      <div role="status" aria-live="polite">
        {waiting && (
          <p className="note note-progress">
            <strong>{t("clients.oneMoreStep")}</strong> {t("clients.restart")}{" "}
            <span className="spinner" aria-hidden="true" /> {t("clients.waiting")}
          </p>
        )}
        {restarted && <p className="note note-ok">{t("clients.restarted")}</p>}
        {!client.needsRestart && !restarted && <p>{t("setup.openClaude")}</p>}
      </div>
      <ContinueButton onContinue={onContinue} />
    </>
  );
}

function ContinueButton({ onContinue }: { onContinue: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="primary" onClick={onContinue}>
        {t("setup.continue")}
      </button>
    </div>
  );
}
