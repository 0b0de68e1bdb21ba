import { useState } from "react";
import { useIpc, type CommandError, type ServerView } from "../ipc";
import { ServerForm } from "../components/ServerForm";
import { ErrorNote } from "../components/ErrorNote";
import { ClaudeDesktopConnect } from "./ClaudeDesktopConnect";
import { QUESTIONS_TO_TRY } from "../words";

const STEPS = ["Add your Management Server", "Connect Claude Desktop", "Done"];

type Props = { keychainName: string; onFinished: () => void; restartPollMs?: number };

/** The guided first run: add a server, connect Claude Desktop, try a question. */
export function Setup({ keychainName, onFinished, restartPollMs }: Props) {
  const ipc = useIpc();
  const [step, setStep] = useState(0);
  const [server, setServer] = useState<ServerView | null>(null);
  const [demoError, setDemoError] = useState<CommandError | null>(null);
  const [addingDemo, setAddingDemo] = useState(false);

  const saved = (view: ServerView) => {
    setServer(view);
    setStep(1);
  };

  const tryDemo = async () => {
    setAddingDemo(true);
    setDemoError(null);
    const result = await ipc.addDemoServer();
    setAddingDemo(false);
    if (result.status === "ok") saved(result.data);
    else setDemoError(result.error);
  };

  return (
    <main className="setup">
      <h1>Set up NovaBACKUP MCP Companion</h1>
      <ol className="steps" aria-label="Setup steps">
        {STEPS.map((name, index) => (
          <li
            key={name}
            className={index === step ? "step current" : index < step ? "step done" : "step"}
            aria-current={index === step ? "step" : undefined}
          >
            <span className="step-number" aria-hidden="true">
              {index < step ? "✓" : index + 1}
            </span>
            {name}
          </li>
        ))}
      </ol>

      {step === 0 && (
        <section aria-labelledby="step-title">
          <h2 id="step-title">Add your Management Server</h2>
          <p>
            The Management Server is where NovaBACKUP keeps your customers and the computers it backs up. Enter the
            address and the user you sign in with.
          </p>
          <ServerForm keychainName={keychainName} saveLabel="Save and continue" onSaved={saved} />
          <p className="demo-offer">
            No server at hand?{" "}
            <button type="button" className="link" onClick={tryDemo} disabled={addingDemo}>
              {addingDemo ? "Adding demo data…" : "Try with demo data"}
            </button>
          </p>
          {demoError && <ErrorNote error={demoError} />}
        </section>
      )}

      {step === 1 && (
        <section aria-labelledby="step-title">
          <h2 id="step-title">Connect Claude Desktop</h2>
          {server && (
            <p className="note note-ok">
              {server.label} is saved{server.demo ? " (demo data)" : ""}.
            </p>
          )}
          <ClaudeDesktopConnect onContinue={() => setStep(2)} pollMs={restartPollMs} />
        </section>
      )}

      {step === 2 && (
        <section aria-labelledby="step-title">
          <h2 id="step-title">You are ready</h2>
          <p>Open Claude and try one of these questions:</p>
          <ul className="questions">
            {QUESTIONS_TO_TRY.map((question) => (
              <li key={question}>
                <q>{question}</q>
              </li>
            ))}
          </ul>
          <p>This app keeps running next to the clock and tells you when a server stops answering.</p>
          <div className="actions">
            <button type="button" className="primary" onClick={onFinished}>
              Finish
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
