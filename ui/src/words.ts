// The sentences the app says, in one place (see the UI guide: plain words, what
// happened and what to do next).
import type { ClientView, ConnectionSummary, ErrorCode, HealthLevel, HealthView, Overall } from "./ipc";

/** What a failed connection test or health check means, and what to do. */
export function explainError(code: ErrorCode): string {
  switch (code) {
    case "wrong_password":
      return "The username or password was not accepted. Check them and try again.";
    case "unreachable":
      return 'Could not reach the server. Check the address, including "/managementserver" at the end.';
    case "certificate":
      return "This server's certificate is not trusted by this computer.";
    case "certificate_rejected":
      return "This server's certificate is not valid for this address, or is out of date. Check the address and this computer's clock, or ask the server's administrator.";
    case "invalid_input":
      return "Some details are missing or not valid. Check the highlighted fields.";
    case "keychain":
      return "The password could not be kept in your system keyring. Unlock it and try again.";
    case "profiles":
      return "Your saved servers could not be read or written. Check the details and try again.";
    case "registration":
      return "Claude's settings could not be changed. Check the details and try again.";
    case "cancelled":
      return "The connection test was stopped.";
    case "not_found":
      return "That item no longer exists. The list has been refreshed.";
    case "other":
      return "Something went wrong. The details below say what; you can copy them for support.";
  }
}

/** The sentence shown after a successful connection test. */
export function connectedSentence(summary: ConnectionSummary): string {
  const computers = plural(summary.agents, "computer being backed up", "computers being backed up");
  const customers = plural(summary.tenants, "customer", "customers");
  return `Connected. You can see ${computers} across ${customers}.`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The word for a server's state, shown next to its coloured dot. */
export function healthWord(state: HealthLevel): string {
  switch (state) {
    case "healthy":
      return "Healthy";
    case "wrong_password":
      return "Wrong username or password";
    case "unreachable":
      return "Cannot reach the server";
    case "certificate":
      return "Certificate problem";
    case "other":
      return "Not working";
    case "checking":
      return "Checking…";
    case "not_checked":
      return "Not checked yet";
  }
}

/** "Healthy · checked 2 min ago · 120 ms" */
export function healthLine(health: HealthView, now: number): string {
  const parts = [healthWord(health.state)];
  if (health.checkedAt) parts.push(`checked ${ago(health.checkedAt, now)}`);
  if (health.latencyMs !== null && health.state === "healthy") parts.push(`${health.latencyMs} ms`);
  return parts.join(" · ");
}

/** How long ago an ISO time was, in words. */
export function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "yesterday" : `${days} days ago`;
}

/** The colour class for a state: the same everywhere (dots and tray). */
export function tone(state: HealthLevel | Overall): "green" | "amber" | "red" | "grey" {
  switch (state) {
    case "healthy":
    case "all_healthy":
      return "green";
    case "some_failing":
      return "amber";
    case "wrong_password":
    case "unreachable":
    case "certificate":
    case "other":
    case "all_failing":
      return "red";
    case "checking":
    case "not_checked":
    case "not_set_up":
      return "grey";
  }
}

/** The sentence of a Claude client's card. */
export function clientSentence(client: ClientView): string {
  switch (client.state) {
    case "connected":
      return `Connected to Claude. ${client.name} can ask about your Management Servers.`;
    case "not_connected":
      return `Not connected to Claude. Connect ${client.name} to ask about your Management Servers.`;
    case "missing":
      return `The connection went missing from ${client.name}'s settings. Repair it with one click.`;
    case "broken":
      return `${client.name} is set up to start a program that no longer exists. Repair it with one click.`;
    case "not_installed":
      return `${client.name} was not found on this computer. You can connect it anyway; it will be ready once installed.`;
    case "extension":
      return `NovaBACKUP is installed in ${client.name} as an extension, so there is nothing to connect here.`;
  }
}

/** "Claude Desktop is connected." for the clients that are. */
export function connectedClientsSentence(clients: ClientView[]): string {
  const names = clients.filter((c) => c.state === "connected").map((c) => c.name);
  return `${names.join(" and ")} ${names.length === 1 ? "is" : "are"} connected.`;
}

/** Claude Desktop has the extension and a settings entry as well. */
export const DUPLICATE_ENTRY =
  "Claude Desktop's settings file also has a NovaBACKUP entry, so Claude starts it twice. Remove the extra entry to keep only the extension.";

/** What to do after connecting or repairing Claude Desktop. */
export const RESTART_CLAUDE = "Quit Claude from its icon next to the clock, then open it again.";

/** Questions worth trying first. */
export const QUESTIONS_TO_TRY = [
  "Which backups failed last night across all my customers, and why?",
  "Which computers have not had a successful backup in the last 7 days?",
];
