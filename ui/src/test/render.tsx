import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { IpcContext, type Ipc } from "../ipc";

/** Renders `ui` with `ipc` as the app behind it, and a user to drive it. */
export function renderWith(ipc: Ipc, ui: ReactElement) {
  const user = userEvent.setup();
  const result = render(<IpcContext.Provider value={ipc}>{ui}</IpcContext.Provider>);
  return { user, ...result };
}
