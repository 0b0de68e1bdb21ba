import { useState } from "react";

/** The technical detail behind a disclosure, copyable for support. */
export function Details({ text }: { text: string }) {
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
      <summary>Details</summary>
      <pre className="detail-text">{text}</pre>
      <button type="button" className="quiet" onClick={copy}>
        {copied ? "Copied" : "Copy details"}
      </button>
    </details>
  );
}
