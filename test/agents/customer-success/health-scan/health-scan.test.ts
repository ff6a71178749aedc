import { afterEach, describe, expect, it, vi } from "vitest";
import { loadAccounts } from "../../../../src/agents/customer-success/health-scan/nodes/load-accounts.js";
import { persistScores } from "../../../../src/agents/customer-success/health-scan/nodes/persist-scores.js";
import { scoreAccounts } from "../../../../src/agents/customer-success/health-scan/nodes/score-accounts.js";
import { inputsPage } from "../../../../src/agents/customer-success/health-scan/store/inputs.js";
import { saveOutcomes } from "../../../../src/agents/customer-success/health-scan/store/outcomes.js";
import {
  failedRecordWrites,
  recordsHandled,
  recordsThrough,
} from "../../../../src/agents/customer-success/health-scan/store/record-writes.js";
import type {
  HealthScanScratch,
  HealthScanTask,
} from "../../../../src/agents/customer-success/health-scan/task.js";
import { ManualClock } from "../../../../src/clock.js";
import { isOpenTicket } from "../../../../src/domain/types.js";
import type { NodeContext, Progress } from "../../../../src/graphs/agent-graph.js";
import type { Runtime } from "../../../../src/runtime.js";
import { decodeHealthDetail } from "../../../../src/store/health-detail.js";
import { csRuntime, demoBook, historyRows, NOW, resultOf, scan, scenarioOf } from "../helpers.js";

/** What the graph hands a health-scan node of run `runId`, progress collected into `progress`. */
const nodeContext =
  (runId: string, progress: Progress[] = []) =>
  (scratch: Partial<HealthScanScratch>): NodeContext<HealthScanTask, HealthScanScratch> => ({
    task: { type: "health_scan" },
    run_id: runId,
    parent_run_id: null,
    scratch,
    result: {},
    progress: (p) => progress.push(p),
    config: {},
  });

