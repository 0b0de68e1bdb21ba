import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc, type CommandError, type Keychain, type Overview, type ServerView } from "../ipc";
import { ServerForm } from "../components/ServerForm";
import { StatusDot } from "../components/StatusDot";
import { ErrorNote } from "../components/ErrorNote";
import { Details } from "../components/Details";
import { healthLine } from "../i18n/words";
import { dateTime } from "../i18n/format";

type Props = {
  overview: Overview;
  keychain: Keychain;
  onChange: (overview: Overview) => void;
  /** The current time in milliseconds, for "checked 2 min ago". */
  now: number;
  /** Open at the add form (asked for from another tab). */
  startAdding?: boolean;
};

type Editing = { kind: "none" } | { kind: "add" } | { kind: "edit"; server: ServerView };

/** The list of saved servers with their health, and add / edit / remove / check now. */
export function Servers({ overview, keychain, onChange, now, startAdding = false }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Editing>(startAdding ? { kind: "add" } : { kind: "none" });
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
        <h2 id="form-title">{server ? t("servers.editTitle", { label: server.label }) : t("servers.addTitle")}</h2>
        <ServerForm
          key={server?.serverId ?? "new"}
          server={server}
          keychain={keychain}
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
        <h2 id="servers-title">{t("servers.title")}</h2>
        <div className="actions">
          {overview.servers.length > 0 && (
            <button type="button" className="secondary" onClick={() => checkNow(null)} disabled={checking !== null}>
              {checking === "all" ? t("servers.checking") : t("servers.checkAll")}
            </button>
          )}
          <button type="button" className="primary" onClick={() => setEditing({ kind: "add" })}>
            {t("servers.add")}
          </button>
        </div>
      </div>
      {overview.servers.length > 0 && <p className="servers-summary">{overview.summary}</p>}
      {error && <ErrorNote error={error} />}
      {overview.servers.length === 0 ? (
        <div className="empty">
          <p>{t("servers.emptyTitle")}</p>
          <p>{t("servers.emptyText")}</p>
        </div>
      ) : (
        <ul className="server-list" aria-label={t("servers.list")}>
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
          keychain={keychain}
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
  const { t, i18n } = useTranslation();
  const health = checking ? { ...server.health, state: "checking" as const } : server.health;
  const problem = health.state !== "healthy" && health.state !== "checking";
  return (
    <li className="server-row" aria-label={server.label}>
      <StatusDot state={health.state} />
      <div className="server-text">
        <div className="server-name">
          {server.label}
          {server.demo && <span className="badge">{t("servers.demo")}</span>}
        </div>
        <div className="server-status" title={health.checkedAt ? dateTime(i18n.language, health.checkedAt) : undefined}>
          {healthLine(t, i18n.language, health, now)}
        </div>
        {problem && health.code && (
          <p className="server-problem">{t(`errors.${health.code}`)}</p>
        )}
        {problem && (health.message || health.detail) && (
          <Details text={[health.message, health.detail].filter(Boolean).join("\n")} />
        )}
      </div>
      <div className="row-actions">
        <button type="button" className="secondary" onClick={onCheck} disabled={checking}>
          {t("servers.checkNow")}
        </button>
        <button type="button" className="secondary" onClick={onEdit}>
          {t("servers.edit")}
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          {t("servers.remove")}
        </button>
      </div>
    </li>
  );
}

type ConfirmProps = { server: ServerView; keychain: Keychain; onConfirm: () => void; onCancel: () => void };

function ConfirmRemove({ server, keychain, onConfirm, onCancel }: ConfirmProps) {
  const { t } = useTranslation();
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
      <h3 id="remove-title">{t("servers.removeTitle", { label: server.label })}</h3>
      <p>{t("servers.removeText", { from: t(`keychain.${keychain}.from`) })}</p>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm}>
          {t("servers.remove")}
        </button>
        <button type="button" className="secondary" ref={cancel} onClick={onCancel}>
          {t("servers.cancel")}
        </button>
      </div>
    </div>
  );
}
