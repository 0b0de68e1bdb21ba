// The backup health view in a real browser: headless Chromium shows a host page built
// on the official AppBridge, which loads the view exactly as novabackup-mcp serves it
// (resources/read) and passes it the backup health result; the view's tools/call go
// through the official MCP client to the real server serving the simulator.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { APPS_CAPABILITIES, Estate } from "../lib/estate.mjs";
import { AXE_SOURCE, startBrowser } from "../lib/browser.mjs";
import { VIEW_URI, healthResult, readView } from "../lib/health.mjs";

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), "..", "output");

const estate = new Estate();
let browser;
let client;
let view;
let health;
let digest;

before(async () => {
  await estate.start();
  client = await estate.client(APPS_CAPABILITIES);
  health = await healthResult(client);
  // As a host does: the resource the tool points at.
  assert.equal(health.tool._meta?.ui?.resourceUri, VIEW_URI, "get_backup_health points at the view");
  view = await readView(client, health.tool._meta.ui.resourceUri);
  digest = health.result.structuredContent;
  browser = await startBrowser();
  mkdirSync(OUTPUT, { recursive: true });
  console.log(`# shown with get_backup_health; the view is ${Buffer.byteLength(view.html)} bytes`);
});

after(async () => {
  await browser?.close();
  await estate.stop();
});

/** Opens the host page and shows the view; returns the page, its view frame and what it recorded. */
async function open({ theme = "light", hostStyles = true, messages = true, toolResult = health.result, ready = "ul.customers" } = {}) {
  const page = await browser.context.newPage();
  const seen = { calls: [], results: [], requests: [], console: [] };
  page.on("request", (request) => seen.requests.push({ url: request.url(), main: request.frame() === page.mainFrame() }));
  page.on("console", (message) => seen.console.push(`${message.type()}: ${message.text()}`));
  await page.exposeFunction("hostCallTool", async (params) => {
    seen.calls.push(params);
    const result = await client.callTool(params);
    seen.results.push(result);
    return result;
  });
  await page.goto(browser.url);
  await page.evaluate((args) => window.host.show(args), {
    html: view.html,
    csp: view.ui.csp,
    toolResult,
    theme,
    hostStyles,
    messages,
  });
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForSelector(ready);
  return { page, frame, seen };
}

/** The index of the first customer with a failing run. */
function firstWithRuns() {
  const index = digest.customers.findIndex((c) => c.failing_runs.length > 0);
  assert.ok(index >= 0, "the estate has a customer with a failing run");
  return index;
}

async function expandAll(frame) {
  await frame.$$eval("details", (all) => all.forEach((d) => (d.open = true)));
}

const rgb = (frame, selector, property) =>
  frame.$eval(selector, (element, name) => getComputedStyle(element)[name], property);

