/** generate_qbr writing through the Notion records adapter into the loopback Notion emulator. */
import { afterEach, describe, expect, it } from "vitest";
import { customerSuccessAgent } from "../../../../src/agents/customer-success/index.js";
import { ManualClock } from "../../../../src/clock.js";
import type { Runtime } from "../../../../src/runtime.js";
import { type NotionStack, seedNotion, startNotionStack } from "../../../adapters/notion-stack.js";
import { makeRuntime } from "../../../helpers/runtime.js";
import { demoBook, generateQbr, HEALTHY_ID, NOW } from "../../qbr/helpers.js";

describe("generate_qbr on Notion (emulator)", () => {
  let stack: NotionStack | undefined;
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await stack?.close();
    stack = undefined;
  });

  it("a QBR of 150+ blocks passes the emulator's validation, in batches of at most 100; again rewrites the same page", async () => {
    const clock = new ManualClock(NOW);
    stack = await startNotionStack({ clock });
    const ids = seedNotion(stack, demoBook.accounts, demoBook.tickets);
    runtime = await makeRuntime({
      agents: [customerSuccessAgent],
      clock,
      adapters: { records: stack.records },
    });
    const pageId = ids.get(HEALTHY_ID)!;

    // Scans twice a day through Q3 2026: a score history of 184 rows, more than one Notion table holds.
    const history = [];
    for (let day = 0; day < 92; day++) {
      for (const hour of [7, 19]) {
        const at = new Date(Date.UTC(2026, 6, 1 + day, hour)).toISOString();
        const score = 60 + ((day * 7 + hour) % 25);
        history.push({
          account_id: pageId,
          at,
          score,
          rag: score >= 70 ? "GREEN" : "AMBER",
          run_id: null,
          detail: null,
        });
      }
    }
    await runtime.store.db.insertInto("health_history").values(history).execute();

    const run = await generateQbr(runtime, { account_id: pageId, period: "Q3 2026" });
    expect(run.status, JSON.stringify(run.result)).toBe("succeeded");
    expect(run.result).toMatchObject({ records: "notion", rewritten: false, health_points: 184 });
    const qbrId = String(run.result!.qbr_id);
    expect(qbrId).not.toMatch(/^pending:/);
    expect(await stack.records.outbox.hasPending()).toBe(false);

    const top = stack.emu.childrenOf(qbrId);
    const nested = top.filter((b) => b.type === "table").flatMap((t) => stack!.emu.childrenOf(String(t.id)));
    expect(top.length + nested.length).toBeGreaterThanOrEqual(150);
    expect(top.filter((b) => b.type === "table").length).toBeGreaterThanOrEqual(3);
    expect(
      top
        .filter((b) => b.type === "heading_2")
        .map((b) => (b.heading_2 as { rich_text: Array<{ plain_text: string }> }).rich_text[0]!.plain_text),
    ).toEqual([
      "Account Health Summary",
      "ROI & Business Impact",
      "Feature Adoption Scorecard",
      "Expansion & Next Steps",
    ]);
    expect(top[0]!.type).toBe("callout");

    // Every request the adapter made kept Notion's limits (the emulator refuses what Notion refuses).
    const writes = stack.emu.requests.filter(
      (r) =>
        (r.method === "POST" && r.path === "/v1/pages") ||
        (r.method === "PATCH" && r.path.endsWith("/children")),
    );
    expect(writes.length).toBeGreaterThanOrEqual(1);
    for (const w of writes) expect(w.status, JSON.stringify(w)).toBeLessThan(300);

    const record = await stack.records.findQbr(pageId, "Q3 2026");
    expect(record).toMatchObject({
      id: qbrId,
      quarter: "Q3 2026",
      status: "Draft",
      trigger: "manual",
      account_id: pageId,
    });
    expect(record!.health_score).toBe(history.at(-1)!.score);
    expect(record!.url).toBe(run.result!.url);
    const draft = await runtime.store.db.selectFrom("outbox_drafts").selectAll().executeTakeFirstOrThrow();
    expect(draft.text_body).toContain(String(record!.url));

    const again = await generateQbr(runtime, {
      account_id: pageId,
      period: "Q3 2026",
      trigger: "contract_proximity",
    });
    expect(again.status, JSON.stringify(again.result)).toBe("succeeded");
    expect(again.result).toMatchObject({ qbr_id: qbrId, rewritten: true });
    expect(stack.emu.pagesOf(stack.dataSources.qbrs)).toHaveLength(1);
    expect(await stack.records.findQbr(pageId, "Q3 2026")).toMatchObject({
      id: qbrId,
      trigger: "contract_proximity",
    });
    expect(stack.emu.childrenOf(qbrId)).toHaveLength(top.length);
  });
});
