import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc, type ClientView, type CommandError, type Keychain, type ServerView } from "../ipc";
import { ServerForm } from "../components/ServerForm";
import { ErrorNote } from "../components/ErrorNote";
import { ClaudeDesktopConnect } from "./ClaudeDesktopConnect";
import { SetupDone, claudeConnected } from "./SetupDone";

const STEPS = ["addServer", "connectClaude", "done"] as const;
const CLAUDE_STEP = 1;
const LAST_STEP = 2;

type StepState = "todo" | "current" | "done" | "skipped";

type Props = { keychain: Keychain; onFinished: () => void; restartPollMs?: number };

/** The guided first run: add a server, connect Claude Desktop, then the last step says
 * what is ready and what is still missing. */
export function Setup({ keychain, onFinished, restartPollMs }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [server, setServer] = useState<ServerView | null>(null);
  const [demoError, setDemoError] = useState<CommandError | null>(null);
  const [addingDemo, setAddingDemo] = useState(false);
  const [skippedClaude, setSkippedClaude] = useState(false);
  // Every client as the app sees it on the last step: whether Claude can be asked.
  const [clients, setClients] = useState<ClientView[] | null>(null);

  const saved = (view: ServerView) => {
    setServer(view);
    setStep(CLAUDE_STEP);
  };

  const tryDemo = async () => {
    setAddingDemo(true);
    setDemoError(null);
    const result = await ipc.addDemoServer();
    setAddingDemo(false);
    if (result.status === "ok") saved(result.data);
    else setDemoError(result.error);
  };

  const toLastStep = async (skipped: boolean) => {
    setSkippedClaude(skipped);
    setClients(null);
    setStep(LAST_STEP);
    setClients(await ipc.clients());
  };

  const stepState = (index: number): StepState => {
    if (index === step) return "current";
    if (index > step) return "todo";
    if (index === CLAUDE_STEP) {
      const missing = clients ? !claudeConnected(clients) : skippedClaude;
      if (missing) return "skipped";
    }
    return "done";
  };

  return (
    <main className="setup">
      <h1>{t("setup.title")}</h1>
      <ol className="steps" aria-label={t("setup.steps")}>
        {STEPS.map((name, index) => {
          const state = stepState(index);
          return (
            <li key={name} className={`step ${state}`} aria-current={state === "current" ? "step" : undefined}>
              <span className="step-number" aria-hidden="true">
                {state === "done" ? "✓" : state === "skipped" ? "!" : index + 1}
              </span>
              {t(`setup.step.${name}`)}
              {state === "skipped" && <span className="step-note"> · {t("setup.skipped")}</span>}
            </li>
          );
        })}
      </ol>

      {step === 0 && (
        <section aria-labelledby="step-title">
          <h2 id="step-title">{t("setup.step.addServer")}</h2>
          <p>{t("setup.addServerIntro")}</p>
          <p className="demo-offer">
            {t("setup.noServer")}{" "}
            <button type="button" className="link" onClick={tryDemo} disabled={addingDemo}>
              {addingDemo ? t("setup.addingDemo") : t("setup.tryDemo")}
            </button>
          </p>
          {demoError && <ErrorNote error={demoError} />}
          <ServerForm keychain={keychain} saveLabel={t("form.saveAndContinue")} onSaved={saved} />
        </section>
      )}

      {step === CLAUDE_STEP && (
        <section aria-labelledby="step-title">
          <h2 id="step-title">{t("setup.step.connectClaude")}</h2>
          {server && <p className="note note-ok">{t("setup.saved", { label: server.label })}</p>}
          <ClaudeDesktopConnect
            onContinue={() => toLastStep(false)}
            onSkip={() => toLastStep(true)}
            pollMs={restartPollMs}
          />
        </section>
      )}

      {step === LAST_STEP && (
        <SetupDone
          clients={clients}
          onConnected={(client) => setClients((all) => replaceClient(all ?? [], client))}
          onFinished={onFinished}
        />
      )}
    </main>
  );
}

/** The list with `client` in place of its old entry (or added). */
function replaceClient(all: ClientView[], client: ClientView): ClientView[] {
  return all.some((c) => c.client === client.client)
    ? all.map((c) => (c.client === client.client ? client : c))
    : [...all, client];
}
