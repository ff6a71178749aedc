/**
 * TAM `update_relationship_profile` {account_id, updates}: the "Technical Relationship Profile" sub-page
 * under the account, merged without losing a field, a column or a block a person added; over the local
 * records and over Notion (the emulator), where a long section spans several tables.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { BodyBlock } from "../../../../src/adapters/records/port.js";
import {
  PROFILE_TITLE,
  parseProfile,
} from "../../../../src/agents/tam/update-relationship-profile/profile.js";
import type { TaskInput } from "../../../../src/graphs/agent-graph.js";
import type { Runtime } from "../../../../src/runtime.js";
import { type NotionStack, seedNotion, startNotionStack } from "../../../adapters/notion-stack.js";
import { auth, makeApp } from "../../../helpers/runtime.js";
import { loadRecords, makeAccount, makeTicket } from "../../expansion/fixtures.js";
import { tamRuntime } from "../helpers.js";

const update = (account_id: string, updates: Record<string, unknown>): TaskInput => ({
  type: "update_relationship_profile",
  account_id,
  updates,
});

type Table = Extract<BodyBlock, { type: "table" }>;

/** The table right after a section heading, as header + rows. */
function section(body: BodyBlock[], heading: string): string[][] {
  const at = body.findIndex((b) => b.type === "heading_2" && b.text === heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  return (body[at + 1] as Table).rows;
}

describe("TAM update_relationship_profile (local records)", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  const run = async (task: TaskInput) => {
    const r = await runtime!.runs.dispatchAndWait({ agent_id: "tam", task });
    expect(r.status, r.error ?? "").toBe("succeeded");
    return r.result as Record<string, unknown>;
  };
  const page = async () => (await runtime!.records.findSubPage("acc_1", PROFILE_TITLE))!;

  it("creates the sub-page from what the records know, then merges updates without losing fields", async () => {
    runtime = await tamRuntime();
    await loadRecords(
      runtime,
      [makeAccount({ id: "acc_1", modules: ["analytics_pro", "slack_integration"], last_heartbeat: null })],
      [
        { ...makeTicket("acc_1", "P1", 100), id: "TCK-1", subject: "SSO login fails" },
        { ...makeTicket("acc_1", "P3", 100), id: "TCK-2", subject: "Typo in export" },
        { ...makeTicket("acc_1", "P2", 100, "Closed"), id: "TCK-3", subject: "Old outage" },
      ],
    );

    const first = await run(
      update("acc_1", {
        stakeholders: [
          { name: "Ana Silva", role: "VP Engineering", email: "ana@acme.example", notes: "Prefers Slack" },
        ],
        communication_log: [{ date: "2026-03-02", channel: "call", summary: "Kick-off", by: "tam" }],
      }),
    );
    expect(first).toMatchObject({
      account_id: "acc_1",
      created: true,
      changed: true,
      counts: { stakeholders: 1, integrations: 1, known_issues: 1, communication_log: 1 },
    });
    const created = await page();
    expect(first.page_id).toBe(created.id);
    expect(created.parent_id).toBe("acc_1");
    expect(
      created.body.filter((b) => b.type === "heading_2").map((b) => (b as { text: string }).text),
    ).toEqual(["Stakeholders", "Integrations", "Known issues", "Communication log"]);
    // Seeded from the records: the integration bought, the open P1/P2 ticket (not the P3, not the closed one).
    expect(section(created.body, "Integrations")).toEqual([
      ["Name", "Status", "Notes"],
      ["slack_integration", "bought, no heartbeat recorded", ""],
    ]);
    expect(section(created.body, "Known issues")).toEqual([
      ["Title", "Severity", "Status", "Ticket", "Notes"],
      ["SSO login fails", "P1", "Open", "TCK-1", ""],
    ]);

    // A partial update of a stakeholder (found by email) keeps the fields it does not set.
    await run(
      update("acc_1", {
        stakeholders: [
          { name: "Ana Silva-Ortiz", email: "ANA@acme.example", role: "CTO" },
          { name: "Raj Patel", role: "Integration owner" },
        ],
        integrations: [{ name: "slack_integration", notes: "Alerts channel #acme-ops" }],
        known_issues: [{ title: "SSO login fails", status: "Fix deployed", ticket_id: "TCK-1" }],
        communication_log: [{ date: "2026-02-20", summary: "Renewal scoping", channel: "email" }],
      }),
    );
    const merged = (await page()).body;
    expect(section(merged, "Stakeholders")).toEqual([
      ["Name", "Role", "Email", "Notes"],
      ["Ana Silva-Ortiz", "CTO", "ANA@acme.example", "Prefers Slack"],
      ["Raj Patel", "Integration owner", "", ""],
    ]);
    expect(section(merged, "Integrations")).toEqual([
      ["Name", "Status", "Notes"],
      ["slack_integration", "bought, no heartbeat recorded", "Alerts channel #acme-ops"],
    ]);
    expect(section(merged, "Known issues")[1]).toEqual([
      "SSO login fails",
      "P1",
      "Fix deployed",
      "TCK-1",
      "",
    ]);
    // The log is kept in date order.
    expect(section(merged, "Communication log").slice(1)).toEqual([
      ["2026-02-20", "email", "Renewal scoping", ""],
      ["2026-03-02", "call", "Kick-off", "tam"],
    ]);

    // The same update again changes nothing and rewrites nothing.
    const before = await page();
    const same = await run(
      update("acc_1", { communication_log: [{ date: "2026-02-20", summary: "Renewal scoping" }] }),
    );
    expect(same).toMatchObject({ created: false, changed: false, page_id: before.id });
    expect((await page()).updated_at).toBe(before.updated_at);
  });

  it("keeps a column and blocks a person added to the page", async () => {
    runtime = await tamRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_1" })]);
    await run(update("acc_1", { stakeholders: [{ name: "Ana Silva", email: "ana@acme.example" }] }));
    // Someone edits the page: a Timezone column in Stakeholders, and a note of their own at the end.
    const edited = (await page()).body.map((b): BodyBlock => {
      if (b.type !== "table" || b.rows[0]?.[0] !== "Name" || b.rows[0]?.[2] !== "Email") return b;
      return {
        ...b,
        rows: [
          [...b.rows[0]!, "Timezone"],
          [...b.rows[1]!, "CET"],
        ],
      };
    });
    edited.push({ type: "callout", text: "Escalation path: Ana, then the CIO", emoji: "📞" });
    await runtime.records.writeSubPage("acc_1", PROFILE_TITLE, edited, { idempotencyKey: "person-edit" });

    await run(
      update("acc_1", { stakeholders: [{ name: "Ana Silva", email: "ana@acme.example", role: "CTO" }] }),
    );
    const body = (await page()).body;
    expect(section(body, "Stakeholders")).toEqual([
      ["Name", "Role", "Email", "Notes", "Timezone"],
      ["Ana Silva", "CTO", "ana@acme.example", "", "CET"],
    ]);
    expect(body).toContainEqual({ type: "callout", text: "Escalation path: Ana, then the CIO", emoji: "📞" });
    expect(body.filter((b) => b.type === "paragraph" && b.text.startsWith("Last updated"))).toHaveLength(1);
  });

  it("validates updates: over HTTP a 400 names the field; an unknown account fails the run", async () => {
    runtime = await tamRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_1" })]);
    const app = await makeApp(runtime);
    try {
      const post = (payload: object) =>
        app.inject({ method: "POST", url: "/v1/agents/tam/tasks", headers: auth(), payload });
      const empty = await post(update("acc_1", {}));
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.message).toContain("body.updates");
      const badEmail = await post(
        update("acc_1", { stakeholders: [{ name: "Ana", email: "not-an-email" }] }),
      );
      expect(badEmail.statusCode).toBe(400);
      expect(badEmail.json().error.message).toContain("body.updates.stakeholders.0.email");
      const unknownField = await post(update("acc_1", { integrations: [{ name: "jira", owner: "Raj" }] }));
      expect(unknownField.statusCode).toBe(400);
      expect(unknownField.json().error.message).toContain("body.updates.integrations.0");
    } finally {
      await app.close();
    }
    expect(await runtime.records.findSubPage("acc_1", PROFILE_TITLE)).toBeNull();
    const unknown = await runtime.runs.dispatchAndWait({
      agent_id: "tam",
      task: update("acc_nope", { integrations: [{ name: "jira" }] }),
    });
    expect(unknown.status).toBe("failed");
    expect(unknown.error).toContain("acc_nope not found");
  });
});

