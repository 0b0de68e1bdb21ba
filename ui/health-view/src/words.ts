// What the view says, in one place, in the app's words (customer, computer being
// backed up, failed / warning / no backup for N days). Colour never carries meaning
// alone: every verdict and status has a word and a shape too.
import type { Customer, Digest, FailingRun, StaleAgent, Verdict } from "./digest";

/** The word for a customer's verdict. */
export function verdictWord(verdict: Verdict): string {
  return verdict === "failing" ? "Needs attention" : verdict === "warning" ? "Warnings" : "Backed up";
}

/** A shape for a verdict or a run's status, beside its word. */
export function mark(tone: Verdict): string {
  return tone === "failing" ? "✕" : tone === "warning" ? "!" : "✓";
}

/** The tone of a run's status: failed is red, warning and cancelled amber. */
export function runTone(run: FailingRun): Verdict {
  return run.status_label === "failed" ? "failing" : "warning";
}

/** The word for a run's status. */
export function statusWord(label: string): string {
  return label ? label[0].toUpperCase() + label.slice(1) : "Unknown";
}

/** `1 computer` / `3 computers`. */
export function count(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How long a computer has gone without a successful backup: "3 days", "20 hours", or null (never). */
function age(agent: StaleAgent): string | null {
  const hours = agent.hours_since_success;
  if (hours === null || agent.last_success === null) return null;
  const days = Math.floor(hours / 24);
  return days >= 1 ? count(days, "day") : count(Math.floor(hours), "hour");
}

/** "no backup for 3 days", "no backup for 20 hours", "never backed up". */
export function noBackupFor(agent: StaleAgent): string {
  const span = age(agent);
  return span ? `no backup for ${span}` : "never backed up";
}

/** A customer's counts: "3 failed · 1 warning · 1 computer not backed up for 3 days". */
export function customerCounts(customer: Customer): string {
  const runs = customer.runs_by_status ?? {};
  const parts: string[] = [];
  if (runs.failed) parts.push(`${runs.failed} failed`);
  if (runs.warning) parts.push(count(runs.warning, "warning"));
  if (runs.cancelled) parts.push(`${runs.cancelled} cancelled`);
  const stale = customer.stale_agents ?? [];
  const span = stale.length === 1 ? age(stale[0]) : null;
  if (stale.length === 1) parts.push(span ? `1 computer not backed up for ${span}` : "1 computer never backed up");
  else if (stale.length > 1) parts.push(`${stale.length} computers not backed up for too long`);
  if (parts.length === 0) {
    const total = Object.values(runs).reduce((a, b) => a + b, 0);
    return total ? `${count(total, "backup")}, all successful` : "No backups ran in this period";
  }
  return parts.join(" · ");
}

/** "13 of 14 computers connected". */
export function connectedLine(customer: Customer): string {
  return `${customer.agents_connected} of ${count(customer.agents, "computer")} connected`;
}

/** A date and time in the host's locale and time zone. */
export function when(iso: string | null, locale?: string, timeZone?: string): string {
  if (!iso) return "time unknown";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone,
    }).format(at);
  } catch {
    return at.toISOString().slice(0, 16).replace("T", " ");
  }
}

/** How long a run took: "38 s", "11 min", "1 h 5 min". */
export function took(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The window in words: "the last 24 hours", "the last 7 days", else "since …". */
export function windowWords(digest: Digest, locale?: string, timeZone?: string): string {
  const hours = (Date.parse(digest.window.until) - Date.parse(digest.window.since)) / 3_600_000;
  const named: Record<number, string> = { 24: "the last 24 hours", 168: "the last 7 days", 720: "the last 30 days" };
  return named[Math.round(hours)] ?? `since ${when(digest.window.since, locale, timeZone)}`;
}

/** "2 need attention · 1 with warnings · 2 backed up". */
export function verdictSummary(byVerdict: Partial<Record<Verdict, number>>): string {
  const { failing = 0, warning = 0, ok = 0 } = byVerdict;
  return [
    failing ? `${failing} ${failing === 1 ? "needs" : "need"} attention` : "",
    warning ? `${warning} with warnings` : "",
    ok ? `${ok} backed up` : "",
  ].filter(Boolean).join(" · ");
}

/** "14 runs on 9 computers at 3 customers". */
export function causeReach(cause: { runs: number; agents: number; customers: number }): string {
  return `${count(cause.runs, "run")} on ${count(cause.agents, "computer")} at ${count(cause.customers, "customer")}`;
}

/** One reason the digest is not complete, as a sentence. */
export function reasonWords(reason: unknown): string {
  if (typeof reason === "string") return reason;
  const r = reason as { message?: unknown; reason?: unknown; server_id?: unknown } | null;
  const text = r?.message ?? r?.reason;
  if (typeof text === "string") return typeof r?.server_id === "string" ? `${r.server_id}: ${text}` : text;
  return JSON.stringify(reason);
}

/** A computer's name, or its number when the server gave no name. */
export function computerName(agent: { agent_name: string | null; agent_id: number | null }): string {
  return agent.agent_name ?? (agent.agent_id === null ? "A computer" : `Computer ${agent.agent_id}`);
}

/** The question "Ask Claude about …" puts into the conversation. */
export function question(customer: Customer, period: string): string {
  const what = customer.verdict === "ok" ? "How are the backups" : "What went wrong with the backups";
  return `${what} at ${customer.name} in ${period}, and what should I do about it? ` +
    `(customer ${customer.tenant_id ?? customer.name} on Management Server ${customer.server_id}; ` +
    `get_backup_health with tenant_id and server_id has the details, get_job_run_log the logs.)`;
}
