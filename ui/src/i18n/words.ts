// The sentences the app builds from its data, in the language shown (see the UI guide:
// plain words, what happened and what to do next). Every word comes from the catalogue.
import type { TFunction } from "i18next";
import type { ClientView, CommandError, ConnectionSummary, Glance, HealthLevel, HealthView, Overall, Verdict } from "../ipc";
import { ago, milliseconds } from "./format";

/** What a failed command means, and what to do. A refused value is worded by the app
 * itself (from the same catalogue, in the language shown): its message says which. */
export function explainError(t: TFunction, error: CommandError): string {
  if (error.code === "invalid_input" && error.message) return error.message;
  return t(`errors.${error.code}`);
}

/** The sentence shown after a successful connection test. */
export function connectedSentence(t: TFunction, summary: ConnectionSummary): string {
  return t("form.connected", {
    computers: t("form.computers", { count: summary.agents }),
    customers: t("form.customers", { count: summary.tenants }),
  });
}

/** The word for a server's state, shown next to its coloured dot. */
export function healthWord(t: TFunction, state: HealthLevel): string {
  return t(`health.${state}`);
}

/** "Healthy · checked 2 minutes ago · 120 ms" */
export function healthLine(t: TFunction, language: string, health: HealthView, now: number): string {
  const parts = [healthWord(t, health.state)];
  if (health.checkedAt) parts.push(t("health.checked", { when: ago(t, language, health.checkedAt, now) }));
  if (health.latencyMs !== null && health.state === "healthy") parts.push(milliseconds(language, health.latencyMs));
  return parts.join(" · ");
}

/** The colour class for a state (a server's, the servers' overall, a customer's
 * backups): the same everywhere (dots and tray). */
export function tone(state: HealthLevel | Overall | Verdict | Glance): "green" | "amber" | "red" | "grey" {
  switch (state) {
    case "healthy":
    case "all_healthy":
    case "ok":
    case "allWell":
      return "green";
    case "some_failing":
    case "warning":
    case "warnings":
      return "amber";
    case "serverDown":
    case "backupsFailing":
    case "failing":
    case "wrong_password":
    case "unreachable":
    case "certificate":
    case "other":
    case "all_failing":
      return "red";
    case "checking":
    case "not_checked":
    case "not_set_up":
    case "notSetUp":
      return "grey";
  }
}

/** The sentence of a Claude client's card. */
export function clientSentence(t: TFunction, client: ClientView): string {
  return t(`clients.state.${client.state}`, { name: client.name });
}

/** "Claude Desktop is connected." for the clients that are. */
export function connectedClientsSentence(t: TFunction, clients: ClientView[]): string {
  const names = clients.filter((c) => c.state === "connected").map((c) => c.name);
  return t("clients.connectedList", { count: names.length, names });
}
