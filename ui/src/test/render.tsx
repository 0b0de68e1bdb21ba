import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { IpcContext, type Ipc, type Language } from "../ipc";
import { createI18n, followLanguageInDocument } from "../i18n";

/** Renders `ui` with `ipc` as the app behind it, speaking `language` (English unless
 * told), and a user to drive it; `t` gives the catalogue's words for assertions. */
export function renderWith(ipc: Ipc, ui: ReactElement, language: Language = "en") {
  const user = userEvent.setup();
  const i18n = createI18n(language);
  followLanguageInDocument(i18n);
  // A wrapper (not a wrapped element), so that `rerender` keeps the language and the app.
  const result = render(ui, {
    wrapper: ({ children }) => (
      <I18nextProvider i18n={i18n}>
        <IpcContext.Provider value={ipc}>{children}</IpcContext.Provider>
      </I18nextProvider>
    ),
  });
  return { user, i18n, t: i18n.t, ...result };
}
