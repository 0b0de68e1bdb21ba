// The view's wiring to the host through the official MCP Apps `App` class: the
// tool result arrives as a notification, the host's theme and style variables are
// followed, logs are read with `tools/call` and questions go out with `ui/message`.
import { App, applyDocumentTheme, applyHostFonts, applyHostStyleVariables } from "@modelcontextprotocol/ext-apps";
import type { McpUiHostContext } from "@modelcontextprotocol/ext-apps";
import { asDigest } from "./digest";
import { resultText } from "./log";
import { renderNote, renderReport } from "./report";
import "./styles.css";

const root = document.getElementById("root") as HTMLElement;
const app = new App({ name: "novabackup-backup-health", version: "1.0.0" }, {}, { autoResize: true });

function follow(context: McpUiHostContext | undefined): void {
  if (context?.theme) applyDocumentTheme(context.theme);
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context?.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
}

app.ontoolresult = (result) => {
  const digest = asDigest(result.structuredContent);
  if (result.isError || !digest) {
    renderNote(root, "There is no backup health report to show.", resultText(result));
    return;
  }
  const context = app.getHostContext();
  renderReport(root, digest, { locale: context?.locale, timeZone: context?.timeZone }, {
    showLog: (run) =>
      app.callServerTool({
        name: "get_job_run_log",
        arguments: { server_id: run.server_id, job_id: run.job_log_id, mode: "summary" },
      }),
    ask: app.getHostCapabilities()?.message
      ? async (_customer, text) => {
          const answer = await app.sendMessage({ role: "user", content: [{ type: "text", text }] });
          return !answer.isError;
        }
      : null,
  });
};
app.ontoolcancelled = () => renderNote(root, "The backup health report was stopped before it finished.");
app.onhostcontextchanged = () => follow(app.getHostContext());
app.onteardown = async () => ({});

app.connect().then(
  () => follow(app.getHostContext()),
  (error: unknown) => renderNote(root, "This view could not connect to the conversation.", String(error)),
);