describe("TAM update_relationship_profile over Notion", () => {
  let stack: NotionStack | undefined;
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await stack?.close();
    stack = undefined;
  });

  it("a communication log of more than 100 entries (several Notion tables) reads back whole and keeps growing", async () => {
    stack = await startNotionStack();
    const ids = seedNotion(stack, [makeAccount({ id: "acc_1", name: "Acme Labs" })]);
    const accountId = ids.get("acc_1")!;
    runtime = await tamRuntime({ adapters: { records: stack.records } });
    const day = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const entries = Array.from({ length: 150 }, (_, i) => ({
      date: day(i),
      summary: `Weekly sync ${i + 1}`,
    }));

    const first = await runtime.runs.dispatchAndWait({
      agent_id: "tam",
      task: update(accountId, { communication_log: entries }),
    });
    expect(first.status, first.error ?? "").toBe("succeeded");
    const pageId = String(first.result!.page_id);
    // In Notion the log is two tables (100 rows each at most, header repeated): five tables in all.
    const tables = stack.emu.childrenOf(pageId).filter((b) => b.type === "table");
    expect(tables).toHaveLength(5);

    const second = await runtime.runs.dispatchAndWait({
      agent_id: "tam",
      task: update(accountId, {
        communication_log: [{ date: day(150), summary: "Weekly sync 151" }],
        stakeholders: [{ name: "Ana Silva" }],
      }),
    });
    expect(second.status, second.error ?? "").toBe("succeeded");
    expect(second.result).toMatchObject({
      created: false,
      changed: true,
      page_id: pageId,
      counts: { communication_log: 151, stakeholders: 1 },
    });
    const body = (await stack.records.findSubPage(accountId, PROFILE_TITLE))!.body;
    const profile = parseProfile(body);
    expect(profile.sections.communication_log.rows).toHaveLength(151);
    expect(profile.sections.communication_log.rows.map((r) => r.Summary)).toEqual(
      Array.from({ length: 151 }, (_, i) => `Weekly sync ${i + 1}`),
    );
    // No stray copy of the overflow table outside its section.
    expect(profile.extra).toEqual([]);
  });
});
