import { useTranslation } from "react-i18next";
import type { CommandError } from "../ipc";
import { explainError } from "../i18n/words";
import { Details } from "./Details";

/** A failure in plain words, with the technical detail behind a disclosure. */
export function ErrorNote({ error }: { error: CommandError }) {
  const { t } = useTranslation();
  const detail = [error.message, error.detail].filter(Boolean).join("\n");
  return (
    <div className="note note-error" role="alert">
      <p>{explainError(t, error)}</p>
      {detail && <Details text={detail} />}
    </div>
  );
}
