import { useEffect, useId, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useIpc, type ClientView, type CommandError, type Settings } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";
import { connectedClientsSentence } from "../i18n/words";

/** Questions worth trying first (their keys). */
export const QUESTIONS_TO_TRY = ["setup.question1", "setup.question2"] as const;

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
  const { t } = useTranslation();
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
          <h2 id="step-title">{t("setup.almostDone")}</h2>
          <p role="status">{t("clients.looking")}</p>
        </>
      )}
      {clients !== null && !ready && (
        <>
          <h2 id="step-title">{t("setup.notConnectedTitle")}</h2>
          <div className="note note-warning">
            <p>
              <Trans i18nKey="setup.notConnectedText" components={{ strong: <strong /> }} />
            </p>
          </div>
          <div className="actions">
            <button type="button" className="primary" onClick={connect} disabled={connecting}>
              {connecting ? t("setup.connecting") : t("setup.connectClaude")}
            </button>
          </div>
        </>
      )}
      {ready && (
        <>
          <h2 id="step-title">{t("setup.ready")}</h2>
          <p className="note note-ok">{connectedClientsSentence(t, clients)}</p>
          {desktop?.needsRestart && (
            <p className="note note-progress">
              <strong>{t("clients.oneMoreStep")}</strong> {t("clients.restart")}
            </p>
          )}
          <p>{t("setup.tryQuestions")}</p>
          <ul className="questions">
            {QUESTIONS_TO_TRY.map((question) => (
              <li key={question}>
                <q>{t(question)}</q>
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
            {t("setup.startAtLogin")}
          </label>
          <p className="hint" id={hintId}>
            {t("setup.startHint", { interval: t("setup.interval", { count: settings.checkIntervalMinutes }) })}
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
          {finishing ? t("setup.saving") : t("setup.finish")}
        </button>
      </div>
    </section>
  );
}
