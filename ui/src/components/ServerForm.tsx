import { useRef, useState, type FormEvent } from "react";
import { useIpc, type CommandError, type ConnectionSummary, type ServerInput, type ServerView } from "../ipc";
import { connectedSentence, explainError } from "../words";
import { Details } from "./Details";

type Test =
  | { kind: "idle" }
  | { kind: "testing" }
  | { kind: "connected"; summary: ConnectionSummary }
  | { kind: "failed"; error: CommandError };

type Props = {
  /** The server being edited, or nothing to add a new one. */
  server?: ServerView | null;
  /** Where the password is kept, e.g. "your system keyring". */
  keychainName: string;
  saveLabel?: string;
  onSaved: (server: ServerView) => void;
  onCancel?: () => void;
};

/** Add or edit one Management Server: test the connection in plain words, then save. */
export function ServerForm({ server, keychainName, saveLabel = "Save", onSaved, onCancel }: Props) {
  const ipc = useIpc();
  const editing = Boolean(server);
  const [label, setLabel] = useState(server?.label ?? "");
  const [baseUrl, setBaseUrl] = useState(server?.baseUrl ?? "");
  const [username, setUsername] = useState(server?.username ?? "");
  const [password, setPassword] = useState("");
  const [caCertificate, setCaCertificate] = useState<string | null>(server?.caCertificate ?? null);
  const [test, setTest] = useState<Test>({ kind: "idle" });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<CommandError | null>(null);
  const [showMissing, setShowMissing] = useState(false);
  const attempt = useRef(0);

  const missing = {
    label: label.trim() === "",
    baseUrl: baseUrl.trim() === "",
    username: username.trim() === "",
    password: !editing && password === "",
  };
  const complete = !Object.values(missing).some(Boolean);

  const input = (ca: string | null = caCertificate): ServerInput => ({
    serverId: server?.serverId ?? null,
    label: label.trim(),
    baseUrl: baseUrl.trim(),
    username: username.trim(),
    password: password === "" ? null : password,
    caCertificate: ca,
  });

  const runTest = async (ca: string | null = caCertificate) => {
    if (!complete) {
      setShowMissing(true);
      return;
    }
    const mine = ++attempt.current;
    setTest({ kind: "testing" });
    const result = await ipc.testConnection(input(ca));
    if (mine !== attempt.current) return; // cancelled or superseded
    setTest(
      result.status === "ok" ? { kind: "connected", summary: result.data } : { kind: "failed", error: result.error },
    );
  };

  const cancelTest = () => {
    attempt.current++;
    setTest({ kind: "idle" });
    void ipc.cancelConnectionTest();
  };

  const trustCertificate = async () => {
    const file = await ipc.pickCaCertificate();
    if (file) {
      setCaCertificate(file);
      await runTest(file);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete) {
      setShowMissing(true);
      return;
    }
    setSaving(true);
    setSaveError(null);
    const result = await ipc.saveServer(input());
    setSaving(false);
    if (result.status === "ok") onSaved(result.data);
    else setSaveError(result.error);
  };

  const changed = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (test.kind !== "testing") setTest({ kind: "idle" });
  };

  const tested = test.kind === "connected";
  return (
    <form className="server-form" onSubmit={save} noValidate aria-label={editing ? "Edit server" : "Add server"}>
      <Field
        id="label"
        label="Name"
        hint="A name you recognise, for example your company or the server's location."
        value={label}
        onChange={changed(setLabel)}
        invalid={showMissing && missing.label}
      />
      <Field
        id="baseUrl"
        label="Management Server address"
        hint="For example https://backup.example.com/managementserver (include “/managementserver” at the end)."
        value={baseUrl}
        onChange={changed(setBaseUrl)}
        invalid={showMissing && missing.baseUrl}
        type="url"
        placeholder="https://backup.example.com/managementserver"
      />
      <Field
        id="username"
        label="Username"
        hint="The user you sign in to the Management Server with."
        value={username}
        onChange={changed(setUsername)}
        invalid={showMissing && missing.username}
        autoComplete="username"
      />
      <Field
        id="password"
        label="Password"
        hint={
          editing
            ? `Leave empty to keep the saved password. It is kept in ${keychainName}.`
            : `Your password is kept in ${keychainName}, never in a file.`
        }
        value={password}
        onChange={changed(setPassword)}
        invalid={showMissing && missing.password}
        type="password"
        autoComplete="current-password"
      />
      {caCertificate && (
        <p className="hint">
          Trusting the certificate authority in <code>{caCertificate}</code>.{" "}
          <button type="button" className="link" onClick={() => setCaCertificate(null)}>
            Stop trusting it
          </button>
        </p>
      )}

      <div className="test-result" role="status" aria-live="polite">
        {test.kind === "testing" && (
          <p className="note note-progress">
            <span className="spinner" aria-hidden="true" /> Testing the connection…{" "}
            <button type="button" className="quiet" onClick={cancelTest}>
              Cancel
            </button>
          </p>
        )}
        {test.kind === "connected" && <p className="note note-ok">{connectedSentence(test.summary)}</p>}
        {test.kind === "failed" && (
          <div className="note note-error">
            <p>{explainError(test.error.code)}</p>
            {test.error.code === "certificate" && (
              <p>
                If your company gave you the server's CA certificate, trust it for this server only:{" "}
                <button type="button" onClick={trustCertificate}>
                  Trust a CA certificate from a file…
                </button>
              </p>
            )}
            <Details text={[test.error.message, test.error.detail].filter(Boolean).join("\n")} />
          </div>
        )}
      </div>
      {saveError && (
        <div className="note note-error" role="alert">
          <p>{explainError(saveError.code)}</p>
          <Details text={[saveError.message, saveError.detail].filter(Boolean).join("\n")} />
        </div>
      )}

      <div className="actions">
        <button
          type="button"
          className={tested ? "secondary" : "primary"}
          onClick={() => runTest()}
          disabled={test.kind === "testing"}
        >
          Test connection
        </button>
        <button type="submit" className={tested ? "primary" : "secondary"} disabled={saving}>
          {saving ? "Saving…" : saveLabel}
        </button>
        {onCancel && (
          <button type="button" className="quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

type FieldProps = {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  type?: string;
  placeholder?: string;
  autoComplete?: string;
};

function Field({ id, label, hint, value, onChange, invalid, type = "text", placeholder, autoComplete }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        autoComplete={autoComplete}
        aria-invalid={invalid}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <small id={`${id}-hint`} className={invalid ? "hint hint-error" : "hint"}>
        {invalid ? `Please fill in: ${label.toLowerCase()}. ` : ""}
        {hint}
      </small>
    </div>
  );
}
