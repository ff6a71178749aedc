/**
 * One contract for every records port: the embedded SQLite store and the Notion store over its
 * emulator answer the same calls with the same results (ids aside: each store makes its own).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAccounts } from "../../../src/adapters/records/account-writes.js";
import { LocalRecords } from "../../../src/adapters/records/local.js";
import type { BodyBlock, RecordsPort } from "../../../src/adapters/records/port.js";
import { openTicketCounts } from "../../../src/adapters/records/ticket-counts.js";
import { systemClock } from "../../../src/clock.js";
import { generateDemoBook } from "../../../src/demo/book.js";
import { type Account, isOpenTicket, type Ticket } from "../../../src/domain/types.js";
import { openStore, type StoreHandle } from "../../../src/store/db.js";
import { SideEffects } from "../../../src/store/side-effects.js";
import { type NotionStack, seedNotion, startNotionStack } from "../notion-stack.js";

interface Harness {
  records: RecordsPort;
  /** Fixture account id -> the store's id for it. */
  ids: Map<string, string>;
  close(): Promise<void>;
}

// 130 accounts: more than one Notion page of 100, so every read must follow the cursor.
const book = generateDemoBook({ accounts: 130, seed: 11, now: new Date("2026-03-02T09:00:00Z") });

const harnesses: Record<string, () => Promise<Harness>> = {
  local: async () => {
    const store: StoreHandle = await openStore(":memory:");
    const records = new LocalRecords(store.db, new SideEffects(store.db, systemClock), systemClock);
    await records.loadBook(book.accounts, book.tickets);
    return {
      records,
      ids: new Map(book.accounts.map((a) => [a.id, a.id])),
      close: () => store.close(),
    };
  },
  notion: async () => {
    const stack: NotionStack = await startNotionStack();
    const ids = seedNotion(stack, book.accounts, book.tickets);
    return { records: stack.records, ids, close: () => stack.close() };
  },
};

const BODY: BodyBlock[] = [
  { type: "heading_2", text: "Account Health Summary" },
  { type: "paragraph", text: `${"The account grew steadily. ".repeat(185)}End.` }, // ~5,000 characters
  { type: "bulleted_list_item", text: "Seats up 12%" },
  { type: "callout", text: "Renewal in 45 days", emoji: "📅" },
  { type: "divider" },
  {
    type: "table",
    has_column_header: true,
    rows: [
      ["Metric", "Q1", "Q2"],
      ["Active users", "120", "141"],
    ],
  },
  { type: "heading_3", text: "Next steps — ünïcødé ✓" },
];