describe("the backup health view", () => {
  it("is served as an MCP Apps resource that loads nothing from the network", () => {
    assert.equal(view.mimeType, "text/html;profile=mcp-app");
    assert.deepEqual(view.ui.csp, { connectDomains: [], resourceDomains: [] });
    assert.ok(Buffer.byteLength(view.html) < 250_000, `the view is ${Buffer.byteLength(view.html)} bytes`);
  });

  it("renders the customers in the tool's order with the same counts", async () => {
    const { page, frame } = await open();
    const shown = await frame.$$eval("li.customer", (items) =>
      items.map((li) => ({
        tenant: li.dataset.tenantId,
        name: li.querySelector(".name").textContent,
        verdict: li.querySelector(".badge").textContent.trim(),
        counts: li.querySelector(".counts").textContent,
      })),
    );
    assert.deepEqual(
      shown.map((c) => [c.tenant, c.name]),
      digest.customers.map((c) => [c.tenant_id, c.name]),
    );
    digest.customers.forEach((customer, i) => {
      const runs = customer.runs_by_status;
      const { counts, verdict } = shown[i];
      assert.match(verdict, /^[✕!✓] \p{L}/u, `a shape and a word, not colour alone: ${verdict}`);
      if (runs.failed) assert.ok(counts.includes(`${runs.failed} failed`), counts);
      if (runs.warning) assert.ok(counts.includes(`${runs.warning} warning`), counts);
      if (runs.cancelled) assert.ok(counts.includes(`${runs.cancelled} cancelled`), counts);
      const stale = customer.stale_agents.length;
      if (stale) assert.ok(counts.includes(`${stale} computer${stale === 1 ? "" : "s"}`), counts);
    });
    const totals = await frame.$$eval(".totals dd", (dds) => dds.map((dd) => Number(dd.textContent)));
    const t = digest.totals;
    assert.deepEqual(totals, [t.customers, t.agents, t.failing_runs, t.stale_agents]);

    await expandAll(frame);
    const detail = await frame.$$eval("li.customer", (items) =>
      items.map((li) => ({
        runs: [...li.querySelectorAll("li.run")].map((run) => Number(run.dataset.jobLogId)),
        errors: [...li.querySelectorAll("li.run .first-error")].map((p) => p.textContent),
        stale: [...li.querySelectorAll("li.stale-agent")].map((agent) => agent.textContent),
      })),
    );
    digest.customers.forEach((customer, i) => {
      assert.deepEqual(detail[i].runs, customer.failing_runs.map((run) => run.job_log_id), customer.name);
      const firstLines = customer.failing_runs.filter((run) => run.first_error).map((run) => run.first_error.split(/\r?\n/)[0]);
      assert.deepEqual(detail[i].errors, firstLines, "each first error line, as text");
      assert.equal(detail[i].stale.length, customer.stale_agents.length, customer.name);
      for (const text of detail[i].stale) assert.match(text, /no backup for \d+ (day|hour)s?|never backed up/);
    });
    const causes = await frame.$$eval(".causes > li > strong", (items) => items.map((s) => s.textContent));
    assert.deepEqual(causes, digest.causes.map((c) => c.cause));
    await page.close();
  });

  it("reads a run's log with exactly one tools/call of get_job_run_log and shows its lines", async () => {
    const { page, frame, seen } = await open();
    const index = firstWithRuns();
    const customer = frame.locator("li.customer").nth(index);
    await customer.locator("summary").press("Enter");
    const run = digest.customers[index].failing_runs[0];
    const item = customer.locator("li.run").first();
    await item.getByRole("button", { name: "Show log" }).press("Enter");
    await item.locator(".log .verdict-line").waitFor();

    const logCalls = seen.calls.filter((c) => c.name === "get_job_run_log");
    assert.equal(logCalls.length, 1, JSON.stringify(seen.calls));
    assert.deepEqual(logCalls[0].arguments, { server_id: run.server_id, job_id: run.job_log_id, mode: "summary" });
    const log = seen.results[0].structuredContent;
    assert.equal(log.available, true, JSON.stringify(log));
    const expected = [...log.errors, ...log.warnings, ...log.last_informational].map((m) => m.Message);
    assert.ok(expected.length > 0, "the run's log has lines");
    const lines = await item.locator(".log .lines li").allTextContents();
    assert.deepEqual(lines.map((line) => expected.find((m) => line.endsWith(m))), expected);
    assert.equal(await item.locator(".log .verdict-line").textContent(), log.verdict);

    await item.getByRole("button", { name: "Hide log" }).click();
    assert.equal(await item.locator(".log").isHidden(), true);
    await item.getByRole("button", { name: "Show log" }).click();
    assert.equal(await item.locator(".log .lines li").count(), lines.length);
    assert.equal(seen.calls.length, 1, "opening the log again reads nothing more");
    await page.close();
  });

  it("says when the counts are not complete, and when there is no report to show", async () => {
    const reason = { server_id: "eu-2", message: "Could not reach the server." };
    const partial = structuredClone(health.result);
    Object.assign(partial.structuredContent, { complete: false, incomplete_reasons: [reason] });
    let { page, frame } = await open({ toolResult: partial });
    const note = await frame.locator(".incomplete").textContent();
    assert.ok(note.includes("not complete") && note.includes("eu-2: Could not reach the server."), note);
    await page.close();
    const failed = { isError: true, content: [{ type: "text", text: "No server answered: demo-1 timed out." }] };
    ({ page, frame } = await open({ toolResult: failed, ready: ".note" }));
    assert.equal(await frame.locator(".customers").count(), 0);
    assert.ok((await frame.locator("main").textContent()).includes("demo-1 timed out"));
    await page.close();
  });

  it("asks Claude about a customer through ui/message", async () => {
    const { page, frame } = await open();
    const index = firstWithRuns();
    const customer = digest.customers[index];
    const item = frame.locator("li.customer").nth(index);
    await item.locator("summary").click();
    await item.getByRole("button", { name: `Ask Claude about ${customer.name}` }).click();
    await item.getByText("Question sent to Claude.").waitFor();
    const messages = await page.evaluate(() => window.host.messages());
    assert.equal(messages.length, 1);
    assert.equal(messages[0].role, "user");
    const text = messages[0].content[0].text;
    for (const part of [customer.name, customer.tenant_id, customer.server_id]) assert.ok(text.includes(part), text);
    await page.close();

    const quiet = await open({ messages: false });
    await expandAll(quiet.frame);
    assert.equal(await quiet.frame.locator("button.ask").count(), 0, "no Ask button where the host takes no messages");
    await quiet.page.close();
  });

  it("follows the host's theme and style variables when they change", async () => {
    for (const hostStyles of [true, false]) {
      const { page, frame } = await open({ theme: "light", hostStyles });
      const before = { bg: await rgb(frame, "html", "backgroundColor"), fg: await rgb(frame, "html", "color") };
      const styles = await page.evaluate(() => window.host.styles);
      if (hostStyles) assert.equal(before.bg, "rgb(250, 249, 245)", "the host's --color-background-primary");
      await page.evaluate(() => window.host.setTheme("dark"));
      await frame.waitForFunction((bg) => getComputedStyle(document.documentElement).backgroundColor !== bg, before.bg);
      const afterwards = { bg: await rgb(frame, "html", "backgroundColor"), fg: await rgb(frame, "html", "color") };
      assert.notEqual(afterwards.fg, before.fg, "the text is re-coloured too");
      assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), "dark");
      if (hostStyles) assert.equal(afterwards.bg, "rgb(38, 38, 36)", `the host's dark ${styles.dark["--color-background-primary"]}`);
      else assert.equal(afterwards.bg, "rgb(26, 27, 30)", "the view's own dark background");
      await page.close();
    }
  });

  it("passes an axe-core scan (no serious or critical violation) in light and dark, and is photographed", async () => {
    const axe = readFileSync(AXE_SOURCE, "utf8");
    const report = [];
    for (const theme of ["light", "dark"]) {
      for (const hostStyles of [true, false]) {
        const { page, frame } = await open({ theme, hostStyles });
        const index = firstWithRuns();
        await expandAll(frame);
        const item = frame.locator("li.customer").nth(index).locator("li.run").first();
        await item.getByRole("button", { name: "Show log" }).click();
        await item.locator(".log .verdict-line").waitFor();
        await frame.evaluate(axe);
        const results = await frame.evaluate(() =>
          window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
        );
        const violations = results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
        const incomplete = results.incomplete.map((v) => ({
          id: v.id,
          nodes: v.nodes.length,
          why: [...new Set(v.nodes.map((n) => n.any[0]?.message ?? ""))],
        }));
        report.push({ theme, hostStyles, passes: results.passes.length, violations, incomplete });
        const grave = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert.deepEqual(grave, [], `${theme}${hostStyles ? " with host styles" : ""}: ${JSON.stringify(grave)}`);
        if (hostStyles) {
          await frame.$$eval("details", (all) => all.forEach((d, i) => (d.open = i === 0)));
          const height = await frame.evaluate(() => Math.ceil(document.querySelector("main").getBoundingClientRect().bottom) + 12);
          await page.locator("iframe").evaluate((iframe, h) => (iframe.style.height = `${h}px`), height);
          await page.setViewportSize({ width: 480, height: height + 60 });
          await page.locator("iframe").screenshot({ path: join(OUTPUT, `backup-health-${theme}.png`) });
        }
        await page.close();
      }
    }
    console.log(`# axe-core ${JSON.parse(readFileSync(join(dirname(AXE_SOURCE), "package.json"), "utf8")).version}: ${JSON.stringify(report)}`);
  });

  it("is reachable by keyboard and readable at 400 px wide", async () => {
    const { page, frame } = await open();
    const width = await frame.evaluate(() => document.documentElement.clientWidth);
    assert.equal(width, 400, "the view has 400 px");
    await expandAll(frame);
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, "nothing is wider than the view");
    await frame.$$eval("details", (all) => all.forEach((d) => (d.open = false)));
    await frame.locator("body").focus();
    const reached = [];
    for (let i = 0; i < digest.customers.length + 6; i++) {
      await page.keyboard.press("Tab");
      reached.push(await frame.evaluate(() => document.activeElement?.textContent?.trim().slice(0, 40) ?? ""));
    }
    const first = digest.customers[0];
    assert.ok(reached.some((text) => text.includes(first.name)), `Tab reaches the first customer: ${JSON.stringify(reached)}`);
    await page.keyboard.press("Enter");
    const open0 = await frame.evaluate(() => [...document.querySelectorAll("details")].some((d) => d.open));
    assert.ok(open0, "Enter on a customer opens it");
    await page.close();
  });

  it("asks for nothing on the network and breaks no content security rule", async () => {
    const { page, frame, seen } = await open();
    await expandAll(frame);
    const fromView = seen.requests.filter((r) => !r.main);
    assert.deepEqual(fromView, [], "the view made no request");
    assert.ok(seen.requests.every((r) => r.url.startsWith(browser.url)), JSON.stringify(seen.requests));
    const refused = seen.console.filter((line) => /Content Security Policy|Refused to/i.test(line));
    assert.deepEqual(refused, []);
    await page.close();
  });
});

