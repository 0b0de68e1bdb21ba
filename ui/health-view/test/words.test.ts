import { describe, expect, it } from "vitest";
import fixture from "../fixtures/digest.json";
import { asDigest, type Customer, type Digest } from "../src/digest";
import * as say from "../src/words";

const digest = asDigest(fixture) as Digest;
const byName = (name: string) => digest.customers.find((c) => c.name === name) as Customer;

describe("the words of the view", () => {
  it("gives every verdict a word and a shape, not only a colour", () => {
    expect(["failing", "warning", "ok"].map((v) => say.verdictWord(v as never))).toEqual(["Needs attention", "Warnings", "Backed up"]);
    expect(new Set(["failing", "warning", "ok"].map((v) => say.mark(v as never))).size).toBe(3);
  });

  it("says how long a computer has gone without a backup", () => {
    const stale = { agent_id: 1, agent_name: "PC", last_success: "2026-03-07T03:00:00Z" };
    expect(say.noBackupFor({ ...stale, hours_since_success: 76 })).toBe("no backup for 3 days");
    expect(say.noBackupFor({ ...stale, hours_since_success: 30 })).toBe("no backup for 1 day");
    expect(say.noBackupFor({ ...stale, hours_since_success: 20.5 })).toBe("no backup for 20 hours");
    expect(say.noBackupFor({ ...stale, last_success: null, hours_since_success: null })).toBe("never backed up");
  });

  it("counts a customer's failed, warning and stale computers", () => {
    expect(say.customerCounts(byName("Northwind Traders"))).toBe("3 failed · 1 warning · 1 computer not backed up for 3 days");
    expect(say.customerCounts(byName("Contoso Dental"))).toBe("2 computers not backed up for too long");
    expect(say.customerCounts(byName("Fabrikam Legal"))).toBe("2 warnings · 1 cancelled");
    expect(say.customerCounts(byName("Adatum Clinic"))).toBe("12 backups, all successful");
    expect(say.customerCounts({ ...byName("Adatum Clinic"), runs_by_status: {} })).toBe("No backups ran in this period");
  });

  it("names the window and the verdicts", () => {
    expect(say.windowWords(digest)).toBe("the last 24 hours");
    expect(say.windowWords({ ...digest, window: { since: "2026-03-03T07:00:00Z", until: digest.window.until } })).toBe("the last 7 days");
    expect(say.windowWords({ ...digest, window: { since: "2026-03-09T19:00:00Z", until: digest.window.until } }, "en-GB", "UTC")).toBe("since Mon 9 Mar, 19:00");
    expect(say.verdictSummary(digest.totals.customers_by_verdict)).toBe("2 need attention · 1 with warnings · 2 backed up");
    expect(say.verdictSummary({ failing: 1 })).toBe("1 needs attention");
  });

  it("writes times in the host's locale and time zone, durations in plain units", () => {
    expect(say.when("2026-03-10T02:14:00Z", "en-GB", "UTC")).toBe("Tue 10 Mar, 02:14");
    expect(say.when("2026-03-10T02:14:00Z", "de-DE", "Europe/Berlin")).toBe("Di., 10. März, 03:14");
    expect(say.when(null)).toBe("time unknown");
    expect([38, 640, 3900].map(say.took)).toEqual(["38 s", "11 min", "1 h 5 min"]);
  });

  it("describes a cause's reach and an incomplete digest's reasons", () => {
    expect(say.causeReach({ runs: 14, agents: 9, customers: 3 })).toBe("14 runs on 9 computers at 3 customers");
    expect(say.causeReach({ runs: 1, agents: 1, customers: 1 })).toBe("1 run on 1 computer at 1 customer");
    expect(say.reasonWords("logs capped at 50")).toBe("logs capped at 50");
    expect(say.reasonWords({ server_id: "eu-1", message: "Could not reach the server." })).toBe("eu-1: Could not reach the server.");
  });

  it("asks Claude about one customer with what a model needs to look further", () => {
    const text = say.question(byName("Northwind Traders"), "the last 24 hours");
    expect(text).toContain("Northwind Traders");
    expect(text).toContain("6f1c2a9e-0b4d-4c1e-9a51-2f0d8c7e1a01");
    expect(text).toContain("demo-1");
  });

  it("names a computer by its name, else its number, else plainly", () => {
    expect(say.computerName({ agent_name: "FS-01", agent_id: 7 })).toBe("FS-01");
    expect(say.computerName({ agent_name: null, agent_id: 7 })).toBe("Computer 7");
    expect(say.computerName({ agent_name: null, agent_id: null })).toBe("A computer");
  });
});
