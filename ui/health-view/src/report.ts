// The report: totals and window, customers in the digest's order (worst first), each
// expandable to its failing runs and stale computers, then the grouped causes.
import type { CallToolResult } from "@modelcontextprotocol/client";
import type { Customer, Digest, FailingRun, StaleAgent, Verdict } from "./digest";
import { h } from "./dom";
import { logView } from "./log";
import * as say from "./words";

/** Where the view is shown: the host's locale and time zone. */
export interface Place {
  locale?: string;
  timeZone?: string;
}

/** What the view asks of the host. */
export interface Actions {
  /** Reads a run's log summary (`get_job_run_log` through the host). */
  showLog(run: FailingRun): Promise<CallToolResult>;
  /** Puts a question about a customer into the conversation; null when the host takes no messages. */
  ask: ((customer: Customer, text: string) => Promise<boolean>) | null;
}

function badge(tone: Verdict, word: string): HTMLElement {
  return h("span", { class: `badge tone-${tone}` }, h("span", { "aria-hidden": "true" }, say.mark(tone)), " ", word);
}

function total(label: string, value: number): HTMLElement {
  return h("div", {}, h("dt", {}, label), h("dd", {}, value));
}

/** A run's "Show log" button and the panel it opens; the log is read once, on first open. */
function logButton(run: FailingRun, place: Place, actions: Actions, id: string): HTMLElement[] {
  const panel = h("div", { id, class: "log", hidden: true, "aria-live": "polite" });
  let loading: Promise<void> | null = null;
  const button = h("button", { type: "button", "aria-expanded": "false", "aria-controls": id }, "Show log");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    button.textContent = open ? "Show log" : "Hide log";
    panel.hidden = open;
    if (open || loading) return;
    panel.replaceChildren(h("p", { class: "muted" }, "Reading the log…"));
    loading = actions.showLog(run).then(
      (result) => panel.replaceChildren(...logView(result, place)),
      (error: unknown) => {
        loading = null; // the next click tries again
        panel.replaceChildren(h("p", { class: "problem" }, "The log could not be read. ", String((error as Error)?.message ?? error)));
      },
    );
  });
  return [button, panel];
}

function runItem(run: FailingRun, place: Place, actions: Actions): HTMLElement {
  const tone = say.runTone(run);
  const took = say.took(run.duration_seconds);
  return h(
    "li",
    { class: "run", "data-job-log-id": String(run.job_log_id), "data-server-id": run.server_id },
    h("p", { class: "run-head" }, badge(tone, say.statusWord(run.status_label)), " ",
      h("strong", {}, say.computerName(run)), run.job_name ? ` · ${run.job_name}` : ""),
    h("p", { class: "muted" },
      h("time", { datetime: run.start_date_time ?? "" }, say.when(run.start_date_time, place.locale, place.timeZone)),
      took ? ` · took ${took}` : ""),
    run.first_error
      ? h("p", { class: "first-error" }, run.first_error.split(/\r?\n/)[0])
      : h("p", { class: "muted" }, "No error line in its log."),
    ...(run.job_log_id === null ? [] : logButton(run, place, actions, `log-${run.server_id}-${run.job_log_id}`)),
  );
}

function staleItem(agent: StaleAgent, place: Place): HTMLElement {
  return h("li", { class: "stale-agent" },
    h("strong", {}, say.computerName(agent)), ` — ${say.noBackupFor(agent)}`,
    agent.last_success ? h("span", { class: "muted" }, ` (last on ${say.when(agent.last_success, place.locale, place.timeZone)})`) : "");
}

function askButton(customer: Customer, period: string, actions: Actions): HTMLElement | null {
  const ask = actions.ask;
  if (!ask) return null;
  const status = h("span", { class: "muted", role: "status" });
  const button = h("button", { type: "button", class: "ask" }, `Ask Claude about ${customer.name}`);
  button.addEventListener("click", () => {
    status.textContent = "";
    ask(customer, say.question(customer, period)).then(
      (taken) => (status.textContent = taken ? "Question sent to Claude." : "Claude did not take the question."),
      () => (status.textContent = "The question could not be sent."),
    );
  });
  return h("p", {}, button, " ", status);
}

