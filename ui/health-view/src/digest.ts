// The backup-health digest as `get_backup_health` returns it in its structured content.
// The field names are the digest's contract (shared with the tray app and scripts);
// the view reads only these and ignores any others.

/** A customer's verdict: a failed run or a stale computer, warnings only, or all well. */
export type Verdict = "failing" | "warning" | "ok";

/** A run that failed, warned or was cancelled, newest first. */
export interface FailingRun {
  server_id: string;
  agent_id: number | null;
  agent_name: string | null;
  job_name: string | null;
  status: number;
  status_label: string;
  characterization: string | null;
  start_date_time: string | null;
  duration_seconds: number | null;
  /** The run's log key, for `get_job_run_log` (null when the server gave none). */
  job_log_id: number | null;
  first_error: string | null;
}

/** A computer with no successful backup for too long (or never). */
export interface StaleAgent {
  agent_id: number | null;
  agent_name: string | null;
  last_success: string | null;
  hours_since_success: number | null;
}

/** One customer (tenant) on one Management Server. */
export interface Customer {
  server_id: string;
  tenant_id: string | null;
  name: string;
  verdict: Verdict;
  agents: number;
  agents_connected: number;
  runs_by_status: Record<string, number>;
  /** How many runs failed, warned or were cancelled; `failing_runs` lists the newest. */
  failing_runs_total: number;
  failing_runs: FailingRun[];
  /** Whether more failing runs exist than are listed. */
  failing_runs_truncated: boolean;
  stale_agents: StaleAgent[];
}

/** First error lines grouped across customers. */
export interface Cause {
  cause: string;
  example: string;
  runs: number;
  agents: number;
  customers: number;
}

/** The whole digest. */
export interface Digest {
  window: { since: string; until: string };
  totals: {
    customers: number;
    agents: number;
    runs_by_status: Record<string, number>;
    failing_runs: number;
    stale_agents: number;
    customers_by_verdict: Partial<Record<Verdict, number>>;
  };
  customers: Customer[];
  causes: Cause[];
  complete: boolean;
  incomplete_reasons: IncompleteReason[];
}

/** Why the counts are not complete: what could not be read, and on which server. */
export interface IncompleteReason {
  kind: string;
  server_id: string | null;
  message: string;
}

/** The digest inside a tool result's structured content, or null when it is not one. */
export function asDigest(value: unknown): Digest | null {
  const d = value as Partial<Digest> | null;
  return d && typeof d === "object" && Array.isArray(d.customers) && d.totals && d.window
    ? (d as Digest)
    : null;
}