describe.each(Object.keys(harnesses))("records contract: %s", (name) => {
  let h: Harness;
  const fixture = (id: string): Account => book.accounts.find((a) => a.id === id)!;
  const storeId = (fixtureId: string) => h.ids.get(fixtureId)!;
  const fixtureIdOf = (id: string) => [...h.ids.entries()].find(([, v]) => v === id)?.[0];
  const asFixture = (a: Account): Account => ({ ...a, id: fixtureIdOf(a.id) ?? `?${a.id}` });

  beforeAll(async () => {
    h = await harnesses[name]!();
  });
  afterAll(async () => {
    await h.close();
  });

  it("iterates every account once, across pages, equal to what was stored", async () => {
    const seen: Account[] = [];
    for await (const page of h.records.iterateAccounts({ pageSize: 40 })) {
      expect(page.length).toBeLessThanOrEqual(40);
      seen.push(...page);
    }
    expect(seen).toHaveLength(book.accounts.length);
    const byId = new Map(seen.map((a) => [fixtureIdOf(a.id), a]));
    expect(byId.size).toBe(book.accounts.length);
    for (const a of book.accounts) expect(asFixture(byId.get(a.id)!)).toEqual(a);
  });

  it("iterates past 100 accounts with the default page size", async () => {
    let n = 0;
    for await (const page of h.records.iterateAccounts()) n += page.length;
    expect(n).toBe(book.accounts.length);
  });

  it("lists no skipped accounts for a clean book", async () => {
    const skipped = [];
    for await (const page of h.records.iterateAccountPages!({ pageSize: 50 })) skipped.push(...page.skipped);
    expect(skipped).toEqual([]);
  });

  it("filters by status", async () => {
    const want = book.accounts
      .filter((a) => a.status === "Churned" || a.status === "Onboarding")
      .map((a) => a.id);
    const got: string[] = [];
    for await (const page of h.records.iterateAccounts({ status: ["Churned", "Onboarding"] })) {
      got.push(...page.map((a) => fixtureIdOf(a.id)!));
    }
    expect(got.sort()).toEqual(want.sort());
  });

  it("reads the ids asked for, and nothing for unknown ids", async () => {
    const ids = ["acc_0003", "acc_0050", "acc_0120"];
    const got: string[] = [];
    for await (const page of h.records.iterateAccounts({ ids: ids.map(storeId) })) {
      got.push(...page.map((a) => fixtureIdOf(a.id)!));
    }
    expect(got.sort()).toEqual(ids);
    const none: Account[] = [];
    for await (const page of h.records.iterateAccounts({ ids: [] })) none.push(...page);
    expect(none).toEqual([]);
  });

  it("gets one account, and null for an unknown one", async () => {
    expect(asFixture((await h.records.getAccount(storeId("acc_0007")))!)).toEqual(fixture("acc_0007"));
    expect(await h.records.getAccount("8f1c2d3e-0000-4000-8000-000000000000")).toBeNull();
  });

  it("updates only the patched fields; null clears a field", async () => {
    const id = storeId("acc_0010");
    await h.records.updateAccount(
      id,
      {
        csm_health_score: 61.5,
        csm_health_rag: "AMBER",
        churn_risk: "medium",
        csm_last_scan: "2026-03-02T09:00:00.000Z",
      },
      { idempotencyKey: "contract:update:1" },
    );
    await h.records.updateAccount(
      id,
      { health_status: "Red", health_score: null },
      { idempotencyKey: "contract:update:2" },
    );
    expect(asFixture((await h.records.getAccount(id))!)).toEqual({
      ...fixture("acc_0010"),
      csm_health_score: 61.5,
      csm_health_rag: "AMBER",
      churn_risk: "medium",
      csm_last_scan: "2026-03-02T09:00:00.000Z",
      health_status: "Red",
      health_score: null,
    });
  });

  it("writes a batch of accounts, reporting an unknown one without failing the others", async () => {
    const fixtures = ["acc_0011", "acc_0012", "acc_0013", "acc_0014", "acc_0015", "acc_0016"];
    const unknown = "8f1c2d3e-0000-4000-8000-000000000002";
    const results = await updateAccounts(h.records, [
      ...fixtures.map((f, i) => ({
        id: storeId(f),
        patch: { csm_health_score: 10 + i, churn_risk: "low" as const },
        idempotencyKey: `contract:batch:${f}`,
      })),
      { id: unknown, patch: { csm_health_score: 1 }, idempotencyKey: "contract:batch:unknown" },
    ]);
    expect(results).toEqual([
      ...fixtures.map((f) => ({ id: storeId(f), ok: true })),
      { id: unknown, ok: false, error: `account ${unknown} not found` },
    ]);
    for (const [i, f] of fixtures.entries()) {
      expect(asFixture((await h.records.getAccount(storeId(f)))!)).toEqual({
        ...fixture(f),
        csm_health_score: 10 + i,
        churn_risk: "low",
      });
    }
  });

  it("rejects an update of an unknown account", async () => {
    await expect(
      h.records.updateAccount(
        "8f1c2d3e-0000-4000-8000-000000000001",
        { csm_health_score: 1 },
        { idempotencyKey: "x" },
      ),
    ).rejects.toThrow(/not found/);
  });

  it("lists tickets per account, one or many accounts at a time", async () => {
    const strip = (t: Ticket) => ({
      subject: t.subject,
      priority: t.priority,
      status: t.status,
      opened: t.opened,
    });
    const sort = (ts: ReturnType<typeof strip>[]) =>
      ts.sort((a, b) => (a.opened + a.subject).localeCompare(b.opened + b.subject));
    const withTickets = book.tickets[0]!.account_id;
    expect(sort((await h.records.listTickets(storeId(withTickets))).map(strip))).toEqual(
      sort(book.tickets.filter((t) => t.account_id === withTickets).map(strip)),
    );
    // 130 accounts: more than one filter's worth of ids.
    const all = await h.records.listTicketsFor(book.accounts.map((a) => storeId(a.id)));
    expect(all.size).toBe(book.accounts.length);
    for (const a of book.accounts) {
      const got = all.get(storeId(a.id))!;
      expect(got.every((t) => t.account_id === storeId(a.id))).toBe(true);
      expect(sort(got.map(strip))).toEqual(
        sort(book.tickets.filter((t) => t.account_id === a.id).map(strip)),
      );
    }
    // open_only: exactly the Open and Pending ones, on both stores.
    const open = await h.records.listTicketsFor(
      book.accounts.map((a) => storeId(a.id)),
      { open_only: true },
    );
    const expectedOpen = book.tickets.filter(isOpenTicket);
    expect(expectedOpen.length).toBeGreaterThan(0);
    expect(expectedOpen.length).toBeLessThan(book.tickets.length);
    for (const a of book.accounts) {
      expect(sort(open.get(storeId(a.id))!.map(strip))).toEqual(
        sort(expectedOpen.filter((t) => t.account_id === a.id).map(strip)),
      );
    }
    // Counts (what a scan reads): the same numbers, every account present, whether the store counts or lists.
    const counts = await openTicketCounts(
      h.records,
      book.accounts.map((a) => storeId(a.id)),
    );
    expect(counts.size).toBe(book.accounts.length);
    for (const a of book.accounts) {
      expect(counts.get(storeId(a.id))).toBe(expectedOpen.filter((t) => t.account_id === a.id).length);
    }
  });

  it("writes a QBR once per key, finds it, and rewrites it in place", async () => {
    const accountId = storeId("acc_0020");
    expect(await h.records.findQbr(accountId, "2026-Q1")).toBeNull();
    const input = {
      account_id: accountId,
      name: "QBR 2026-Q1",
      quarter: "2026-Q1",
      health_score: 72.5,
      trigger: "quarterly" as const,
      body: BODY,
    };
    const first = await h.records.writeQbr(input, { idempotencyKey: "qbr:acc_0020:2026-Q1" });
    expect(first).toMatchObject({
      account_id: accountId,
      name: "QBR 2026-Q1",
      quarter: "2026-Q1",
      health_score: 72.5,
      status: "Draft",
      trigger: "quarterly",
    });
    expect(first.url).toBeTruthy();
    const again = await h.records.writeQbr(input, { idempotencyKey: "qbr:acc_0020:2026-Q1" });
    expect(again.id).toBe(first.id);
    expect((await h.records.findQbr(accountId, "2026-Q1"))?.id).toBe(first.id);
    const rewritten = await h.records.writeQbr(
      { ...input, name: "QBR 2026-Q1 (revised)", health_score: 64, body: BODY.slice(0, 2) },
      { idempotencyKey: "qbr:acc_0020:2026-Q1:rev", replaceId: first.id },
    );
    expect(rewritten.id).toBe(first.id);
    expect(await h.records.findQbr(accountId, "2026-Q1")).toMatchObject({
      id: first.id,
      name: "QBR 2026-Q1 (revised)",
      health_score: 64,
    });
    expect(await h.records.findQbr(accountId, "2026-Q2")).toBeNull();
  });

  it("creates expansion opportunities once per key and sets their status", async () => {
    const accountId = storeId("acc_0030");
    expect(await h.records.listExpansionOpportunities(accountId)).toEqual([]);
    const input = {
      account_id: accountId,
      name: "Add 40 seats",
      type: "seats" as const,
      estimated_arr_impact: 48000,
      confidence: 0.8,
      evidence: "Seat utilization at 104% for 6 weeks",
      talk_track: "You are already using more seats than you bought.",
    };
    const a = await h.records.createExpansionOpportunity(input, { idempotencyKey: "exp:acc_0030:seats" });
    const same = await h.records.createExpansionOpportunity(input, { idempotencyKey: "exp:acc_0030:seats" });
    const b = await h.records.createExpansionOpportunity(
      { ...input, name: "Analytics Pro", type: "module", estimated_arr_impact: 15000 },
      { idempotencyKey: "exp:acc_0030:module" },
    );
    expect(same.id).toBe(a.id);
    expect(a).toMatchObject({ ...input, status: "New" });
    await h.records.setExpansionStatus(a.id, "Dispatched", { idempotencyKey: "exp:status:1" });
    const list = await h.records.listExpansionOpportunities(accountId);
    expect(list.map((o) => [o.id, o.name, o.status])).toEqual([
      [a.id, "Add 40 seats", "Dispatched"],
      [b.id, "Analytics Pro", "New"],
    ]);
  });

  it("writes a sub-page with its body, and rewrites the same title in place", async () => {
    const accountId = storeId("acc_0040");
    expect(await h.records.findSubPage(accountId, "Technical Relationship Profile")).toBeNull();
    const page = await h.records.writeSubPage(accountId, "Technical Relationship Profile", BODY, {
      idempotencyKey: "profile:acc_0040:1",
    });
    expect(page).toMatchObject({ parent_id: accountId, title: "Technical Relationship Profile", body: BODY });
    const found = await h.records.findSubPage(accountId, "Technical Relationship Profile");
    expect(found?.id).toBe(page.id);
    expect(found?.body).toEqual(BODY);
    const newBody: BodyBlock[] = [{ type: "paragraph", text: "Integration healthy since March." }];
    const again = await h.records.writeSubPage(accountId, "Technical Relationship Profile", newBody, {
      idempotencyKey: "profile:acc_0040:2",
    });
    expect(again.id).toBe(page.id);
    expect((await h.records.findSubPage(accountId, "Technical Relationship Profile"))?.body).toEqual(newBody);
  });

  it("answers ping", async () => {
    expect((await h.records.ping()).ok).toBe(true);
  });
});
