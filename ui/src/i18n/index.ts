// The app's languages: one catalogue per language (`../locales/*.json`, shared with the
// Rust side, which reads the same files for the tray and notifications), served
// through i18next and react-i18next. Keys are typed (see `i18next.d.ts`), so a key
// missing from the catalogue fails the type check.
import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import en from "../locales/en.json";
import de from "../locales/de.json";
import type { Language, LanguageChoice } from "../ipc";

/** The languages the app speaks, English first (the fallback). */
export const LANGUAGES: readonly Language[] = ["en", "de"];

/** Every catalogue, by language. `de` must have the shape of `en` (checked here by the
 * type checker, and key by key, placeholders too, in `tests/catalogue.test.ts`). */
export const CATALOGUES: Record<Language, typeof en> = { en, de };

/** The language the app speaks under a choice in Settings and the system's language. */
export function effectiveLanguage(choice: LanguageChoice, system: Language): Language {
  return choice === "system" ? system : choice;
}

/** A ready i18next instance speaking `language`. */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: language,
    fallbackLng: "en",
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** The browser's guess of the system language, until the app says (English otherwise). */
export function browserLanguage(): Language {
  const wanted = typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language];
  for (const tag of wanted) {
    const base = tag.toLowerCase().split("-")[0];
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return "en";
}

/** Keeps the page's `lang` attribute (screen readers, hyphenation) and its title on the
 * language shown. */
export function followLanguageInDocument(instance: i18n): void {
  const apply = (language: string) => {
    document.documentElement.setAttribute("lang", language);
    document.title = instance.t("app.name");
  };
  apply(instance.language);
  instance.on("languageChanged", apply);
}
