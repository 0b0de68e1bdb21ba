// The backup health result the view is shown with: the real `get_backup_health` of the
// server serving the simulator, so every count and "Show log" is the server's own.

/** The view's resource, as novabackup-mcp serves it. */
export const VIEW_URI = "ui://novabackup/backup-health.html";

/**
 * `{tool, result}`: the tool's definition as listed and the result of calling it, as a
 * host gets them. Fails when the server does not list the tool.
 */
export async function healthResult(client) {
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === "get_backup_health");
  if (!tool) throw new Error(`novabackup-mcp does not list get_backup_health: ${tools.map((t) => t.name).join(", ")}`);
  const result = await client.callTool({ name: "get_backup_health", arguments: {} }, undefined, { timeout: 120_000 });
  return { tool, result };
}

/** The view's HTML and its `_meta.ui`, read through the client as a host reads it. */
export async function readView(client, uri) {
  const read = await client.readResource({ uri });
  const [content] = read.contents;
  return { html: content.text, mimeType: content.mimeType, ui: content._meta?.ui ?? {} };
}
