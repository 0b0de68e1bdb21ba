// Dates, times and numbers for the language shown, through the platform's Intl.
import type { TFunction } from "i18next";

/** How long ago an ISO time was, in words of `language` ("2 minutes ago", "vor 2 Minuten"). */
export function ago(t: TFunction, language: string, iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return t("time.justNow");
  const relative = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, "hour");
  return relative.format(-Math.round(hours / 24), "day");
}

/** A date and time in the form of `language` ("Nov 27, 2026, 6:58 AM", "27.11.2026, 06:58"). */
export function dateTime(language: string, iso: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(Date.parse(iso));
}

/** A duration in milliseconds ("1,200 ms", "1.200 ms"). */
export function milliseconds(language: string, ms: number): string {
  return new Intl.NumberFormat(language, { style: "unit", unit: "millisecond", unitDisplay: "short" }).format(ms);
}
