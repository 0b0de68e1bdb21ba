import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { App } from "./App";
import { IpcContext, tauriIpc } from "./ipc";
import { browserLanguage, createI18n, followLanguageInDocument } from "./i18n";
import "./styles.css";

// The browser's guess until the app says which language the user chose (App does).
const i18n = createI18n(browserLanguage());
followLanguageInDocument(i18n);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <IpcContext.Provider value={tauriIpc}>
        <App />
      </IpcContext.Provider>
    </I18nextProvider>
  </StrictMode>,
);
