/** Writes while Notion is down go to the store-backed outbox and are replayed in order; none is lost or doubled. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotionRecords } from "../../../../src/adapters/records/notion/records.js";
import type { BodyBlock } from "../../../../src/adapters/records/port.js";
import { systemClock } from "../../../../src/clock.js";
import { generateDemoBook } from "../../../../src/demo/book.js";
import { createLogger } from "../../../../src/logger.js";
import { eventually, tempDataDir } from "../../../helpers/runtime.js";
import { type NotionStack, seedNotion, startNotionStack } from "../../notion-stack.js";

/** Enough 503s in a row to exhaust the write retry budget (FAST_RETRY: 4 retries) of one update. */
const FAILS = 5;

const book = generateDemoBook({ accounts: 3, now: new Date("2026-03-02T00:00:00Z") });

describe("Notion outbox", () => {
  let stack: NotionStack;
  let ids: string[];
  beforeEach(async () => {
    stack = await startNotionStack({ dbPath: `${tempDataDir()}/store.db` });
    ids = [...seedNotion(stack, book.accounts).values()];
    // Resolved at boot (NotionRecords.start) in the service; faults below are meant for the writes.
    await stack.records.dataSources();
  });
  afterEach(async () => {
    await stack.close();
  });

  const notionValue = (pageId: string, prop: string) =>
    (stack.emu.pageJson(pageId).properties as Record<string, { number?: number }>)[prop]?.number;

  it("queues a write Notion cannot take, shows it on reads, and replays it", async () => {
    stack.emu.outage(503, 60_000);
    await stack.records.updateAccount(ids[0]!, { csm_health_score: 41 }, { idempotencyKey: "w1" });
    expect(await stack.records.backlog()).toMatchObject({ pending: 1, failed: 0 });
    expect(notionValue(ids[0]!, "CSM Health Score")).toBeNull();

    // While writes are queued, later ones queue behind them without calling Notion, in order.
    const before = stack.emu.requests.length;
    await stack.records.updateAccount(ids[0]!, { csm_health_score: 42 }, { idempotencyKey: "w2" });
    await stack.records.updateAccount(ids[1]!, { csm_health_rag: "RED" }, { idempotencyKey: "w3" });
    expect(stack.emu.requests.length).toBe(before);
    expect((await stack.records.backlog()).pending).toBe(3);

    // A replay while Notion is still down keeps everything, in order.
    expect(await stack.records.replayOutbox()).toEqual({ replayed: 0, failed: 0, remaining: 3 });
    stack.emu.clearFaults();
    expect(await stack.records.replayOutbox()).toEqual({ replayed: 3, failed: 0, remaining: 0 });
    expect(notionValue(ids[0]!, "CSM Health Score")).toBe(42);
    expect(await stack.records.getAccount(ids[1]!)).toMatchObject({ csm_health_rag: "RED" });
  });

  it("replays everything, in order, once Notion is back", async () => {
    stack.emu.failNext(FAILS, 503);
    await stack.records.updateAccount(ids[0]!, { csm_health_score: 41 }, { idempotencyKey: "w1" });
    await stack.records.updateAccount(
      ids[0]!,
      { csm_health_score: 42, churn_risk: "high" },
      { idempotencyKey: "w2" },
    );
    expect((await stack.records.backlog()).pending).toBe(2);
    const shown = await stack.records.getAccount(ids[0]!);
    expect(shown).toMatchObject({ csm_health_score: 42, churn_risk: "high" });

    const result = await stack.records.replayOutbox();
    expect(result).toEqual({ replayed: 2, failed: 0, remaining: 0 });
    expect(notionValue(ids[0]!, "CSM Health Score")).toBe(42);
    expect(await stack.records.backlog()).toMatchObject({ pending: 0, failed: 0 });
  });

  it("replays different pages' writes side by side, each page's in order", async () => {
    stack.emu.outage(503, 60_000);
    for (let round = 0; round < 4; round++) {
      for (const [i, id] of ids.entries()) {
        await stack.records.updateAccount(
          id,
          { csm_health_score: round * 10 + i },
          { idempotencyKey: `r${round}:${i}` },
        );
      }
    }
    expect((await stack.records.backlog()).pending).toBe(12);
    stack.emu.clearFaults();
    expect(await stack.records.replayOutbox()).toEqual({ replayed: 12, failed: 0, remaining: 0 });
    expect(ids.map((id) => notionValue(id, "CSM Health Score"))).toEqual([30, 31, 32]);
  });

  it("replays on its own timer after an outage", async () => {
    // A replay interval long enough that a busy machine still sees the write queued before a replay.
    await stack.close();
    stack = await startNotionStack({ dbPath: `${tempDataDir()}/store.db`, replayIntervalMs: 400 });
    ids = [...seedNotion(stack, book.accounts).values()];
    await stack.records.dataSources();
    await stack.records.start();
    // Down for the write and for the first replay (each spends its whole retry budget), then back.
    stack.emu.failNext(2 * FAILS, 503);
    await stack.records.updateAccount(ids[2]!, { csm_health_score: 77 }, { idempotencyKey: "t1" });
    expect((await stack.records.backlog()).pending).toBe(1);
    await eventually(() => notionValue(ids[2]!, "CSM Health Score") === 77, 5000);
    expect((await stack.records.backlog()).pending).toBe(0);
  });

  it("queues a create, answers with a provisional record, and makes exactly one page", async () => {
    const body: BodyBlock[] = [{ type: "paragraph", text: "Summary" }];
    stack.emu.failNext(1, 503);
    const input = {
      account_id: ids[0]!,
      name: "QBR",
      quarter: "2026-Q1",
      health_score: 70,
      trigger: "manual" as const,
      body,
    };
    const queued = await stack.records.writeQbr(input, { idempotencyKey: "qbr-1" });
    expect(queued.id).toMatch(/^pending:/);
    expect(queued.url).toBeNull();
    expect((await stack.records.findQbr(ids[0]!, "2026-Q1"))?.id).toBe(queued.id);
    // A retried call with the same key while queued neither duplicates nor calls Notion.
    expect((await stack.records.writeQbr(input, { idempotencyKey: "qbr-1" })).id).toBe(queued.id);

    await stack.records.replayOutbox();
    const pages = stack.emu.pagesOf(stack.dataSources.qbrs);
    expect(pages).toHaveLength(1);
    const done = await stack.records.writeQbr(input, { idempotencyKey: "qbr-1" });
    expect(done.id).toBe(pages[0]!.id);
    expect(stack.emu.pagesOf(stack.dataSources.qbrs)).toHaveLength(1);
    expect((await stack.records.findQbr(ids[0]!, "2026-Q1"))?.id).toBe(done.id);
  });

  it("a create Notion performed but answered with a 504 is found and continued on replay, not made twice", async () => {
    const body: BodyBlock[] = Array.from({ length: 150 }, (_, i) => ({ type: "paragraph", text: `q${i}` }));
    const input = {
      account_id: ids[2]!,
      name: "QBR lost answer",
      quarter: "2026-Q1",
      health_score: 61,
      trigger: "manual" as const,
      body,
    };
    // A page with the same title that another key made is never taken for this one.
    const older = await stack.records.writeQbr({ ...input, body: [] }, { idempotencyKey: "qbr-older" });
    stack.emu.loseAnswers(1, 504, "POST", "/v1/pages");
    const queued = await stack.records.writeQbr(input, { idempotencyKey: "qbr-lost" });
    expect(queued.id).toMatch(/^pending:/);
    // Notion made the page (with the first 100 blocks) although the answer said otherwise.
    expect(stack.emu.pagesOf(stack.dataSources.qbrs)).toHaveLength(2);

    expect(await stack.records.replayOutbox()).toEqual({ replayed: 1, failed: 0, remaining: 0 });
    const pages = stack.emu.pagesOf(stack.dataSources.qbrs);
    expect(pages).toHaveLength(2);
    const made = String(pages.find((p) => p.id !== older.id)!.id);
    const blocks = stack.emu.childrenOf(made);
    expect(blocks).toHaveLength(150);
    expect(
      blocks.map(
        (b) => (b.paragraph as { rich_text: Array<{ plain_text: string }> }).rich_text[0]!.plain_text,
      ),
    ).toEqual(body.map((b) => (b as { text: string }).text));
    expect((await stack.records.writeQbr(input, { idempotencyKey: "qbr-lost" })).id).toBe(made);
  });

  it("a sub-page create whose answer was lost is found under its parent on replay, not made twice", async () => {
    stack.emu.loseAnswers(1, 502, "POST", "/v1/pages");
    const queued = await stack.records.writeSubPage(
      ids[0]!,
      "Technical Relationship Profile",
      [{ type: "paragraph", text: "profile" }],
      { idempotencyKey: "profile-lost" },
    );
    expect(queued.id).toMatch(/^pending:/);
    await stack.records.replayOutbox();
    const children = stack.emu.childrenOf(ids[0]!).filter((b) => b.type === "child_page");
    expect(children).toHaveLength(1);
    expect((await stack.records.findSubPage(ids[0]!, "Technical Relationship Profile"))?.id).toBe(
      children[0]!.id,
    );
  });

  it("continues a page whose body append failed, without a second page or doubled blocks", async () => {
    const body: BodyBlock[] = Array.from({ length: 250 }, (_, i) => ({ type: "paragraph", text: `b${i}` }));
    const input = {
      account_id: ids[1]!,
      name: "QBR",
      quarter: "2026-Q2",
      health_score: 50,
      trigger: "manual" as const,
      body,
    };
    // Let the create and the first append through, then fail the second append (not retried: it may have applied).
    let calls = 0;
    const original = stack.api.sdk.blocks.children.append;
    stack.api.sdk.blocks.children.append = (args) => {
      calls++;
      if (calls === 2) stack.emu.failNext(1, 502);
      return original(args);
    };
    const queued = await stack.records.writeQbr(input, { idempotencyKey: "qbr-partial" });
    stack.api.sdk.blocks.children.append = original;
    expect(queued.id).not.toMatch(/^pending:/); // the page exists, its body is incomplete
    expect(stack.emu.childrenOf(queued.id)).toHaveLength(200);

    await stack.records.replayOutbox();
    expect(stack.emu.pagesOf(stack.dataSources.qbrs)).toHaveLength(1);
    const blocks = stack.emu.childrenOf(queued.id);
    expect(blocks).toHaveLength(250);
    expect(
      (blocks[249]!.paragraph as { rich_text: Array<{ plain_text: string }> }).rich_text[0]!.plain_text,
    ).toBe("b249");
  });

  it("applies a status change queued behind its opportunity's queued create", async () => {
    stack.emu.failNext(1, 503);
    const opp = await stack.records.createExpansionOpportunity(
      {
        account_id: ids[0]!,
        name: "Seats",
        type: "seats",
        estimated_arr_impact: 10000,
        confidence: 0.7,
        evidence: "e",
        talk_track: "t",
      },
      { idempotencyKey: "opp-1" },
    );
    await stack.records.setExpansionStatus(opp.id, "Dispatched", { idempotencyKey: "opp-1:dispatched" });
    expect((await stack.records.listExpansionOpportunities(ids[0]!)).map((o) => o.status)).toEqual([
      "Dispatched",
    ]);
    expect(await stack.records.replayOutbox()).toMatchObject({ replayed: 2, failed: 0 });
    const [page] = stack.emu.pagesOf(stack.dataSources.expansion);
    expect((page!.properties as Record<string, { select: { name: string } }>).Status!.select.name).toBe(
      "Dispatched",
    );
  });

  it("throws a write Notion refuses instead of queueing it", async () => {
    // A person changed CSM Health Score to text: Notion refuses the number.
    const ds = stack.emu.dataSources.get(stack.dataSources.accounts)!;
    ds.properties.get("CSM Health Score")!.type = "rich_text";
    await expect(
      stack.records.updateAccount(ids[0]!, { csm_health_score: 10 }, { idempotencyKey: "bad" }),
    ).rejects.toMatchObject({
      code: "validation_error",
      message: "CSM Health Score is expected to be rich_text.",
    });
    expect((await stack.records.backlog()).pending).toBe(0);
  });

  it("keeps queued writes across a restart of the service", async () => {
    stack.emu.failNext(FAILS, 503);
    await stack.records.updateAccount(ids[0]!, { csm_health_score: 12 }, { idempotencyKey: "r1" });
    await stack.records.close();
    const reopened = new NotionRecords({
      api: stack.api,
      db: stack.store.db,
      clock: systemClock,
      log: createLogger("silent"),
      databases: stack.databases,
    });
    expect((await reopened.backlog()).pending).toBe(1);
    await reopened.replayOutbox();
    expect(notionValue(ids[0]!, "CSM Health Score")).toBe(12);
    await reopened.close();
  });
});
