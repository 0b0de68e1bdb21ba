import type { Glance, HealthLevel, Overall, Verdict } from "../ipc";
import { tone } from "../i18n/words";

const GLYPH = { green: "✓", amber: "!", red: "✕", grey: "–" } as const;

/** A coloured dot with a glyph, so colour is never the only signal. */
export function StatusDot({ state }: { state: HealthLevel | Overall | Verdict | Glance }) {
  const colour = tone(state);
  return (
    <span className={`dot dot-${colour}`} aria-hidden="true" data-tone={colour}>
      {GLYPH[colour]}
    </span>
  );
}
