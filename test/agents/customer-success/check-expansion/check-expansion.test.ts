/**
 * Customer Success `check_expansion` end to end: detectors -> talk tracks -> Expansion Opportunities
 * records -> durable hand-offs -> Sales drafts to the account executive -> records Dispatched. On the
 * demo book, with every agent registered.
 */
import { afterEach, describe, expect, it } from "vitest";
import { handoffRunId } from "../../../../src/agents/shared/handoff.js";
import { ManualClock } from "../../../../src/clock.js";
import { MS_PER_DAY } from "../../../../src/domain/calendar.js";
import { type Evidence, hasNumericEvidence } from "../../../../src/domain/expansion.js";
import type { RunRecord } from "../../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../../src/runtime.js";
import { OpenAiEmulator } from "../../../emulators/openai.js";
import { auth, eventually, makeApp, makeRuntime, tempDataDir } from "../../../helpers/runtime.js";
import { drafts, eventsOf, loadRecords, makeAccount, NOW } from "../../expansion/fixtures.js";

const FALLBACK = "sales-desk@example.com";

interface OpportunityView {
  opportunity_id: string;
  account_id: string;
  account_name: string;
  opportunity_type: string;
  evidence: Evidence;
  estimated_arr_impact: number;
  confidence: number;
  talk_track: string;
  handoff: string;
  carried_over?: string;
  sales_run_id?: string;
}

interface ExpansionResult {
  scanned: number;
  candidates: number;
  suppressed_open: Array<{ account_id: string; opportunity_type: string; reason: string }>;
  llm_dropped: Array<{ account_id: string; opportunity_type: string; reason: string }>;
  llm_unsupported_dropped: number;
  opportunities_found: number;
  carried_over: number;
  dispatched_to_sales: number;
  handoff_deferred: Array<{ opportunity_id: string; account_id: string; opportunity_type: string }>;
  opportunities: OpportunityView[];
  summary_drafts: Array<{ to: string | null; opportunities: number; draft_id?: string }>;
  generated_by: string | null;
}

const resultOf = (run: RunRecord) => run.result as unknown as ExpansionResult;
const finished = (r: RunRecord | null) =>
  r && ["succeeded", "partial", "failed"].includes(r.status) ? r : null;

async function checkExpansion(runtime: Runtime, account_id?: string): Promise<RunRecord> {
  const run = await runtime.runs.dispatchAndWait(
    {
      agent_id: "customer-success",
      task: { type: "check_expansion", ...(account_id ? { account_id } : {}) },
    },
    25_000,
  );
  expect(run.status, run.error ?? "").toBe("succeeded");
  return run;
}

/** Every Sales run the scan handed off, finished. */
async function salesRunsOf(runtime: Runtime, r: ExpansionResult): Promise<RunRecord[]> {
  const ids = r.opportunities.filter((o) => o.handoff === "handed_off").map((o) => o.sales_run_id!);
  const runs = await Promise.all(
    ids.map((id) => eventually(async () => finished(await runtime.runs.get(id)), 15_000)),
  );
  return runs.filter((run): run is RunRecord => run !== null);
}

