import { useState } from "react";
import { useTranslation } from "react-i18next";

/** The technical detail behind a disclosure, copyable for support. */
export function Details({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <details className="details">
      <summary>{t("details.summary")}</summary>
      <pre className="detail-text">{text}</pre>
      <button type="button" className="quiet" onClick={copy}>
        {copied ? t("details.copied") : t("details.copy")}
      </button>
    </details>
  );
}
