/** Notion's size limits: what the emulator refuses (as Notion does) and how the store stays within them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchBlocks, toNotionBlocks } from "../../../../src/adapters/records/notion/blocks.js";
import { richText, splitText } from "../../../../src/adapters/records/notion/rich-text.js";
import type { BodyBlock } from "../../../../src/adapters/records/port.js";
import { generateDemoBook } from "../../../../src/demo/book.js";
import { type NotionStack, seedNotion, startNotionStack } from "../../notion-stack.js";

describe("rich text and block batching", () => {
  it("splits text at 2,000 characters without cutting a surrogate pair", () => {
    const text = `${"a".repeat(1999)}😀${"b".repeat(3000)}`;
    const parts = splitText(text);
    expect(parts.join("")).toBe(text);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts[0]).toHaveLength(1999);
    expect(richText("")).toEqual([]);
  });

  it("batches at most 100 children and 1,000 elements per request", () => {
    const body: BodyBlock[] = [
      ...Array.from({ length: 230 }, (_, i): BodyBlock => ({ type: "paragraph", text: `p${i}` })),
      ...Array.from(
        { length: 12 },
        (): BodyBlock => ({
          type: "table",
          has_column_header: false,
          rows: Array.from({ length: 99 }, (_, r) => [`r${r}`, "x"]),
        }),
      ),
    ];
    const batches = batchBlocks(toNotionBlocks(body));
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(100);
      const elements = b.reduce(
        (n, blk) => n + 1 + (((blk[blk.type] as { children?: unknown[] }).children?.length ?? 0) as number),
        0,
      );
      expect(elements).toBeLessThanOrEqual(1000);
    }
    expect(batches.flat()).toHaveLength(242);
  });

  it("splits a table of more than 100 rows into tables that repeat the header", () => {
    const rows = [["h1", "h2"], ...Array.from({ length: 150 }, (_, i) => [`${i}`, "v"])];
    const blocks = toNotionBlocks([{ type: "table", has_column_header: true, rows }]);
    expect(blocks).toHaveLength(2);
    for (const b of blocks) {
      const children = (b.table as { children: Array<{ table_row: { cells: unknown[][] } }> }).children;
      expect(children.length).toBeLessThanOrEqual(100);
      expect(children[0]!.table_row.cells[0]).toEqual(richText("h1"));
    }
  });
});

describe("against the Notion emulator", () => {
  let stack: NotionStack;
  let accountId: string;
  beforeAll(async () => {
    stack = await startNotionStack();
    const book = generateDemoBook({ accounts: 1, now: new Date("2026-03-02T00:00:00Z") });
    accountId = seedNotion(stack, book.accounts).get(book.accounts[0]!.id)!;
  });
  afterAll(async () => {
    await stack.close();
  });

  it("refuses what Notion refuses, with Notion's error JSON", async () => {
    const { sdk } = stack.api;
    const qbrs = stack.dataSources.qbrs;
    const paragraph = (content: string) => ({
      type: "paragraph" as const,
      paragraph: { rich_text: [{ type: "text" as const, text: { content } }] },
    });
    await expect(
      sdk.pages.create({
        parent: { data_source_id: qbrs },
        properties: {},
        children: [paragraph("x".repeat(2001))],
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: "validation_error",
      message:
        "body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.",
    });
    await expect(
      sdk.pages.create({
        parent: { data_source_id: qbrs },
        properties: {},
        children: Array.from({ length: 101 }, () => paragraph("x")),
      }),
    ).rejects.toMatchObject({
      code: "validation_error",
      message: "body failed validation: body.children.length should be ≤ `100`, instead was `101`.",
    });
    await expect(
      sdk.pages.update({ page_id: accountId, properties: { ARR: { rich_text: [] } } as never }),
    ).rejects.toMatchObject({ code: "validation_error", message: "ARR is expected to be number." });
    await expect(
      sdk.pages.update({ page_id: accountId, properties: { ARR: { number: "a lot" } } as never }),
    ).rejects.toMatchObject({ code: "validation_error" });
    // Three levels: paragraph > paragraph > paragraph.
    await expect(
      sdk.blocks.children.append({
        block_id: accountId,
        children: [
          {
            paragraph: {
              rich_text: [],
              children: [{ paragraph: { rich_text: [], children: [paragraph("deep")] } }],
            },
          },
        ] as never,
      }),
    ).rejects.toMatchObject({ code: "validation_error" });
    const raw = await fetch(`${stack.emu.url}/v1/pages/${accountId}`, {
      headers: { authorization: `Bearer ${stack.emu.token}` },
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ object: "error", status: 400, code: "missing_version" });
  });

  it("creates a 260-block QBR page in batches of at most 100, in order", async () => {
    const body: BodyBlock[] = Array.from({ length: 260 }, (_, i) => ({
      type: "paragraph",
      text: `line ${i}`,
    }));
    const before = stack.emu.requests.length;
    const qbr = await stack.records.writeQbr(
      {
        account_id: accountId,
        name: "QBR big",
        quarter: "2026-Q1",
        health_score: 70,
        trigger: "manual",
        body,
      },
      { idempotencyKey: "big" },
    );
    const calls = stack.emu.requests.slice(before);
    expect(calls.filter((r) => r.method === "POST" && r.path === "/v1/pages")).toHaveLength(1);
    expect(calls.filter((r) => r.method === "PATCH" && r.path.endsWith("/children"))).toHaveLength(2);
    const blocks = stack.emu.childrenOf(qbr.id);
    expect(blocks).toHaveLength(260);
    expect(
      blocks.map(
        (b) => (b.paragraph as { rich_text: Array<{ plain_text: string }> }).rich_text[0]!.plain_text,
      ),
    ).toEqual(body.map((b) => (b as { text: string }).text));
  });

  it("turns a 5,000-character narrative into valid rich text that reads back whole", async () => {
    const narrative = "Usage fell 30% after the champion left; renewal is in 45 days. "
      .repeat(80)
      .slice(0, 5000);
    expect(narrative).toHaveLength(5000);
    const page = await stack.records.writeSubPage(
      accountId,
      "Churn narrative",
      [{ type: "paragraph", text: narrative }],
      {
        idempotencyKey: "narrative",
      },
    );
    const [block] = stack.emu.childrenOf(page.id);
    const items = (block!.paragraph as { rich_text: Array<{ plain_text: string }> }).rich_text;
    expect(items.map((i) => i.plain_text.length)).toEqual([2000, 2000, 1000]);
    expect((await stack.records.findSubPage(accountId, "Churn narrative"))?.body).toEqual([
      { type: "paragraph", text: narrative },
    ]);
  });

  it("stores opportunity texts longer than 2,000 characters as several rich text items", async () => {
    const evidence = "e".repeat(4500);
    const opp = await stack.records.createExpansionOpportunity(
      {
        account_id: accountId,
        name: "Integration",
        type: "integration",
        estimated_arr_impact: 9000,
        confidence: 0.6,
        evidence,
        talk_track: "t",
      },
      { idempotencyKey: "long-evidence" },
    );
    expect(opp.evidence).toBe(evidence);
    const page = stack.emu.pageJson(opp.id);
    const items = (page.properties as Record<string, { rich_text: unknown[] }>).Evidence!.rich_text;
    expect(items).toHaveLength(3);
  });
});