describe("check_expansion on the demo book -> Sales", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("finds evidence-backed opportunities, Sales drafts each to the account executive and marks it Dispatched; a re-run creates nothing", async () => {
    runtime = await makeRuntime({
      clock: new ManualClock(NOW),
      env: { DEMO_BOOK: "true", SALES_FALLBACK_EMAIL: FALLBACK },
    });
    const run = await checkExpansion(runtime);
    const r = resultOf(run);
    expect(r.scanned).toBeGreaterThan(0);
    expect(r.opportunities_found).toBeGreaterThanOrEqual(1);
    expect(r.opportunities).toHaveLength(r.opportunities_found);
    for (const o of r.opportunities) {
      expect(hasNumericEvidence(o.evidence), JSON.stringify(o.evidence)).toBe(true);
      expect(["seats", "module", "integration"]).toContain(o.opportunity_type);
      expect(o.estimated_arr_impact).toBeGreaterThan(0);
      expect(o.talk_track.length).toBeGreaterThan(0);
    }
    expect(r.dispatched_to_sales).toBe(Math.min(5, r.opportunities_found));
    expect(r.handoff_deferred).toHaveLength(r.opportunities_found - r.dispatched_to_sales);
    // The most valuable go first.
    const handed = r.opportunities.filter((o) => o.handoff === "handed_off");
    const deferred = r.opportunities.filter((o) => o.handoff === "deferred");
    const value = (o: OpportunityView) => o.estimated_arr_impact * o.confidence;
    for (const d of deferred) for (const h of handed) expect(value(h)).toBeGreaterThanOrEqual(value(d));

    // Each hand-off became a Sales run under the scan, which drafted to the account's executive.
    const salesRuns = await salesRunsOf(runtime, r);
    const expansionDrafts = (await drafts(runtime)).filter((d) => d.kind === "expansion");
    expect(expansionDrafts).toHaveLength(handed.length);
    for (const [i, o] of handed.entries()) {
      const sales = salesRuns[i]!;
      expect(sales).toMatchObject({ agent_id: "sales", status: "succeeded", parent_run_id: run.run_id });
      const account = (await runtime.records.getAccount(o.account_id))!;
      const to = account.account_executive ?? FALLBACK;
      expect(sales.result).toMatchObject({
        opportunity_id: o.opportunity_id,
        to,
        recipient: account.account_executive ? "account_executive" : "sales_fallback",
        record_status: "Dispatched",
      });
      const draft = expansionDrafts.find((d) => d.id === sales.result!.draft_id)!;
      expect(draft.to_addr).toBe(to);
      expect(draft.subject).toBe(
        `Expansion opportunity: ${account.name} — ${o.opportunity_type} ($${o.estimated_arr_impact.toLocaleString("en-US")} ARR)`,
      );
      expect(draft.text_body).toContain(o.talk_track);
      const figure = Object.entries(o.evidence).find(([, v]) => typeof v === "number")!;
      expect(draft.text_body).toContain(`${figure[0].replaceAll("_", " ")}: ${figure[1]}`);
    }
    const statuses = new Map<string, string>();
    for (const o of r.opportunities) {
      const record = (await runtime.records.listExpansionOpportunities(o.account_id)).find(
        (x) => x.id === o.opportunity_id,
      )!;
      statuses.set(o.opportunity_id, record.status);
      expect(record.status, o.opportunity_id).toBe(o.handoff === "handed_off" ? "Dispatched" : "New");
    }
    expect(await eventsOf(runtime, "expansion.identified")).toHaveLength(r.opportunities_found);
    expect(await eventsOf(runtime, "expansion.received")).toHaveLength(handed.length);
    // The CSM owners got a summary of their accounts' opportunities.
    const summaries = (await drafts(runtime)).filter((d) => d.kind === "expansion_summary");
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBe(r.summary_drafts.filter((s) => s.draft_id).length);

    // The scan's run lists the Sales runs as its children.
    const app = await makeApp(runtime);
    try {
      const view = (
        await app.inject({ method: "GET", url: `/v1/runs/${run.run_id}`, headers: auth() })
      ).json();
      expect(view.children.map((c: { run_id: string }) => c.run_id).sort()).toEqual(
        salesRuns.map((s) => s.run_id).sort(),
      );
    } finally {
      await app.close();
    }

    // Again: every opportunity is open, so nothing new is recorded, handed off or drafted.
    const countsBefore = {
      drafts: (await drafts(runtime)).length,
      handoffs: (await eventsOf(runtime, "handoff.requested")).length,
    };
    const again = resultOf(await checkExpansion(runtime));
    expect(again.opportunities_found).toBe(0);
    expect(again.carried_over).toBe(0);
    expect(again.dispatched_to_sales).toBe(0);
    expect(again.suppressed_open.length).toBeGreaterThanOrEqual(r.opportunities_found);
    expect((await drafts(runtime)).length).toBe(countsBefore.drafts);
    expect((await eventsOf(runtime, "handoff.requested")).length).toBe(countsBefore.handoffs);
    expect(await eventsOf(runtime, "expansion.identified")).toHaveLength(r.opportunities_found);
    for (const [id, status] of statuses) {
      const o = r.opportunities.find((x) => x.opportunity_id === id)!;
      const now = (await runtime.records.listExpansionOpportunities(o.account_id)).filter(
        (x) => x.type === o.opportunity_type,
      );
      expect(now.map((x) => [x.id, x.status])).toEqual([[id, status]]);
    }
  });
});

