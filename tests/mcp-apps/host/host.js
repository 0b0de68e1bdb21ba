// A minimal MCP Apps host on the official AppBridge: it puts the view's HTML (as the
// server served it) in a sandboxed iframe under the CSP the resource declares, passes
// the tool result, forwards the view's tools/call to the test's real MCP client
// (window.hostCallTool, bound by the test) and records its ui/message requests.
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

/** Host style variables, as a host such as Claude sends them (a subset). */
export const STYLES = {
  light: {
    "--color-background-primary": "#faf9f5",
    "--color-background-secondary": "#f0eee6",
    "--color-text-primary": "#141413",
    "--color-text-secondary": "#5e5d59",
    "--color-border-primary": "#d1cfc5",
    "--font-sans": "Liberation Sans, Arial, sans-serif",
  },
  dark: {
    "--color-background-primary": "#262624",
    "--color-background-secondary": "#30302e",
    "--color-text-primary": "#faf9f5",
    "--color-text-secondary": "#b7b5a9",
    "--color-border-primary": "#4a4945",
    "--font-sans": "Liberation Sans, Arial, sans-serif",
  },
};

/** The CSP a host builds from `_meta.ui.csp` (SEP-1865: undeclared means none). */
function policy(csp = {}) {
  const list = (domains, fallback) => (domains?.length ? domains.join(" ") : fallback);
  const resources = list(csp.resourceDomains, "");
  return [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${resources}`.trim(),
    `style-src 'unsafe-inline' ${resources}`.trim(),
    `img-src data: ${resources}`.trim(),
    `font-src ${list(csp.resourceDomains, "'none'")}`,
    `media-src ${list(csp.resourceDomains, "'none'")}`,
    `connect-src ${list(csp.connectDomains, "'none'")}`,
    `frame-src ${list(csp.frameDomains, "'none'")}`,
    `base-uri ${list(csp.baseUriDomains, "'self'")}`,
  ].join("; ");
}

let bridge = null;
let context = null;
let withStyles = true;
const stylesOf = (theme) => (withStyles ? { variables: STYLES[theme] } : undefined);
const messages = [];

window.host = {
  /**
   * Shows `html` with `csp`, then sends `toolResult`; resolves once the view got it.
   * `hostStyles: false` sends the theme alone (a host without style variables);
   * `messages: false` is a host that takes no ui/message.
   */
  async show({ html, csp, toolResult, theme, hostStyles = true, messages: takesMessages = true }) {
    withStyles = hostStyles;
    const iframe = document.createElement("iframe");
    iframe.setAttribute("sandbox", "allow-scripts");
    iframe.title = "Backup health";
    document.getElementById("frame").replaceChildren(iframe);
    context = {
      theme,
      styles: stylesOf(theme),
      locale: "en-GB",
      timeZone: "UTC",
      displayMode: "inline",
      platform: "web",
      containerDimensions: { width: 400, maxHeight: 6000 },
    };
    document.body.dataset.theme = theme;
    bridge = new AppBridge(
      null,
      { name: "novabackup-test-host", version: "1.0.0" },
      { serverTools: {}, openLinks: {}, ...(takesMessages ? { message: { text: {} } } : {}) },
      { hostContext: context },
    );
    bridge.oncalltool = (params) => window.hostCallTool(params);
    bridge.onmessage = async (params) => {
      messages.push(params);
      return {};
    };
    bridge.onsizechange = ({ height }) => {
      if (height) iframe.style.height = `${Math.ceil(height) + 2}px`;
    };
    const initialized = new Promise((resolve) => (bridge.oninitialized = resolve));
    await bridge.connect(new PostMessageTransport(iframe.contentWindow, iframe.contentWindow));
    const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(csp)}">`;
    iframe.srcdoc = html.replace(/<head>/i, `<head>${meta}`);
    await initialized;
    await bridge.sendToolInput({ arguments: {} });
    await bridge.sendToolResult(toolResult);
  },
  /** Switches the host's theme (and its style variables) as a user would. */
  setTheme(theme) {
    context = { ...context, theme, styles: stylesOf(theme) };
    document.body.dataset.theme = theme;
    bridge.setHostContext(context);
  },
  /** The ui/message requests the view sent. */
  messages: () => messages,
  styles: STYLES,
};