function customerItem(customer: Customer, period: string, place: Place, actions: Actions): HTMLElement {
  const runs = customer.failing_runs ?? [];
  const stale = customer.stale_agents ?? [];
  const left = (customer.failing_runs_total ?? runs.length) - runs.length;
  const more = left > 0 ? `… and ${say.count(left, "more run")} not listed.` : customer.failing_runs_truncated ? "More runs failed than are listed here." : "";
  return h(
    "li",
    { class: `customer tone-${customer.verdict}`, "data-tenant-id": customer.tenant_id ?? "", "data-server-id": customer.server_id },
    h(
      "details",
      {},
      h("summary", {}, badge(customer.verdict, say.verdictWord(customer.verdict)), " ",
        h("span", { class: "name" }, customer.name), " ",
        h("span", { class: "counts" }, say.customerCounts(customer))),
      h(
        "div",
        { class: "body" },
        h("p", { class: "muted" }, say.connectedLine(customer)),
        runs.length ? h("h3", {}, "Backups that failed or warned") : null,
        runs.length ? h("ul", { class: "runs" }, ...runs.map((run) => runItem(run, place, actions))) : null,
        more ? h("p", { class: "muted" }, more) : null,
        stale.length ? h("h3", {}, "Computers not backed up for too long") : null,
        stale.length ? h("ul", { class: "stale" }, ...stale.map((agent) => staleItem(agent, place))) : null,
        askButton(customer, period, actions),
      ),
    ),
  );
}

/** Renders the whole report into `root`. */
export function renderReport(root: HTMLElement, digest: Digest, place: Place, actions: Actions): void {
  const t = digest.totals;
  const period = say.windowWords(digest, place.locale, place.timeZone);
  const reasons = (digest.incomplete_reasons ?? []).map(say.reasonWords);
  const causes = digest.causes ?? [];
  root.replaceChildren(
    h("header", {},
      h("h1", {}, "Backup health"),
      h("p", { class: "muted window" }, `${period[0].toUpperCase()}${period.slice(1)}: `,
        say.when(digest.window.since, place.locale, place.timeZone), " – ", say.when(digest.window.until, place.locale, place.timeZone)),
      digest.complete === false
        ? h("p", { class: "incomplete", role: "status" }, "These counts are not complete. ", reasons.join(" "))
        : null,
      h("dl", { class: "totals" },
        total("Customers", t.customers),
        total("Computers being backed up", t.agents),
        total("Backups failed or with warnings", t.failing_runs),
        total("Computers not backed up for too long", t.stale_agents)),
      h("p", { class: "summary" }, say.verdictSummary(t.customers_by_verdict ?? {}))),
    h("section", { "aria-labelledby": "customers-title" },
      h("h2", { id: "customers-title" }, "Customers"),
      digest.customers.length
        ? h("ul", { class: "customers" }, ...digest.customers.map((c) => customerItem(c, period, place, actions)))
        : h("p", { class: "muted" }, "No customers to show.")),
    causes.length
      ? h("section", { "aria-labelledby": "causes-title" },
          h("h2", { id: "causes-title" }, "Causes"),
          h("ol", { class: "causes" }, ...causes.map((cause) =>
            h("li", {}, h("strong", {}, cause.cause), h("span", { class: "muted" }, ` — ${say.causeReach(cause)}`),
              cause.example !== cause.cause ? h("p", { class: "muted example" }, `For example: ${cause.example}`) : null))))
      : "",
  );
}

/** Replaces the view with one sentence (waiting, stopped, or a problem). */
export function renderNote(root: HTMLElement, text: string, detail = ""): void {
  root.replaceChildren(h("p", { class: "note", role: "status" }, text), detail ? h("p", { class: "muted" }, detail) : "");
}