describe("check_expansion: limits and what the model may do", () => {
  let runtime: Runtime | undefined;
  let openai: OpenAiEmulator | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await openai?.close();
    openai = undefined;
  });

  /** Seven accounts at 95% seat utilization: one seats candidate each, ARR 10k..70k. */
  const sevenSeatAccounts = () =>
    Array.from({ length: 7 }, (_, i) =>
      makeAccount({ id: `acc_s${i + 1}`, arr: (i + 1) * 10_000, seats_purchased: 100, seats_used: 95 }),
    );

  it("hands at most 5 a scan to Sales; the rest stay New and are handed off on a later day, not lost", async () => {
    const clock = new ManualClock(NOW);
    runtime = await makeRuntime({ clock });
    await loadRecords(runtime, sevenSeatAccounts());
    const first = resultOf(await checkExpansion(runtime));
    expect(first.opportunities_found).toBe(7);
    expect(first.dispatched_to_sales).toBe(5);
    expect(first.handoff_deferred.map((d) => d.account_id)).toEqual(["acc_s2", "acc_s1"]);
    await salesRunsOf(runtime, first);
    expect((await drafts(runtime)).filter((d) => d.kind === "expansion")).toHaveLength(5);
    // The CSM owner's summary lists all seven and says which two wait.
    const [summary] = (await drafts(runtime)).filter((d) => d.kind === "expansion_summary");
    expect(summary).toMatchObject({ to_addr: "maya.chen@example.com" });
    expect(summary!.subject).toMatch(
      /^Expansion opportunities 2026-03-11: 7 for 7 accounts \(\$[\d,]+ ARR\)$/,
    );
    expect(summary!.text_body.match(/Handed to Sales/g)).toHaveLength(5);
    expect(summary!.text_body.match(/it competes again in the next scan/g)).toHaveLength(2);

    // The same day: nothing new.
    const sameDay = resultOf(await checkExpansion(runtime));
    expect([sameDay.opportunities_found, sameDay.carried_over, sameDay.dispatched_to_sales]).toEqual([
      0, 0, 0,
    ]);

    // A week later the two waiting opportunities compete again (no new records), the open ones block.
    clock.advance(7 * MS_PER_DAY);
    const later = resultOf(await checkExpansion(runtime));
    expect(later.opportunities_found).toBe(0);
    expect(later.carried_over).toBe(2);
    expect(later.dispatched_to_sales).toBe(2);
    const carried = later.opportunities.map((o) => [o.account_id, o.opportunity_id, o.handoff]);
    const waiting = first.opportunities.filter((o) => o.handoff === "deferred");
    expect(carried.sort()).toEqual(waiting.map((o) => [o.account_id, o.opportunity_id, "handed_off"]).sort());
    await salesRunsOf(runtime, later);
    expect((await drafts(runtime)).filter((d) => d.kind === "expansion")).toHaveLength(7);
    for (const a of sevenSeatAccounts()) {
      const records = await runtime.records.listExpansionOpportunities(a.id);
      expect(
        records.map((x) => x.status),
        a.id,
      ).toEqual(["Dispatched"]);
    }
    // And then there is nothing left to carry.
    clock.advance(7 * MS_PER_DAY);
    const after = resultOf(await checkExpansion(runtime));
    expect([after.opportunities_found, after.carried_over, after.dispatched_to_sales]).toEqual([0, 0, 0]);
  });

  it("drops and counts what the model proposes without evidence, and a candidate it drops with a reason", async () => {
    openai = await OpenAiEmulator.start();
    runtime = await makeRuntime({
      clock: new ManualClock(NOW),
      env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseUrl, OPENAI_MAX_RETRIES: "0" },
    });
    await loadRecords(runtime, [
      makeAccount({
        id: "acc_1",
        name: "Acme Labs",
        seats_purchased: 100,
        seats_used: 95,
        features_used: ["dashboards", "advanced_reporting", "custom_dashboards", "data_export"],
      }),
    ]);
    openai.reply({
      content: JSON.stringify({
        opportunities: [
          { candidate_id: "seats", talk_track: "95 of 100 seats are in use; ask who is waiting for access." },
          { candidate_id: "professional_services", talk_track: "Sell them a consulting package." },
          { candidate_id: "premium_support", talk_track: "Offer premium support." },
        ],
        dropped: [{ candidate_id: "module", reason: "they asked us not to pitch analytics this quarter" }],
      }),
    });
    const run = await checkExpansion(runtime, "acc_1");
    const r = resultOf(run);
    expect(openai.requests).toHaveLength(1);
    expect(r).toMatchObject({
      candidates: 2,
      generated_by: "llm",
      llm_unsupported_dropped: 2,
      llm_dropped: [
        {
          account_id: "acc_1",
          opportunity_type: "module",
          reason: "dropped by the model: they asked us not to pitch analytics this quarter",
        },
      ],
      opportunities_found: 1,
    });
    expect(r.opportunities).toMatchObject([
      { opportunity_type: "seats", talk_track: "95 of 100 seats are in use; ask who is waiting for access." },
    ]);
    // Only the evidence-backed opportunity exists anywhere downstream.
    expect((await runtime.records.listExpansionOpportunities("acc_1")).map((o) => o.type)).toEqual(["seats"]);
    const handoffs = await eventsOf(runtime, "handoff.requested");
    expect(
      handoffs.map(
        (e) => (e.payload as unknown as { task: { opportunity_type: string } }).task.opportunity_type,
      ),
    ).toEqual(["seats"]);
    const narration = await runtime.store.db
      .selectFrom("expansion_scan_narrations")
      .selectAll()
      .where("run_id", "=", run.run_id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(narration.unsupported!)).toEqual([
      { candidate_id: "professional_services", talk_track: "Sell them a consulting package." },
      { candidate_id: "premium_support", talk_track: "Offer premium support." },
    ]);
  });
});

