import { useEffect, useState } from "react";
import { useIpc, type ClientView, type CommandError } from "../ipc";
import { ErrorNote } from "../components/ErrorNote";
import { Details } from "../components/Details";
import { clientSentence, RESTART_CLAUDE } from "../words";

/** Claude Desktop and the other clients, each with its status and one action. */
export function Clients() {
  const ipc = useIpc();
  const [clients, setClients] = useState<ClientView[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.clients().then((all) => live && setClients(all));
    return () => {
      live = false;
    };
  }, [ipc]);

  const act = async (client: ClientView, action: "connect" | "disconnect") => {
    setBusy(client.client);
    setError(null);
    const result =
      action === "connect" ? await ipc.connectClient(client.client) : await ipc.disconnectClient(client.client);
    setBusy(null);
    if (result.status === "ok") {
      setClients((all) => (all ?? []).map((c) => (c.client === client.client ? result.data : c)));
    } else {
      setError(result.error);
    }
  };

  if (!clients) return <p role="status">Looking for Claude on this computer…</p>;

  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title">Claude</h2>
      {error && <ErrorNote error={error} />}
      <ul className="cards">
        {clients.map((client) => (
          <ClientCard
            key={client.client}
            client={client}
            busy={busy === client.client}
            onConnect={() => act(client, "connect")}
            onDisconnect={() => act(client, "disconnect")}
          />
        ))}
      </ul>
    </section>
  );
}

type CardProps = { client: ClientView; busy: boolean; onConnect: () => void; onDisconnect: () => void };

function ClientCard({ client, busy, onConnect, onDisconnect }: CardProps) {
  const warning = client.state === "missing" || client.state === "broken";
  return (
    <li className={warning ? "card card-warning" : "card"} aria-label={client.name}>
      <h3>
        <span className={`dot dot-${client.state === "connected" ? "green" : warning ? "amber" : "grey"}`} aria-hidden="true">
          {client.state === "connected" ? "✓" : warning ? "!" : "–"}
        </span>
        {client.name}
      </h3>
      <p role={warning ? "alert" : undefined}>{clientSentence(client)}</p>
      {client.needsRestart && <p className="note note-progress">{RESTART_CLAUDE}</p>}
      {client.configPath && <Details text={`Settings file: ${client.configPath}`} />}
      <div className="actions">
        {client.state === "connected" && (
          <button type="button" className="secondary" onClick={onDisconnect} disabled={busy}>
            {busy ? "Disconnecting…" : "Disconnect"}
          </button>
        )}
        {warning && (
          <button type="button" className="primary" onClick={onConnect} disabled={busy}>
            {busy ? "Repairing…" : "Repair"}
          </button>
        )}
        {(client.state === "not_connected" || client.state === "not_installed") && (
          <button type="button" className="primary" onClick={onConnect} disabled={busy}>
            {busy ? "Connecting…" : "Connect"}
          </button>
        )}
      </div>
    </li>
  );
}
