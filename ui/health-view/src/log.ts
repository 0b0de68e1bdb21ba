// A run's log summary, as `get_job_run_log` (mode `summary`) answers it, shown inline.
import type { CallToolResult } from "@modelcontextprotocol/client";
import { h } from "./dom";
import type { Place } from "./report";

interface LogLine {
  Type?: string;
  Message?: string;
  DateTime?: string;
}

interface LogSummary {
  available?: boolean;
  hint?: string;
  verdict?: string;
  errors?: LogLine[];
  warnings?: LogLine[];
  last_informational?: LogLine[];
}

/** Lines shown per section; the rest are counted. */
const SHOWN = 30;

/** The text of a tool result's first text block. */
export function resultText(result: CallToolResult): string {
  const block = result.content?.find((c) => c.type === "text");
  return block && "text" in block ? block.text : "";
}

function summaryOf(result: CallToolResult): LogSummary {
  if (result.structuredContent) return result.structuredContent as LogSummary;
  try {
    return JSON.parse(resultText(result)) as LogSummary;
  } catch {
    return {};
  }
}

function lines(title: string, list: LogLine[] | undefined, place: Place): Node[] {
  if (!list?.length) return [];
  const shown = list.slice(0, SHOWN).map((line) =>
    h("li", {}, line.DateTime ? h("time", { datetime: line.DateTime }, clock(line.DateTime, place)) : null, " ", line.Message ?? ""),
  );
  const more = list.length > SHOWN ? h("li", { class: "muted" }, `… and ${list.length - SHOWN} more`) : null;
  return [h("h4", {}, title), h("ul", { class: "lines" }, ...shown, more)];
}

function clock(iso: string, place: Place): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  try {
    return at.toLocaleTimeString(place.locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: place.timeZone });
  } catch {
    return at.toISOString().slice(11, 19);
  }
}

/** What the log panel shows for a `get_job_run_log` result. */
export function logView(result: CallToolResult, place: Place): Node[] {
  if (result.isError) {
    return [h("p", { class: "problem" }, "The log could not be read. ", resultText(result))];
  }
  const log = summaryOf(result);
  if (log.available === false) {
    const hint = log.hint ? [h("p", { class: "muted" }, log.hint)] : [];
    return [h("p", {}, "No log is available for this run."), ...hint];
  }
  return [
    h("p", { class: "verdict-line" }, log.verdict ?? "The log was read."),
    ...lines("Errors", log.errors, place),
    ...lines("Warnings", log.warnings, place),
    ...lines("Last lines", log.last_informational, place),
  ];
}
