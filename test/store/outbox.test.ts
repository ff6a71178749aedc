import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalAlerts } from "../../src/adapters/chat/local.js";
import { LocalOutbox } from "../../src/adapters/mail/local.js";
import { ManualClock } from "../../src/clock.js";
import { openStore, type StoreHandle } from "../../src/store/db.js";
import { OutboxReads } from "../../src/store/outbox.js";

describe("outbox reads", () => {
  let store: StoreHandle;
  let reads: OutboxReads;
  const clock = new ManualClock("2026-03-11T07:00:00.000Z");
  beforeEach(async () => {
    store = await openStore(":memory:");
    reads = new OutboxReads(store.db);
    const mail = new LocalOutbox(store.db, clock);
    const chat = new LocalAlerts(store.db, clock);
    for (let i = 1; i <= 3; i++) {
      clock.advance(60_000);
      await mail.createDraft({
        idempotencyKey: `d${i}`,
        to: "rep@example.com",
        cc: i === 1 ? ["a@example.com", "b@example.com"] : [],
        subject: `draft ${i}`,
        text: "text",
        kind: i === 3 ? "qbr_review" : "churn_outreach",
        account_id: i === 2 ? "acc_2" : "acc_1",
        run_id: `run_${i}`,
      });
      await chat.postAlert({
        idempotencyKey: `a${i}`,
        severity: i === 3 ? "critical" : "warning",
        title: `alert ${i}`,
        text: "text",
        ...(i === 1 ? { fields: [{ label: "Score", value: "41" }] } : {}),
        account_id: i === 2 ? "acc_2" : "acc_1",
        run_id: `run_${i}`,
      });
    }
  });
  afterEach(() => store.close());

  it("lists drafts newest first, by account, run, kind and created_at cursor", async () => {
    const all = await reads.drafts({ limit: 10 });
    expect(all.map((d) => d.subject)).toEqual(["draft 3", "draft 2", "draft 1"]);
    expect(all[2]).toMatchObject({
      to: "rep@example.com",
      cc: ["a@example.com", "b@example.com"],
      html: null,
    });
    expect((await reads.drafts({ limit: 10, account_id: "acc_1" })).map((d) => d.subject)).toEqual([
      "draft 3",
      "draft 1",
    ]);
    expect((await reads.drafts({ limit: 10, run_id: "run_2" })).map((d) => d.subject)).toEqual(["draft 2"]);
    expect((await reads.drafts({ limit: 10, kind: "qbr_review" })).map((d) => d.subject)).toEqual([
      "draft 3",
    ]);
    const first = await reads.drafts({ limit: 2 });
    const next = await reads.drafts({ limit: 2, before: first[1]!.created_at });
    expect(next.map((d) => d.subject)).toEqual(["draft 1"]);
  });

  it("lists alerts newest first with their fields, by severity and account", async () => {
    const all = await reads.alerts({ limit: 10 });
    expect(all.map((a) => a.title)).toEqual(["alert 3", "alert 2", "alert 1"]);
    expect(all[2]).toMatchObject({ fields: [{ label: "Score", value: "41" }], delivered: true, error: null });
    expect(all[0]!.fields).toEqual([]);
    expect((await reads.alerts({ limit: 10, severity: "critical" })).map((a) => a.title)).toEqual([
      "alert 3",
    ]);
    expect(
      (await reads.alerts({ limit: 10, account_id: "acc_2", severity: "warning" })).map((a) => a.title),
    ).toEqual(["alert 2"]);
  });
});
