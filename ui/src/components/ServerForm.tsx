import { useRef, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import {
  useIpc,
  type CommandError,
  type ConnectionSummary,
  type Keychain,
  type ServerInput,
  type ServerView,
} from "../ipc";
import { connectedSentence, explainError } from "../i18n/words";
import { Details } from "./Details";

type Test =
  | { kind: "idle" }
  | { kind: "testing" }
  | { kind: "connected"; summary: ConnectionSummary }
  | { kind: "failed"; error: CommandError };

type Props = {
  /** The server being edited, or nothing to add a new one. */
  server?: ServerView | null;
  /** Where the password is kept (the words for it come from the catalogue). */
  keychain: Keychain;
  /** The save button's text (default: Save). */
  saveLabel?: string;
  onSaved: (server: ServerView) => void;
  onCancel?: () => void;
};

/** Add or edit one Management Server: test the connection in plain words, then save. */
export function ServerForm({ server, keychain, saveLabel, onSaved, onCancel }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
  const keptIn = t(`keychain.${keychain}.in`);
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
    <form className="server-form" onSubmit={save} noValidate aria-label={editing ? t("form.editLabel") : t("form.addLabel")}>
      <Field
        id="label"
        label={t("form.name.label")}
        hint={t("form.name.hint")}
        missingText={t("form.name.missing")}
        value={label}
        onChange={changed(setLabel)}
        invalid={showMissing && missing.label}
      />
      <Field
        id="baseUrl"
        label={t("form.address.label")}
        hint={t("form.address.hint")}
        missingText={t("form.address.missing")}
        value={baseUrl}
        onChange={changed(setBaseUrl)}
        invalid={showMissing && missing.baseUrl}
        type="url"
        placeholder={t("form.address.placeholder")}
      />
      <Field
        id="username"
        label={t("form.username.label")}
        hint={t("form.username.hint")}
        missingText={t("form.username.missing")}
        value={username}
        onChange={changed(setUsername)}
        invalid={showMissing && missing.username}
        autoComplete="username"
      />
      <Field
        id="password"
        label={t("form.password.label")}
        hint={editing ? t("form.password.hintEdit", { in: keptIn }) : t("form.password.hintNew", { in: keptIn })}
        missingText={t("form.password.missing")}
        value={password}
        onChange={changed(setPassword)}
        invalid={showMissing && missing.password}
        type="password"
        autoComplete="current-password"
      />
      {caCertificate && (
        <p className="hint">
          <Trans i18nKey="form.trustingCa" values={{ file: caCertificate }} components={{ code: <code /> }} />{" "}
          <button type="button" className="link" onClick={() => setCaCertificate(null)}>
            {t("form.stopTrusting")}
          </button>
        </p>
      )}

      <div className="test-result" role="status" aria-live="polite">
        {test.kind === "testing" && (
          <p className="note note-progress">
            <span className="spinner" aria-hidden="true" /> {t("form.testing")}{" "}
            <button type="button" className="quiet" onClick={cancelTest}>
              {t("form.cancel")}
            </button>
          </p>
        )}
        {test.kind === "connected" && <p className="note note-ok">{connectedSentence(t, test.summary)}</p>}
        {test.kind === "failed" && (
          <div className="note note-error">
            <p>{explainError(t, test.error)}</p>
            {test.error.code === "certificate" && (
              <p>
                {t("form.trustOffer")}{" "}
                <button type="button" onClick={trustCertificate}>
                  {t("form.trustButton")}
                </button>
              </p>
            )}
            <Details text={[test.error.message, test.error.detail].filter(Boolean).join("\n")} />
          </div>
        )}
      </div>
      {saveError && (
        <div className="note note-error" role="alert">
          <p>{explainError(t, saveError)}</p>
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
          {t("form.test")}
        </button>
        <button type="submit" className={tested ? "primary" : "secondary"} disabled={saving}>
          {saving ? t("form.saving") : (saveLabel ?? t("form.save"))}
        </button>
        {onCancel && (
          <button type="button" className="quiet" onClick={onCancel}>
            {t("form.cancel")}
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
  /** What the hint says first while the field is missing. */
  missingText: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  type?: string;
  placeholder?: string;
  autoComplete?: string;
};

function Field({ id, label, hint, missingText, value, onChange, invalid, type = "text", placeholder, autoComplete }: FieldProps) {
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
        {invalid ? `${missingText} ` : ""}
        {hint}
      </small>
    </div>
  );
}
