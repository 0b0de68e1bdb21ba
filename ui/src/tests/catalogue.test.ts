// @vitest-environment node
// The catalogues (one per language, shared with the Rust side) stay complete and in
// step, and a text written into the code instead of the catalogue fails the lint.
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import en from "../locales/en.json";
import de from "../locales/de.json";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === "string") out.set(key, value);
    else for (const [k, v] of flatten(value, key)) out.set(k, v);
  }
  return out;
}

/** `{{name}}` and `{{name, format}}` placeholders, and `<tag>` components, sorted. */
function slots(text: string): string[] {
  const names = [...text.matchAll(/\{\{\s*([\w]+)[^}]*\}\}/g)].map((m) => `{{${m[1]}}}`);
  const tags = [...text.matchAll(/<(\w+)>/g)].map((m) => `<${m[1]}>`);
  return [...new Set([...names, ...tags])].sort();
}

const english = flatten(en);
const german = flatten(de);

describe("the catalogues", () => {
  it("have the same keys in English and German", () => {
    const missingInGerman = [...english.keys()].filter((k) => !german.has(k));
    const missingInEnglish = [...german.keys()].filter((k) => !english.has(k));
    expect(missingInGerman, "keys missing in de.json").toEqual([]);
    expect(missingInEnglish, "keys missing in en.json").toEqual([]);
    expect(english.size).toBeGreaterThan(200);
  });

  it("give every key a text with the same placeholders and tags in both languages", () => {
    for (const [key, text] of english) {
      const translated = german.get(key) ?? "";
      expect(text.trim(), `${key} in English`).not.toBe("");
      expect(translated.trim(), `${key} in German`).not.toBe("");
      expect(slots(translated), `${key}: the same placeholders`).toEqual(slots(text));
    }
  });

  it("have both plural forms wherever one is given", () => {
    for (const catalogue of [english, german]) {
      for (const key of catalogue.keys()) {
        if (key.endsWith("_one")) expect(catalogue.has(key.replace(/_one$/, "_other")), key).toBe(true);
        if (key.endsWith("_other")) expect(catalogue.has(key.replace(/_other$/, "_one")), key).toBe(true);
      }
    }
  });

  it("speak to the user as Sie in German, never du", () => {
    const informal = /\b(du|dich|dir|dein|deine|deinen|deinem|deiner)\b/i;
    for (const [key, text] of german) expect(informal.test(text), `${key}: ${text}`).toBe(false);
  });

  it("use the product's words in German", () => {
    const all = [...german.values()].join("\n");
    expect(all).toContain("Management Server");
    expect(all).toContain("Mit Claude verbunden");
    expect(all).toMatch(/zu sichernde[n]? Computer/);
    expect(all).toContain("Kunden");
    expect(all).not.toMatch(/Mandant|Tenant|Agent/);
  });
});

// ESLint with the TypeScript parser takes seconds to start on a busy machine.
describe("the lint rule against hard-coded text", { timeout: 60_000 }, () => {
  const lint = async (code: string) => {
    const eslint = new ESLint({ cwd: new URL("../..", import.meta.url).pathname });
    const [result] = await eslint.lintText(code, { filePath: "src/screens/Probe.tsx" });
    return result.messages.filter((m) => m.ruleId === "i18next/no-literal-string").map((m) => m.line);
  };

  it("refuses words in JSX text, in attributes and in code", async () => {
    const lines = await lint(
      [
        'export function Probe({ done }: { done: boolean }) {',
        '  const note = done ? "Saved." : "pending";',
        '  return <p title="Two words">Hello there {note}</p>;',
        "}",
        "",
      ].join("\n"),
    );
    expect(lines).toEqual([2, 3, 3]);
  });

  it("lets codes, ids, classes and catalogue keys through", async () => {
    const lines = await lint(
      [
        'import { useTranslation } from "react-i18next";',
        "export function Probe({ state }: { state: string }) {",
        "  const { t } = useTranslation();",
        '  const tone = state === "all_healthy" ? "dot-green" : "dot-grey";',
        '  return <p className={tone} role="status" aria-live="polite">{t("servers.title")}</p>;',
        "}",
        "",
      ].join("\n"),
    );
    expect(lines).toEqual([]);
  });
});