describe("MCP Apps metadata", () => {
  it("reaches only a client that announces MCP Apps", async () => {
    const plain = await estate.client({});
    const withoutApps = (await plain.listTools()).tools;
    const withApps = (await client.listTools()).tools;
    const ui = (tool) => tool._meta?.ui ?? tool._meta?.["ui/resourceUri"];
    assert.deepEqual(withoutApps.filter(ui).map((t) => t.name), [], "no UI metadata without MCP Apps");
    assert.deepEqual((await plain.listResources()).resources, []);
    const listed = (await client.listResources()).resources;
    assert.deepEqual(listed.map((r) => [r.uri, r.mimeType]), [[VIEW_URI, "text/html;profile=mcp-app"]]);

    const strip = (tool) => {
      const { _meta, ...rest } = tool;
      const meta = { ...(_meta ?? {}) };
      delete meta.ui;
      delete meta["ui/resourceUri"];
      return Object.keys(meta).length ? { ...rest, _meta: meta } : rest;
    };
    assert.deepEqual(withApps.map(strip), withoutApps, "otherwise the same tools, exactly");
    const decorated = withApps.filter(ui).map((t) => [t.name, t._meta.ui.resourceUri]);
    assert.deepEqual(decorated, [["get_backup_health", VIEW_URI]]);
    const plainResult = await plain.callTool({ name: "get_backup_health", arguments: {} }, undefined, { timeout: 120_000 });
    assert.deepEqual(plainResult.structuredContent.customers, digest.customers, "the same structured result");
    assert.deepEqual(plainResult.structuredContent.totals, digest.totals);
    assert.ok(plainResult.content.some((c) => c.type === "text" && c.text.length > 0), "a text for every client");
  });
});
