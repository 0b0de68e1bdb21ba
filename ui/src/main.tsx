import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { IpcContext, tauriIpc } from "./ipc";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <IpcContext.Provider value={tauriIpc}>
      <App />
    </IpcContext.Provider>
  </StrictMode>,
);
