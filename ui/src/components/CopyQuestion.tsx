import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useIpc } from "../ipc";

type Copy = { kind: "idle" } | { kind: "copied" } | { kind: "failed" };

type Props = {
  /** The id of the element that names the customer (the button's description). */
  describedBy: string;
  /** The question, made when the button is pressed (in the language shown then). */
  question: () => string;
};

/** "Copy a question for Claude": puts a ready question on the clipboard and says so; when
 * the clipboard refuses, shows the question to copy by hand. */
export function CopyQuestion({ describedBy, question }: Props) {
  const ipc = useIpc();
  const { t } = useTranslation();
  const [copy, setCopy] = useState<Copy>({ kind: "idle" });
  const [text, setText] = useState("");

  const onCopy = async () => {
    const made = question();
    setText(made);
    try {
      await ipc.copyText(made);
      setCopy({ kind: "copied" });
    } catch {
      setCopy({ kind: "failed" });
    }
  };

  return (
    <div className="copy-question">
      <button type="button" className="secondary" onClick={onCopy} aria-describedby={describedBy}>
        {t("backupsTab.copy")}
      </button>
      <span role="status" className="copy-status">
        {copy.kind === "copied" ? t("backupsTab.copied") : copy.kind === "failed" ? t("backupsTab.copyFailed") : ""}
      </span>
      {copy.kind === "failed" && <pre className="detail-text">{text}</pre>}
    </div>
  );
}
