// Accessibility and language checks for a rendered screen, shared by the component
// tests: an axe-core scan, and (for a language other than English) a look for English
// words that leaked past the catalogue.
import axe from "axe-core";
import { expect } from "vitest";
import en from "../locales/en.json";
import { CATALOGUES } from "../i18n";
import type { Language } from "../ipc";

/** The impacts that fail a scan. */
export const FAILING_IMPACTS = ["serious", "critical"] as const;

/** What one axe-core scan found, by impact ("minor", "moderate", "serious", "critical"). */
export type ScanResult = { byImpact: Record<string, number>; failing: string[] };

/** Scans the document with axe-core (WCAG 2 A/AA and best practices). jsdom has no
 * layout or colours, so contrast is left to the end-to-end scan in the real window. */
export async function scan(): Promise<ScanResult> {
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: { "color-contrast": { enabled: false } },
  });
  const byImpact: Record<string, number> = {};
  const failing: string[] = [];
  for (const violation of result.violations) {
    const impact = violation.impact ?? "unknown";
    byImpact[impact] = (byImpact[impact] ?? 0) + violation.nodes.length;
    if ((FAILING_IMPACTS as readonly string[]).includes(impact)) {
      failing.push(`${violation.id} (${impact}): ${violation.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    }
  }
  return { byImpact, failing };
}

type Tree = { [key: string]: string | Tree };

function texts(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([name, value]) => {
    const key = prefix ? `${prefix}.${name}` : name;
    return typeof value === "string" ? [[key, value] as [string, string]] : texts(value, key);
  });
}

/** The fixed pieces (between placeholders and tags) of each English text that the
 * other language says differently, long enough to be words rather than a name. */
function englishOnlyPieces(language: Language): string[] {
  const other = new Map(texts(CATALOGUES[language] as Tree));
  const otherWords = [...other.values()].join("\n");
  const pieces = new Set<string>();
  for (const [key, text] of texts(en as Tree)) {
    if (other.get(key) === text) continue;
    for (const piece of text.split(/\{\{[^}]*\}\}|<\/?\w+>/)) {
      const words = piece.trim();
      // Not a piece the other language uses too ("des Management Servers").
      if (words.length >= 8 && /\s/.test(words) && !otherWords.includes(words)) pieces.add(words);
    }
  }
  return [...pieces];
}

/** What the page shows a person or a screen reader: its text and its labels. */
function shownText(): string {
  const labels = [...document.querySelectorAll("[aria-label], [title], [placeholder]")].flatMap((el) =>
    ["aria-label", "title", "placeholder"].map((a) => el.getAttribute(a) ?? ""),
  );
  return [document.body.textContent ?? "", ...labels].join("\n");
}

/** English catalogue words on the page while it speaks `language` (none, we hope). */
export function englishLeaks(language: Language): string[] {
  if (language === "en") return [];
  const shown = shownText();
  return englishOnlyPieces(language).filter((piece) => shown.includes(piece));
}

/** What each scan of a test file found, by screen and language, for its closing figures. */
export type ScanLog = { screen: string; language: Language; byImpact: Record<string, number> }[];

/** The page as it is now passes the scan and shows no English in another language; the
 * scan's figures go to `log`. */
export async function expectClean(log: ScanLog, name: string, language: Language) {
  const found = await scan();
  log.push({ screen: name, language, byImpact: found.byImpact });
  expect(found.failing, `${name} (${language}): serious or critical axe violations`).toEqual([]);
  expect(englishLeaks(language), `${name} (${language}): English words on a ${language} page`).toEqual([]);
}

/** The figures of `log`: violations by impact, per screen and language. */
export function scanFigures(log: ScanLog): string {
  const rows = log.map((r) => `${r.screen} [${r.language}]: ${JSON.stringify(r.byImpact)}`);
  return `axe-core (jsdom, contrast left to the real window):\n${rows.join("\n")}`;
}
