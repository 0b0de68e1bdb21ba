import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc, type ClientId, type ClientView, type CommandError } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";
import { Details } from "../components/Details";
import { clientSentence } from "../i18n/words";
import { RESTART_POLL_MS } from "./ClaudeDesktopConnect";

type Props = { pollMs?: number };

/** Claude Desktop and the other clients, each with its status and one action. While
 * a client waits to be restarted, the panel looks again every `pollMs` and says so
 * when it has been. */
export function Clients({ pollMs = RESTART_POLL_MS }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
  const [clients, setClients] = useState<ClientView[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [restarted, setRestarted] = useState<ClientId[]>([]);

  useEffect(() => {
    let live = true;
    ipc.clients().then((all) => live && setClients(all));
    // After each health round the app looks at the entries again (a file edited by
    // hand, a program moved): show what it found.
    const unlisten = ipc.onClientsChecked((all) => live && setClients(all));
    return () => {
      live = false;
      void unlisten.then((stop) => stop());
    };
  }, [ipc]);

  // A client that waited for a restart and no longer does has been restarted, however
  // the news came (the polling below, or the app's look after a health round).
  const previous = useRef<ClientView[] | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = clients;
    if (!before || !clients) return;
    const done = before
      .filter((b) => b.needsRestart && clients.some((c) => c.client === b.client && !c.needsRestart))
      .map((b) => b.client);
    if (done.length > 0) setRestarted((all) => [...all.filter((c) => !done.includes(c)), ...done]);
  }, [clients]);

  const waiting = (clients ?? []).some((c) => c.needsRestart);
  useEffect(() => {
    if (!waiting) return;
    let live = true;
    const timer = setInterval(async () => {
      const all = await ipc.clients();
      if (live) setClients(all);
    }, pollMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [ipc, waiting, pollMs]);

  const act = async (client: ClientView, action: "connect" | "disconnect") => {
    setBusy(client.client);
    setError(null);
    const result =
      action === "connect" ? await ipc.connectClient(client.client) : await ipc.disconnectClient(client.client);
    setBusy(null);
    if (result.status === "ok") {
      setRestarted((before) => before.filter((c) => c !== client.client));
      setClients((all) => (all ?? []).map((c) => (c.client === client.client ? result.data : c)));
    } else {
      setError(result.error);
    }
  };

  if (!clients) return <p role="status">{t("clients.looking")}</p>;

  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title">{t("clients.title")}</h2>
      {error && <ErrorNote error={error} />}
      <ul className="cards">
        {clients.map((client) => (
          <ClientCard
            key={client.client}
            client={client}
            busy={busy === client.client}
            restarted={restarted.includes(client.client)}
            onConnect={() => act(client, "connect")}
            onDisconnect={() => act(client, "disconnect")}
          />
        ))}
      </ul>
    </section>
  );
}

type CardProps = {
  client: ClientView;
  busy: boolean;
  restarted: boolean;
  onConnect: () => void;
  onDisconnect: () => void;
};

function ClientCard({ client, busy, restarted, onConnect, onDisconnect }: CardProps) {
  const { t } = useTranslation();
  const warning = client.state === "missing" || client.state === "broken" || client.duplicateEntry;
  const ok = (client.state === "connected" || client.state === "extension") && !warning;
  return (
    <li className={warning ? "card card-warning" : "card"} aria-label={client.name}>
      <h3>
        <span className={`dot dot-${ok ? "green" : warning ? "amber" : "grey"}`} aria-hidden="true">
          {ok ? "✓" : warning ? "!" : "–"}
        </span>
        {client.name}
      </h3>
      <p role={warning && !client.duplicateEntry ? "alert" : undefined}>{clientSentence(t, client)}</p>
      {client.duplicateEntry && <p role="alert">{t("clients.duplicateEntry")}</p>}
      {client.needsRestart && (
        <p className="note note-progress">
          <strong>{t("clients.oneMoreStep")}</strong> <span>{t("clients.restart")}</span>{" "}
          <span className="spinner" aria-hidden="true" /> {t("clients.waiting")}
        </p>
      )}
      {restarted && client.state === "connected" && (
        <p className="note note-ok">{t("clients.restarted")}</p>
      )}
      {client.configPath && <Details text={t("clients.settingsFile", { path: client.configPath })} />}
      <div className="actions">
        {client.state === "connected" && (
          <button type="button" className="secondary" onClick={onDisconnect} disabled={busy}>
            {busy ? t("clients.disconnecting") : t("clients.disconnect")}
          </button>
        )}
        {client.duplicateEntry && (
          <button type="button" className="primary" onClick={onDisconnect} disabled={busy}>
            {busy ? t("clients.removingExtra") : t("clients.removeExtra")}
          </button>
        )}
        {warning && !client.duplicateEntry && (
          <button type="button" className="primary" onClick={onConnect} disabled={busy}>
            {busy ? t("clients.repairing") : t("clients.repair")}
          </button>
        )}
        {(client.state === "not_connected" || client.state === "not_installed") && (
          <button type="button" className="primary" onClick={onConnect} disabled={busy}>
            {busy ? t("clients.connecting") : t("clients.connect")}
          </button>
        )}
      </div>
    </li>
  );
}
