// Every call from the UI to the app goes through this module. Components get an `Ipc`
// from React context; the app passes `tauriIpc` (the generated bindings), tests pass a
// fake of their own.
import { createContext, useContext } from "react";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
import { commands, events } from "./bindings";
import type * as B from "./bindings";

// The shapes as the app sends them (`_Serialize`) and receives them (`_Deserialize`).
export type AppInfo = B.AppInfo;
export type BackupWindow = B.BackupWindow;
export type BackupsState = B.BackupsState;
export type BackupsView = B.BackupsView_Serialize;
export type CauseView = B.CauseView;
export type ClientId = B.ClientId;
export type ClientState = B.ClientState;
export type ClientView = B.ClientView_Serialize;
export type CommandError = B.CommandError_Serialize;
export type ConnectionSummary = B.ConnectionSummary;
export type CustomerView = B.CustomerView_Serialize;
export type ErrorCode = B.ErrorCode;
export type GapView = B.GapView_Serialize;
export type Glance = B.Glance;
export type GlanceView = B.GlanceView;
export type HealthLevel = B.HealthLevel;
export type HealthView = B.HealthView_Serialize;
export type Keychain = B.Keychain;
export type Language = B.Language;
export type LanguageChoice = B.LanguageChoice;
export type LogLevel = B.LogLevel;
export type Overall = B.OverallLevel;
export type Overview = B.Overview_Serialize;
export type RunCounts = B.RunCounts;
export type RunOutcome = B.RunOutcome;
export type RunView = B.RunView_Serialize;
export type ServerInput = B.ServerInput_Deserialize;
export type ServerView = B.ServerView_Serialize;
export type Settings = B.Settings_Serialize;
export type StaleView = B.StaleView_Serialize;
export type Verdict = B.VerdictView;

/** A command's outcome: its data, or an error with a code the UI explains. */
export type Result<T, E = CommandError> = { status: "ok"; data: T } | { status: "error"; error: E };

/** For reads that only fail when something is badly wrong: the data, or a thrown error. */
async function data<T>(result: Promise<Result<T>>): Promise<T> {
  const outcome = await result;
  if (outcome.status === "error") throw new Error(outcome.error.message);
  return outcome.data;
}

/** What the UI can ask of the app. */
export interface Ipc {
  appInfo(): Promise<AppInfo>;
  overview(): Promise<Overview>;
  checkNow(serverId: string | null): Promise<Overview>;
  testConnection(input: ServerInput): Promise<Result<ConnectionSummary, CommandError>>;
  /** Stops the running connection test; the app drops its requests. */
  cancelConnectionTest(): Promise<void>;
  saveServer(input: ServerInput): Promise<Result<ServerView, CommandError>>;
  removeServer(serverId: string): Promise<Result<null, CommandError>>;
  addDemoServer(): Promise<Result<ServerView, CommandError>>;
  pickCaCertificate(): Promise<string | null>;
  clients(): Promise<ClientView[]>;
  connectClient(client: ClientId): Promise<Result<ClientView, CommandError>>;
  disconnectClient(client: ClientId): Promise<Result<ClientView, CommandError>>;
  settings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<Result<Settings, CommandError>>;
  openLogFolder(): Promise<Result<null, CommandError>>;
  /** The Backups view now: the last digest of the saved servers, customers worst first. */
  backups(): Promise<BackupsView>;
  /** What the tray shows now: the worst of a server down and the customers' backups. */
  glance(): Promise<GlanceView>;
  /** Puts `text` on the system clipboard (the official clipboard plugin). */
  copyText(text: string): Promise<void>;
  /** Calls `handler` with each new overview the app's health checks produce. */
  onHealthChanged(handler: (overview: Overview) => void): Promise<() => void>;
  /** Calls `handler` with every client's status after each health round. */
  onClientsChecked(handler: (clients: ClientView[]) => void): Promise<() => void>;
  /** Calls `handler` with the new Backups view after each health round (or a new period). */
  onBackupsChanged(handler: (backups: BackupsView) => void): Promise<() => void>;
  /** Calls `handler` with what the tray shows each time it changes. */
  onGlanceChanged(handler: (glance: GlanceView) => void): Promise<() => void>;
  /** Calls `handler` when the tray asks for the Backups tab, with the customer's key
   * when it names one. */
  onShowBackups(handler: (customer: string | null) => void): Promise<() => void>;
}

/** The real thing: the app's commands and events. */
export const tauriIpc: Ipc = {
  appInfo: () => data(commands.appInfo()),
  overview: () => data(commands.overview()),
  checkNow: (serverId) => data(commands.checkNow(serverId)),
  testConnection: (input) => commands.testConnection(input),
  cancelConnectionTest: async () => {
    await data(commands.cancelConnectionTest());
  },
  saveServer: (input) => commands.saveServer(input),
  removeServer: (serverId) => commands.removeServer(serverId),
  addDemoServer: () => commands.addDemoServer(),
  pickCaCertificate: () => data(commands.pickCaCertificate()),
  clients: () => data(commands.clients()),
  connectClient: (client) => commands.connectClient(client),
  disconnectClient: (client) => commands.disconnectClient(client),
  settings: () => data(commands.settings()),
  saveSettings: (settings) => commands.saveSettings(settings),
  openLogFolder: () => commands.openLogFolder(),
  backups: () => data(commands.backups()),
  glance: () => data(commands.glance()),
  copyText: (text) => writeText(text),
  onHealthChanged: (handler) => events.healthChanged.listen((event) => handler(event.payload.overview)),
  onClientsChecked: (handler) => events.clientsChecked.listen((event) => handler(event.payload.clients)),
  onBackupsChanged: (handler) => events.backupsChanged.listen((event) => handler(event.payload.backups)),
  onGlanceChanged: (handler) => events.glanceChanged.listen((event) => handler(event.payload.glance)),
  onShowBackups: (handler) => events.showBackups.listen((event) => handler(event.payload.customer ?? null)),
};

export const IpcContext = createContext<Ipc>(tauriIpc);

/** The `Ipc` the surrounding app (or test) provides. */
export function useIpc(): Ipc {
  return useContext(IpcContext);
}
