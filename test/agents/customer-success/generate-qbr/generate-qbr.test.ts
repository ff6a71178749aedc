import { afterEach, describe, expect, it } from "vitest";
import type { LocalRecords } from "../../../../src/adapters/records/local.js";
import type { BodyBlock } from "../../../../src/adapters/records/port.js";
import { customerSuccessAgent } from "../../../../src/agents/customer-success/index.js";
import { ManualClock } from "../../../../src/clock.js";
import type { Runtime } from "../../../../src/runtime.js";
import { draftRows, generateQbr, HEALTHY_ID, NOW, qbrRows, qbrRuntime } from "../../qbr/helpers.js";

const csTaskSchema = customerSuccessAgent.taskSchema;

const SECTION_TITLES = [
  "Account Health Summary",
  "ROI & Business Impact",
  "Feature Adoption Scorecard",
  "Expansion & Next Steps",
];

describe("generate_qbr on the embedded default", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("writes a QBR with the four sections, a RAG callout and the score table, and a review draft to the CSM owner", async () => {
    runtime = await qbrRuntime();
    const run = await generateQbr(runtime, { account_id: HEALTHY_ID });
    expect(run.status, JSON.stringify(run.result)).toBe("succeeded");
    const account = (await runtime.records.getAccount(HEALTHY_ID))!;
    expect(run.result).toMatchObject({
      task_type: "generate_qbr",
      account_id: HEALTHY_ID,
      period: "Q3 2026",
      trigger: "manual",
      generated_by: "template",
      rewritten: false,
      records: "local",
      draft_to: account.csm_owner,
    });
    const r = run.result as { qbr_id: string; url: string; draft_id: string; health_points: number };
    expect(r.health_points).toBeGreaterThan(5);

    const rows = await qbrRows(runtime, HEALTHY_ID);
    expect(rows).toHaveLength(1);
    const record = JSON.parse(rows[0]!.data);
    expect(record).toMatchObject({
      id: r.qbr_id,
      name: `QBR - ${account.name} - Q3 2026`,
      quarter: "Q3 2026",
      status: "Draft",
      trigger: "manual",
      url: r.url,
    });
    expect(typeof record.health_score).toBe("number");

    const body = (await (runtime.records as LocalRecords).getQbrBody(r.qbr_id))!;
    expect(body.filter((b) => b.type === "heading_2").map((b) => (b as { text: string }).text)).toEqual(
      SECTION_TITLES,
    );
    expect(body[0]).toMatchObject({
      type: "callout",
      text: expect.stringMatching(/^RAG trend over Q3 2026: /),
    });
    const tables = body.filter((b): b is Extract<BodyBlock, { type: "table" }> => b.type === "table");
    expect(tables[0]!.rows[0]).toEqual(["Date", "Score", "RAG"]);
    expect(tables[0]!.rows.length - 1).toBe(r.health_points);
    expect(body.filter((b) => b.type === "bulleted_list_item").length).toBeGreaterThanOrEqual(8);
    for (const row of tables[0]!.rows.slice(1))
      expect(row[0]! >= "2026-07-01" && row[0]! <= "2026-09-30").toBe(true);

    const drafts = await draftRows(runtime, "qbr_review");
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({
      id: r.draft_id,
      to_addr: account.csm_owner,
      subject: `QBR ready for review: ${account.name} — Q3 2026`,
      account_id: HEALTHY_ID,
    });
    expect(drafts[0]!.text_body).toContain(r.url);

    const events = await runtime.bus.replay({ run_id: run.run_id, types: ["qbr.created", "draft.created"] });
    expect(events.map((e) => e.type)).toEqual(["qbr.created", "draft.created"]);
    expect(events[0]!.payload).toEqual({ qbr_id: r.qbr_id, period: "Q3 2026", url: r.url, rewritten: false });
    expect(events[0]).toMatchObject({ account_id: HEALTHY_ID, source: "customer-success" });
  });

  it("running it again rewrites the same QBR (no second page, no second draft); force_new makes a second one", async () => {
    runtime = await qbrRuntime();
    const first = await generateQbr(runtime, { account_id: HEALTHY_ID, period: "Q3 2026" });
    const second = await generateQbr(runtime, {
      account_id: HEALTHY_ID,
      period: "q3  2026",
      trigger: "quarterly",
    });
    expect(second.status).toBe("succeeded");
    expect(second.result).toMatchObject({ qbr_id: first.result!.qbr_id, rewritten: true, period: "Q3 2026" });
    const rows = await qbrRows(runtime, HEALTHY_ID);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data).trigger).toBe("quarterly");
    expect(await draftRows(runtime, "qbr_review")).toHaveLength(1);
    const created = await runtime.bus.replay({ types: ["qbr.created"] });
    expect(created.map((e) => (e.payload as { rewritten: boolean }).rewritten)).toEqual([false, true]);

    const forced = await generateQbr(runtime, { account_id: HEALTHY_ID, force_new: true });
    expect(forced.result!.qbr_id).not.toBe(first.result!.qbr_id);
    expect(forced.result).toMatchObject({ rewritten: false });
    expect(await qbrRows(runtime, HEALTHY_ID)).toHaveLength(2);
    expect(await draftRows(runtime, "qbr_review")).toHaveLength(2);
  });

  it("reviews the quarter just ended by default: on 2027-01-01 the period is Q4 2026", async () => {
    runtime = await qbrRuntime({ clock: new ManualClock("2027-01-01T06:00:00Z") });
    const run = await generateQbr(runtime, { account_id: HEALTHY_ID });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({ period: "Q4 2026" });
    expect(JSON.parse((await qbrRows(runtime, HEALTHY_ID))[0]!.data).quarter).toBe("Q4 2026");
  });

  it("ends partial, writing nothing, for an unknown account or a quarter that has not started", async () => {
    runtime = await qbrRuntime();
    const missing = await generateQbr(runtime, { account_id: "acc_missing" });
    expect(missing.status).toBe("partial");
    expect(missing.result).toMatchObject({
      error: "account acc_missing not found",
      failed_node: "generate_qbr.gather",
    });
    const future = await generateQbr(runtime, { account_id: HEALTHY_ID, period: "Q1 2027" });
    expect(future.status).toBe("partial");
    expect(String(future.result!.error)).toMatch(/Q1 2027 has not started/);
    expect(await qbrRows(runtime)).toHaveLength(0);
    expect(await draftRows(runtime, "qbr_review")).toHaveLength(0);
  });

  it("validates the task before any run: a period must name a quarter, unknown fields are rejected", () => {
    expect(csTaskSchema.safeParse({ type: "generate_qbr", account_id: "a", period: "Q3 2026" }).success).toBe(
      true,
    );
    expect(csTaskSchema.safeParse({ type: "generate_qbr", account_id: "a", period: "2026-Q3" }).success).toBe(
      false,
    );
    expect(csTaskSchema.safeParse({ type: "generate_qbr", account_id: "a", trigger: "weekly" }).success).toBe(
      false,
    );
    expect(csTaskSchema.safeParse({ type: "generate_qbr", account_id: "a", extra: 1 }).success).toBe(false);
    expect(csTaskSchema.safeParse({ type: "track_feature_adoption", account_id: "a" }).success).toBe(true);
  });

  it("says so when the account has no health scans in the period, and still writes the QBR", async () => {
    runtime = await qbrRuntime({ clock: new ManualClock(NOW) });
    // Q1 2026 lies before the demo book's 12 weeks of history and usage.
    const run = await generateQbr(runtime, { account_id: HEALTHY_ID, period: "Q1 2026" });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({ health_points: 0 });
    const body = (await (runtime.records as LocalRecords).getQbrBody(String(run.result!.qbr_id)))!;
    const text = body.map((b) => ("text" in b ? b.text : "")).join("\n");
    expect(text).toContain("No health scores were recorded in Q1 2026.");
    expect(text).toMatch(/No ROI or business-impact metrics were recorded .* in Q1 2026/);
  });
});
