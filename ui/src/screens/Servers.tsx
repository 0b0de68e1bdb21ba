import { useEffect, useRef, useState } from "react";
import { useIpc, type CommandError, type Overview, type ServerView } from "../ipc";
import { ServerForm } from "../components/ServerForm";
import { StatusDot } from "../components/StatusDot";
import { ErrorNote } from "../components/ErrorNote";
import { Details } from "../components/Details";
import { healthLine } from "../words";

type Props = {
  overview: Overview;
  keychainName: string;
  onChange: (overview: Overview) => void;
  /** The current time in milliseconds, for "checked 2 min ago". */
  now: number;
};

type Editing = { kind: "none" } | { kind: "add" } | { kind: "edit"; server: ServerView };

/** The list of saved servers with their health, and add / edit / remove / check now. */
export function Servers({ overview, keychainName, onChange, now }: Props) {
  const ipc = useIpc();
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [removing, setRemoving] = useState<ServerView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [checking, setChecking] = useState<string | null>(null);

  const refresh = async () => onChange(await ipc.overview());

  const checkNow = async (serverId: string | null) => {
    setChecking(serverId ?? "all");
    try {
      onChange(await ipc.checkNow(serverId));
    } finally {
      setChecking(null);
    }
  };

  const remove = async (server: ServerView) => {
    setRemoving(null);
    const result = await ipc.removeServer(server.serverId);
    if (result.status === "error") setError(result.error);
    else setError(null);
    await refresh();
  };

  if (editing.kind !== "none") {
    const server = editing.kind === "edit" ? editing.server : null;
    return (
      <section aria-labelledby="form-title">
        <h2 id="form-title">{server ? `Edit ${server.label}` : "Add a Management Server"}</h2>
        <ServerForm
          key={server?.serverId ?? "new"}
          server={server}
          keychainName={keychainName}
          onSaved={async () => {
            // The app checks a saved server at once and tells the window the outcome
            // (a health event); the list shows it being checked until then.
            setEditing({ kind: "none" });
            await refresh();
          }}
          onCancel={() => setEditing({ kind: "none" })}
        />
      </section>
    );
  }

  return (
    <section aria-labelledby="servers-title">
      <div className="section-head">
        <h2 id="servers-title">Management Servers</h2>
        <div className="actions">
          {overview.servers.length > 0 && (
            <button type="button" className="secondary" onClick={() => checkNow(null)} disabled={checking !== null}>
              {checking === "all" ? "Checking…" : "Check all now"}
            </button>
          )}
          <button type="button" className="primary" onClick={() => setEditing({ kind: "add" })}>
            Add a server
          </button>
        </div>
      </div>
      {error && <ErrorNote error={error} />}
      {overview.servers.length === 0 ? (
        <div className="empty">
          <p>No Management Server yet.</p>
          <p>
            A Management Server is where NovaBACKUP keeps your customers and the computers it backs up. Add yours so
            Claude can answer questions about your backups.
          </p>
        </div>
      ) : (
        <ul className="server-list" aria-label="Saved servers">
          {overview.servers.map((server) => (
            <ServerRow
              key={server.serverId}
              server={server}
              now={now}
              checking={checking === server.serverId || checking === "all"}
              onCheck={() => checkNow(server.serverId)}
              onEdit={() => setEditing({ kind: "edit", server })}
              onRemove={() => setRemoving(server)}
            />
          ))}
        </ul>
      )}
      {removing && (
        <ConfirmRemove
          server={removing}
          keychainName={keychainName}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

type RowProps = {
  server: ServerView;
  now: number;
  checking: boolean;
  onCheck: () => void;
  onEdit: () => void;
  onRemove: () => void;
};

function ServerRow({ server, now, checking, onCheck, onEdit, onRemove }: RowProps) {
  const health = checking ? { ...server.health, state: "checking" as const } : server.health;
  const problem = health.state !== "healthy" && health.state !== "checking";
  return (
    <li className="server-row" aria-label={server.label}>
      <StatusDot state={health.state} />
      <div className="server-text">
        <div className="server-name">
          {server.label}
          {server.demo && <span className="badge">Demo data</span>}
        </div>
        <div className="server-status">{healthLine(health, now)}</div>
        {problem && health.message && <p className="server-problem">{health.message}</p>}
        {problem && health.detail && <Details text={health.detail} />}
      </div>
      <div className="row-actions">
        <button type="button" className="secondary" onClick={onCheck} disabled={checking}>
          Check now
        </button>
        <button type="button" className="secondary" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          Remove
        </button>
      </div>
    </li>
  );
}

type ConfirmProps = { server: ServerView; keychainName: string; onConfirm: () => void; onCancel: () => void };

function ConfirmRemove({ server, keychainName, onConfirm, onCancel }: ConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      className="dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="remove-title"
      onKeyDown={(event) => event.key === "Escape" && onCancel()}
    >
      <h3 id="remove-title">Remove {server.label}?</h3>
      <p>Claude will no longer see this server, and its password is deleted from {keychainName}.</p>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm}>
          Remove
        </button>
        <button type="button" className="secondary" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
