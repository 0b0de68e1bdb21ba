// The sentences of the Backups tab, built from the app's Backups view in the language
// shown: a customer's counts, the headline, why figures are not complete, and the
// question for Claude. Every word comes from the catalogue.
import type { TFunction } from "i18next";
import type { BackupWindow, BackupsView, CustomerView, GapView, RunView, StaleView } from "../ipc";
import { dateTime } from "./format";

/** Whole days in `hours` (at least one), as the tray counts them. */
export function wholeDays(hours: number): number {
  return Math.max(1, Math.floor(hours / 24));
}

/** "3 days" for a computer's time without a successful backup, or null when not known. */
export function staleDuration(t: TFunction, stale: StaleView): string | null {
  return stale.hoursSinceSuccess === null ? null : t("backups.days", { count: wholeDays(stale.hoursSinceSuccess) });
}

/** What is wrong at a customer, as the tray says it: "3 failed, 1 warning, 1 computer
 * not backed up for 3 days" (the same keys as the tray's menu). Empty when all is well. */
export function problems(t: TFunction, customer: CustomerView): string[] {
  const parts: string[] = [];
  const { failed, warnings, cancelled } = customer.runs;
  if (failed > 0) parts.push(t("backups.problem.failed", { count: failed }));
  if (warnings > 0) parts.push(t("backups.problem.warnings", { count: warnings }));
  if (cancelled > 0) parts.push(t("backups.problem.cancelled", { count: cancelled }));
  const stale = customer.staleComputers;
  if (stale.length > 0) {
    const known = stale.flatMap((s) => (s.hoursSinceSuccess === null ? [] : [s.hoursSinceSuccess]));
    parts.push(
      known.length > 0
        ? t("backups.problem.staleFor", {
            count: stale.length,
            duration: t("backups.days", { count: wholeDays(Math.max(...known)) }),
          })
        : t("backups.problem.stale", { count: stale.length }),
    );
  }
  return parts;
}

/** A customer's row: what is wrong (or how many backups worked) and the computers connected. */
export function customerCounts(t: TFunction, customer: CustomerView): string {
  const wrong = problems(t, customer);
  const parts =
    wrong.length > 0
      ? wrong
      : [
          customer.runs.succeeded > 0
            ? t("backupsTab.counts.succeeded", { count: customer.runs.succeeded })
            : t("backupsTab.counts.none"),
        ];
  parts.push(t("backupsTab.counts.connected", { count: customer.computers, connected: customer.computersConnected }));
  return parts.join(" · ");
}

/** The line above the list: how many customers need attention, have warnings, or are all well. */
export function headline(t: TFunction, view: BackupsView): string {
  const failing = view.customers.filter((c) => c.verdict === "failing").length;
  if (failing > 0) return t("backupsTab.headline.attention", { count: failing });
  const warning = view.customers.filter((c) => c.verdict === "warning").length;
  if (warning > 0) return t("backupsTab.headline.warnings", { count: warning });
  return t("backupsTab.headline.allOk", { count: view.customers.length });
}

/** Whether some server was not asked at all (it did not answer, has no password,
 * refused it, or its certificate is not trusted): an empty list then means "nothing to
 * show", not "no customers". */
export function serversLeftOut(view: BackupsView): boolean {
  return view.unanswered.length > 0 || view.gaps.some((gap) => gap.serverLeftOut);
}

/** The gaps worth their own sentence: a server that did not answer is said once, by the
 * `unanswered` note, not again here. */
export function gapsToWord(view: BackupsView): GapView[] {
  return view.gaps.filter(
    (gap) => !(gap.serverLeftOut && gap.serverLabel !== null && view.unanswered.includes(gap.serverLabel)),
  );
}

/** Why a figure is not complete, in plain words (by the digest's kind; a generic
 * sentence for a kind this version does not know). */
export function gapSentence(t: TFunction, gap: GapView): string {
  const label = gap.serverLabel;
  if (label === null) return t("backupsTab.gap.otherNoServer");
  switch (gap.kind) {
    case "server_failed":
    case "server_not_answering":
      return t("backupsTab.unanswered", { label });
    case "no_credentials":
      return t("backupsTab.gap.noCredentials", { label });
    case "password_refused":
      return t("backupsTab.gap.passwordRefused", { label });
    case "certificate_not_trusted":
      return t("backupsTab.gap.certificateNotTrusted", { label });
    case "password_store_unavailable":
      return t("backupsTab.gap.passwordStoreUnavailable", { label });
    case "logs_not_read":
      return t("backupsTab.gap.logsNotRead", { label });
    case "last_success_not_checked":
      return t("backupsTab.gap.lastSuccessNotChecked", { label });
    default:
      return /_capped$/.test(gap.kind) ? t("backupsTab.gap.capped", { label }) : t("backupsTab.gap.other", { label });
  }
}

/** When a run started, for the language shown ("not known" without a time). */
export function startedWhen(t: TFunction, language: string, run: RunView): string {
  return run.startedAt ? dateTime(language, run.startedAt) : t("backupsTab.notKnown");
}

function runLine(t: TFunction, language: string, run: RunView): string {
  const about = {
    computer: run.computer,
    when: startedWhen(t, language, run),
    outcome: t(`backupsTab.question.outcome.${run.outcome}`),
  };
  const line = run.job
    ? t("backupsTab.question.run", { ...about, job: run.job })
    : t("backupsTab.question.runNoJob", about);
  return run.firstError ? t("backupsTab.question.runError", { run: line, error: run.firstError }) : line;
}

/** Whether a computer is known never to have been backed up successfully. */
export function neverBackedUp(stale: StaleView): boolean {
  return stale.lastSuccess === null && stale.lastSuccessChecked;
}

function staleLine(t: TFunction, stale: StaleView): string {
  if (neverBackedUp(stale)) return t("backupsTab.question.staleNever", { computer: stale.computer });
  const duration = staleDuration(t, stale);
  return duration
    ? t("backupsTab.question.stale", { computer: stale.computer, duration })
    : t("backupsTab.question.staleUnknown", { computer: stale.computer });
}

/** At most this many runs and computers are named in a question; Claude reads the rest. */
const NAMED_IN_QUESTION = 5;

/** A ready question about one customer for Claude: who, where, which period, what is
 * wrong (the newest runs and computers by name), and what to ask, naming the tool. */
export function questionFor(t: TFunction, language: string, customer: CustomerView, window: BackupWindow): string {
  const about = { name: customer.name, server: customer.serverLabel, period: t(`backupsTab.period.${window}`) };
  const wrong = problems(t, customer);
  if (wrong.length === 0) return [t("backupsTab.question.fine", about), t("backupsTab.question.askFine")].join("\n\n");
  const lines = [
    ...customer.failingRuns.slice(0, NAMED_IN_QUESTION).map((run) => runLine(t, language, run)),
    ...customer.staleComputers.slice(0, NAMED_IN_QUESTION).map((stale) => staleLine(t, stale)),
  ].map((line) => `- ${line}`);
  return [
    t("backupsTab.question.problems", { ...about, problems: wrong.join(", ") }),
    lines.join("\n"),
    t("backupsTab.question.askProblems"),
  ]
    .filter((part) => part !== "")
    .join("\n\n");
}