describe("check_expansion -> Sales across a crash", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("killed after Customer Success published the hand-off and before Sales handled it: after restart Sales handles it exactly once", async () => {
    const dataDir = tempDataDir();
    const start = () => makeRuntime({ clock: new ManualClock(NOW), dataDir });
    runtime = await start();
    await loadRecords(runtime, [
      makeAccount({ id: "acc_1", account_executive: "ae@example.com", seats_purchased: 100, seats_used: 98 }),
    ]);
    const crashing = runtime;
    let crashed: Promise<void> | undefined;
    let handoffId: string | undefined;
    crashing.bus.subscribe({ types: ["handoff.requested"] }, (e) => {
      handoffId = e.id;
      crashed = crashing.crash();
    });
    const scan = await crashing.runs.dispatch({
      agent_id: "customer-success",
      task: { type: "check_expansion" },
    });
    await eventually(() => crashed !== undefined);
    await crashed;
    runtime = undefined;

    // A second process on the same data: the scan resumes and Sales takes the hand-off from the log.
    runtime = await start();
    const resumed = await runtime.runs.waitFor(scan.run_id, 20_000);
    expect(resumed.status).toBe("succeeded");
    const sales = (await eventually(async () =>
      finished(await runtime!.runs.get(handoffRunId("sales", handoffId!))),
    ))!;
    expect(sales).toMatchObject({
      status: "succeeded",
      parent_run_id: scan.run_id,
      result: { to: "ae@example.com" },
    });
    await runtime.bus.idle();
    await eventually(async () => (await runtime!.runs.list({ status: "running" })).length === 0);
    expect(await eventsOf(runtime, "handoff.requested")).toHaveLength(1);
    expect(await runtime.runs.list({ agent_id: "sales" })).toHaveLength(1);
    expect((await drafts(runtime)).filter((d) => d.kind === "expansion")).toHaveLength(1);
    expect((await runtime.records.listExpansionOpportunities("acc_1")).map((o) => o.status)).toEqual([
      "Dispatched",
    ]);
  });
});