describe("health_scan on the demo book", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("scores or skips (with a reason) every account; at-risk come out RED/AMBER, healthy GREEN; at most 5 alerts", async () => {
    runtime = await csRuntime();
    const run = await scan(runtime);
    expect(run.status).toBe("succeeded");
    const r = resultOf(run);
    expect(r.task_type).toBe("health_scan");
    expect(r.scanned).toBe(60);
    expect(r.scored + r.skipped.length).toBe(60);
    for (const s of r.skipped) expect(s.reason.length).toBeGreaterThan(0);
    // Exactly the churned customers are skipped, each with its reason.
    expect(r.skipped.map((s) => scenarioOf(s.account_id))).toEqual(r.skipped.map(() => "churned"));
    expect(r.skipped).toHaveLength(5);

    const byId = new Map(r.health_scores.map((h) => [h.account_id, h]));
    const atRisk = demoBook.accounts.filter((a) => scenarioOf(a.id) === "at_risk");
    const healthy = demoBook.accounts.filter((a) => scenarioOf(a.id) === "healthy");
    expect(atRisk).toHaveLength(10);
    for (const a of atRisk) expect(["RED", "AMBER"], a.id).toContain(byId.get(a.id)!.rag);
    for (const a of healthy) expect(byId.get(a.id)!.rag, a.id).toBe("GREEN");

    expect(r.alerts_raised.length).toBeGreaterThan(0);
    expect(r.alerts_raised.length).toBeLessThanOrEqual(5);
    expect(r.alerts_deferred.length).toBeGreaterThan(0);
    for (const d of r.alerts_deferred) expect(d.reason).toMatch(/alert budget/);
    // Raised and deferred are disjoint and each alerted account had something to alert about.
    const raisedIds = new Set(r.alerts_raised.map((a) => a.account_id));
    expect(r.alerts_deferred.some((d) => raisedIds.has(d.account_id))).toBe(false);
    expect(r.confidence).toBe("high");
    // Riskiest first.
    const sev = { low: 1, medium: 2, high: 3, critical: 4 } as Record<string, number>;
    const levels = r.health_scores.map((h) => sev[h.churn_risk]!);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
  });

  it("chooses alerts by ARR x severity", async () => {
    runtime = await csRuntime();
    const r = resultOf(await scan(runtime));
    const sev = { low: 1, medium: 2, high: 3, critical: 4 } as Record<string, number>;
    const weight = (id: string, level: string) =>
      (demoBook.accounts.find((a) => a.id === id)!.arr ?? 0) * sev[level]!;
    const lowestRaised = Math.min(...r.alerts_raised.map((a) => weight(a.account_id, a.churn_risk)));
    const deferredLevels = new Map(r.health_scores.map((h) => [h.account_id, h.churn_risk]));
    for (const d of r.alerts_deferred) {
      expect(weight(d.account_id, deferredLevels.get(d.account_id)!)).toBeLessThanOrEqual(lowestRaised);
    }
  });

  it("writes one history row per account per scan and the four fields to the records; a second scan the same day creates no alert and no draft and rewrites nothing unchanged", async () => {
    const clock = new ManualClock(NOW);
    runtime = await csRuntime({ clock });
    const first = await scan(runtime);
    const r1 = resultOf(first);
    const rows = await historyRows(runtime, first.run_id);
    expect(rows).toHaveLength(r1.scored);
    expect(new Set(rows.map((h) => h.account_id)).size).toBe(r1.scored);

    const scored = r1.health_scores[0]!;
    const account = (await runtime.records.getAccount(scored.account_id))!;
    expect(account.csm_health_score).toBe(scored.score);
    expect(account.csm_health_rag).toBe(scored.rag);
    expect(account.churn_risk).toBe(scored.churn_risk);
    expect(account.csm_last_scan).toBe(NOW);

    const draftsBefore = await runtime.store.db.selectFrom("outbox_drafts").select("id").execute();
    const alertsBefore = await runtime.store.db.selectFrom("alerts").select("id").execute();
    expect(draftsBefore).toHaveLength(r1.alerts_raised.filter((a) => a.channels.draft === "ok").length);
    expect(alertsBefore).toHaveLength(r1.alerts_raised.length);
    const updatedBefore = await runtime.store.db
      .selectFrom("accounts")
      .select(["id", "updated_at"])
      .execute();

    clock.advance(3 * 3_600_000);
    const second = await scan(runtime);
    const r2 = resultOf(second);
    expect(second.status).toBe("succeeded");
    expect(r2.alerts_raised).toEqual([]);
    // The accounts deferred in the morning stay deferred (and listed) rather than spending a fresh budget.
    expect(r2.alerts_deferred.map((d) => d.account_id).sort()).toEqual(
      r1.alerts_deferred.map((d) => d.account_id).sort(),
    );
    expect(await runtime.store.db.selectFrom("outbox_drafts").select("id").execute()).toHaveLength(
      draftsBefore.length,
    );
    expect(await runtime.store.db.selectFrom("alerts").select("id").execute()).toHaveLength(
      alertsBefore.length,
    );
    expect(await historyRows(runtime, second.run_id)).toHaveLength(r2.scored);

    // Nothing changed in 3 hours except days-since counters that did not cross a threshold: no rewrite,
    // so CSM Last Scan still names the scan that changed the health.
    const updatedAfter = await runtime.store.db.selectFrom("accounts").select(["id", "updated_at"]).execute();
    const changed = updatedAfter.filter(
      (a) => a.updated_at !== updatedBefore.find((b) => b.id === a.id)!.updated_at,
    );
    const unchangedScores = r2.health_scores.filter(
      (h) => r1.health_scores.find((p) => p.account_id === h.account_id)!.score === h.score,
    );
    for (const h of unchangedScores) expect(changed.map((c) => c.id)).not.toContain(h.account_id);
    expect((await runtime.records.getAccount(unchangedScores[0]!.account_id))!.csm_last_scan).toBe(NOW);
  });

  it("alerts again when the repeat window passed", async () => {
    const clock = new ManualClock(NOW);
    runtime = await csRuntime({ clock, env: { ALERT_REPEAT_DAYS: "2", ALERTS_MAX_PER_SCAN: "2" } });
    const r1 = resultOf(await scan(runtime));
    expect(r1.alerts_raised).toHaveLength(2);
    clock.advance(86_400_000);
    // Next day: the deferred ones compete again; the two alerted yesterday are within their window.
    const r2 = resultOf(await scan(runtime));
    expect(r2.alerts_raised).toHaveLength(2);
    const day1 = new Set(r1.alerts_raised.map((a) => a.account_id));
    expect(r2.alerts_raised.some((a) => day1.has(a.account_id))).toBe(false);
    clock.advance(86_400_000);
    const r3 = resultOf(await scan(runtime));
    expect(r3.alerts_raised.length).toBeGreaterThan(0);
  });

  it("counts open tickets and the record's own signals exactly as the domain does", async () => {
    runtime = await csRuntime();
    const run = await scan(runtime);
    const rows = await historyRows(runtime, run.run_id);
    const target = demoBook.accounts.find(
      (a) =>
        scenarioOf(a.id) === "at_risk" &&
        demoBook.tickets.some((t) => t.account_id === a.id && isOpenTicket(t)),
    )!;
    const detail = decodeHealthDetail(rows.find((h) => h.account_id === target.id)!.detail)!;
    const open = demoBook.tickets.filter((t) => t.account_id === target.id && isOpenTicket(t)).length;
    expect(detail.open_tickets).toBe(open);
    expect(detail.breakdown.length).toBeGreaterThan(0);
    expect(detail.churn.level).toBeDefined();
  });

  it("scans one account, or those renewing within N days; an unknown account ends partial with the reason", async () => {
    runtime = await csRuntime();
    const one = await scan(runtime, { type: "health_scan", account_id: "acc_0001" });
    expect(resultOf(one).scanned).toBe(1);
    expect(await historyRows(runtime, one.run_id)).toHaveLength(resultOf(one).scored);

    const renewing = await scan(runtime, { type: "health_scan", renewal_within_days: 60 });
    const expected = demoBook.accounts.filter((a) => {
      const days = Math.floor((Date.parse(a.renewal_date!) - Date.parse(NOW)) / 86_400_000);
      return days >= 0 && days <= 60;
    });
    expect(resultOf(renewing).scanned).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);

    const missing = await scan(runtime, { type: "health_scan", account_id: "acc_nope" });
    expect(missing.status).toBe("partial");
    expect(missing.result).toMatchObject({
      error: "account acc_nope not found",
      partial: true,
      confidence: "low",
    });
  });

  it("skips an account with unusable signals with its reason, never counting it as scored", async () => {
    runtime = await csRuntime();
    const victim = demoBook.accounts.find((a) => scenarioOf(a.id) === "healthy")!;
    const row = await runtime.store.db
      .selectFrom("accounts")
      .select("data")
      .where("id", "=", victim.id)
      .executeTakeFirstOrThrow();
    const broken = { ...JSON.parse(row.data), nps: 14, feature_adoption: 1.7 };
    await runtime.store.db
      .updateTable("accounts")
      .set({ data: JSON.stringify(broken) })
      .where("id", "=", victim.id)
      .execute();
    const r = resultOf(await scan(runtime));
    const skip = r.skipped.find((s) => s.account_id === victim.id)!;
    expect(skip.reason).toMatch(/unusable signals: .*feature_adoption.*nps/);
    expect(r.health_scores.some((h) => h.account_id === victim.id)).toBe(false);
    expect(r.scored).toBe(54);
    expect(r.confidence).toBe("medium");
  });

  it("uses CSM_HEALTH_WEIGHTS and the RAG thresholds from config", async () => {
    const weights = JSON.stringify({
      feature_adoption: 0,
      usage_trend: 0,
      days_since_login: 0,
      days_since_interaction: 0,
      payment_status: 1,
      support: 0,
      stakeholder_engagement: 0,
      nps: 0,
      days_to_renewal: 0,
      seat_utilization: 0,
      escalations_90d: 0,
    });
    runtime = await csRuntime({
      env: { CSM_HEALTH_WEIGHTS: weights, RAG_GREEN_MIN: "90", RAG_AMBER_MIN: "50" },
    });
    const target = demoBook.accounts.find(
      (a) => a.payment_status === "overdue_30" && a.status !== "Churned",
    )!;
    const run = await scan(runtime, { type: "health_scan", account_id: target.id });
    const h = resultOf(run).health_scores[0]!;
    // Payment alone: overdue_30 is a sub-score of .6 -> 60, AMBER under thresholds 90/50.
    expect(h.score).toBe(60);
    expect(h.rag).toBe("AMBER");
  });

  it("a scoring node re-run after a crash continues after the last stored page: one outcome and one history row per account", async () => {
    runtime = await csRuntime();
    const db = runtime.store.db;
    const runId = "run_resume_scoring";
    const progress: Progress[] = [];
    const ctx = nodeContext(runId, progress);
    const loaded = await loadAccounts(runtime)(ctx({}));
    const scanAt = String(loaded?.scratch?.scan_at);
    expect(scanAt).toBe(NOW);
    // What a crash after the first stored page leaves: the outcomes of the first 20 accounts.
    const first = await inputsPage(db, runId, "", 20);
    await saveOutcomes(
      db,
      runId,
      scanAt,
      first.map((r) => ({ kind: "skipped", account_id: r.account_id, reason: "stored before the crash" })),
      new Map(),
    );

    const out = await scoreAccounts(runtime)(ctx({ scan_at: scanAt }));
    const rest = demoBook.accounts.slice(20);
    const restSkipped = rest.filter((a) => scenarioOf(a.id) === "churned").length;
    expect(out?.scratch).toEqual({ scanned: 60, scored: 40 - restSkipped, skipped: 20 + restSkipped });
    // Counted from where the crash left it, to the end.
    expect(progress.at(-1)).toEqual({ phase: "score_accounts", done: 60, total: 60 });
    const results = await db.selectFrom("csm_scan_results").selectAll().where("run_id", "=", runId).execute();
    expect(results).toHaveLength(60);
    expect(
      results.filter((r) => r.skip_reason === "stored before the crash").map((r) => r.account_id),
    ).toEqual(first.map((r) => r.account_id));
    const rows = await historyRows(runtime, runId);
    expect(rows.map((h) => h.account_id).sort()).toEqual(
      rest.filter((a) => scenarioOf(a.id) !== "churned").map((a) => a.id),
    );
    for (const h of rows) expect(h.at).toBe(NOW);

    // Run again (a second crash and resume): nothing left to do, nothing written twice.
    progress.length = 0;
    expect((await scoreAccounts(runtime)(ctx({ scan_at: scanAt })))?.scratch).toEqual(out?.scratch);
    expect(progress).toEqual([]);
    expect(await historyRows(runtime, runId)).toHaveLength(rows.length);
  });

  it("persistScores resumes after the last handled account, marks only failed writes, and a re-run writes nothing again", async () => {
    runtime = await csRuntime();
    const rt = runtime;
    const db = rt.store.db;
    const runId = "run_resume_persist";
    const ctx = nodeContext(runId);
    const scanAt = String((await loadAccounts(rt)(ctx({})))?.scratch?.scan_at);
    await scoreAccounts(rt)(ctx({ scan_at: scanAt }));
    const changed = (
      await db
        .selectFrom("csm_scan_results")
        .select("account_id")
        .where("run_id", "=", runId)
        .where("changed", "=", 1)
        .orderBy("account_id")
        .execute()
    ).map((r) => r.account_id);
    expect(changed.length).toBeGreaterThan(30);
    // What a crash after handling the first 20 accounts' writes leaves behind.
    await recordsHandled(db, runId, changed[19]!, []);

    const written: string[] = [];
    const failing = changed[25]!;
    const update = rt.records.updateAccounts!.bind(rt.records);
    vi.spyOn(rt.records, "updateAccounts").mockImplementation(async (writes) => {
      written.push(...writes.map((w) => w.id));
      const results = await update(writes.filter((w) => w.id !== failing));
      return [...results, { id: failing, ok: false, error: "record is locked" }];
    });
    const persist = persistScores(rt);
    await persist(ctx({ scan_at: scanAt }));
    expect(written.sort()).toEqual(changed.slice(20));
    expect(await recordsThrough(db, runId)).toBe(changed.at(-1));
    expect(await failedRecordWrites(db, runId)).toEqual([failing]);
    const events = await rt.bus.replay({ since: 0, types: ["account.health_scored"], run_id: runId });
    expect(events.map((e) => e.account_id).sort()).toEqual(changed.slice(20).filter((id) => id !== failing));
    // The written rows are not marked one by one: the cursor says they are done.
    const marked = await db
      .selectFrom("csm_scan_results")
      .select("account_id")
      .where("run_id", "=", runId)
      .where("records_status", "is not", null)
      .execute();
    expect(marked.map((r) => r.account_id)).toEqual([failing]);

    written.length = 0;
    await persist(ctx({ scan_at: scanAt }));
    expect(written).toEqual([]);
    expect(await rt.bus.replay({ since: 0, types: ["account.health_scored"], run_id: runId })).toHaveLength(
      events.length,
    );
  });

  it("drops a scan's working rows after 14 days and keeps its health history", async () => {
    const clock = new ManualClock(NOW);
    runtime = await csRuntime({ clock });
    const db = runtime.store.db;
    const old = await scan(runtime, { type: "health_scan", account_id: "acc_0001" });
    const rowsOf = async (runId: string) =>
      Promise.all(
        (["csm_scans", "csm_scan_inputs", "csm_scan_results"] as const).map(
          async (table) =>
            (await db.selectFrom(table).select("run_id").where("run_id", "=", runId).execute()).length,
        ),
      );
    expect(await rowsOf(old.run_id)).toEqual([1, 1, 1]);

    clock.advance(14 * 86_400_000 - 60_000);
    const recent = await scan(runtime, { type: "health_scan", account_id: "acc_0001" });
    expect(await rowsOf(old.run_id)).toEqual([1, 1, 1]);
    clock.advance(120_000);
    await scan(runtime, { type: "health_scan", account_id: "acc_0001" });
    expect(await rowsOf(old.run_id)).toEqual([0, 0, 0]);
    expect(await rowsOf(recent.run_id)).toEqual([1, 1, 1]);
    expect(await historyRows(runtime, old.run_id)).toHaveLength(1);
  });
});
