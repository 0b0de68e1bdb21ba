import { useTranslation } from "react-i18next";
import type { Language, LanguageChoice } from "../ipc";
import { LANGUAGES } from "../i18n";

type Props = { value: LanguageChoice; system: Language; onChange: (choice: LanguageChoice) => void };

/** The language choice in Settings: the system's, or one named in its own language. */
export function LanguageField({ value, system, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <div className="field inline">
      <label htmlFor="language">{t("settings.language")}</label>
      <select id="language" value={value} onChange={(e) => onChange(e.target.value as LanguageChoice)}>
        <option value="system">
          {t("settings.languageSystem")} ({t(`languageName.${system}`)})
        </option>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`languageName.${language}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
