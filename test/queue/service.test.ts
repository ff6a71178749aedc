/** TaskQueue beyond HTTP: createTask for the playbook engine, event rules, climbing scores, demo history. */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { MS_PER_DAY } from "../../src/domain/calendar.js";
import { QueueInputError, TaskForbiddenError } from "../../src/queue/errors.js";
import { makeRuntime } from "../helpers/runtime.js";
import { account, DAVID, harness, MAYA, type QueueHarness } from "./fixtures.js";

describe("TaskQueue", () => {
  let h: QueueHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("createTask: never two open tasks of one type for one customer; a new one once the first is closed", async () => {
    h = await harness();
    const q = h.runtime.queue;
    const first = await q.createTask({
      customer_id: "acc_quiet",
      task_type: "day_90_qbr",
      source: "playbook:exec_1",
    });
    expect(first.created).toBe(true);
    expect(first.task).toMatchObject({
      customer_id: "acc_quiet",
      csm_id: MAYA,
      task_type: "day_90_qbr",
      priority: "high",
      status: "pending",
      source: "playbook:exec_1",
      // now + 48 h SLA
      due_date: "2026-03-20T10:00:00.000Z",
    });
    const again = await q.createTask({
      customer_id: "acc_quiet",
      task_type: "day_90_qbr",
      source: "playbook:exec_2",
    });
    expect(again).toMatchObject({ created: false, task: { id: first.task.id } });

    await q.start(first.task.id);
    await q.cancel(first.task.id, { reason: "Merged into the QBR project" });
    expect(await q.status(first.task.id)).toBe("cancelled");
    const third = await q.createTask({
      customer_id: "acc_quiet",
      task_type: "day_90_qbr",
      source: "playbook:exec_3",
      csm_id: DAVID,
      due_date: "2026-04-01T09:00:00Z",
      metadata: { meeting: "QBR" },
    });
    expect(third.created).toBe(true);
    expect(third.task).toMatchObject({
      csm_id: DAVID,
      due_date: "2026-04-01T09:00:00.000Z",
      metadata: { meeting: "QBR" },
    });

    const events = await h.runtime.bus.replay({ types: ["task.created"] });
    expect(events.map((e) => (e.payload as { task_id?: unknown }).task_id)).toEqual([
      String(first.task.id),
      String(third.task.id),
    ]);
  });

  it("createTask: a trigger key creates one task per episode; unknown customers and types are refused", async () => {
    h = await harness();
    const q = h.runtime.queue;
    const a = await q.createTask({
      customer_id: "acc_quiet",
      task_type: "expansion_opportunity",
      source: "test",
      trigger_key: "expansion_opportunity:acc_quiet:opp_1",
    });
    await q.start(a.task.id);
    await q.block(a.task.id, { reason: "Budget freeze" });
    const b = await q.createTask({
      customer_id: "acc_quiet",
      task_type: "expansion_opportunity",
      source: "test",
      trigger_key: "expansion_opportunity:acc_quiet:opp_1",
    });
    expect(b).toMatchObject({ created: false, task: { id: a.task.id, status: "blocked" } });
    await expect(
      q.createTask({ customer_id: "nobody", task_type: "day_90_qbr", source: "t" }),
    ).rejects.toThrow(QueueInputError);
    await expect(
      q.createTask({ customer_id: "acc_quiet", task_type: "dance" as never, source: "t" }),
    ).rejects.toThrow(/unknown task type/);
  });

  it("a CSM actor may not act on another CSM's task", async () => {
    h = await harness();
    const q = h.runtime.queue;
    const { task } = await q.createTask({
      customer_id: "acc_david",
      task_type: "at_risk_recovery",
      source: "t",
    });
    const maya = { name: "maya", csm_id: MAYA, can_act_for_others: false };
    await expect(q.start(task.id, maya)).rejects.toThrow(TaskForbiddenError);
    expect((await q.start(task.id, { name: "david", csm_id: DAVID, can_act_for_others: false })).status).toBe(
      "in_progress",
    );
  });

  it("scores are current when read: an overdue task climbs past fresher urgent work", async () => {
    h = await harness();
    const q = h.runtime.queue;
    // A standard task due now, and (a day later) an urgent one for an identical customer.
    const slow = await q.createTask({
      customer_id: "acc_quiet",
      task_type: "day_60_checkin",
      source: "t",
      due_date: "2026-03-18T10:00:00Z",
    });
    h.clock.advance(MS_PER_DAY);
    const urgent = await q.createTask({
      customer_id: "acc_renew",
      task_type: "onboarding_stall",
      source: "t",
    });
    const order = async () => (await q.list({ csm_id: MAYA })).items.map((t) => [t.id, t.priority_score]);

    // Day 1: standard 50 + 1 day overdue (10) + revenue 1 = 61; urgent 100 + 2.4 + renewal bonus 50 = 152.
    expect(await order()).toEqual([
      [urgent.task.id, 152],
      [slow.task.id, 61],
    ]);
    // Day 16: the standard task is 16 days overdue: 1 + 16^1.5*10 = 641, + 50 -> 691. The urgent one is 14
    // days overdue: 2.4 + 14^1.5*10 = 526.2, + 100 + renewal bonus 50 -> 676. The older task now leads.
    h.clock.advance(15 * MS_PER_DAY);
    expect(await order()).toEqual([
      [slow.task.id, 691],
      [urgent.task.id, 676],
    ]);
    expect((await q.get(slow.task.id)).days_overdue).toBe(16);
  });

  it("churn.risk_flagged creates an at-risk recovery task (high) or a health-drop alert (medium), once", async () => {
    h = await harness();
    const { bus, queue: q } = h.runtime;
    await bus.publish("churn.risk_flagged", {
      source: "test",
      account_id: "acc_quiet",
      payload: { level: "critical", score: 31, rag: "RED", reasons: ["usage declining"] },
    });
    await bus.publish("churn.risk_flagged", {
      source: "test",
      account_id: "acc_nps",
      payload: { level: "medium", score: 55, rag: "AMBER", reasons: ["health worsened"] },
    });
    // Flagged again while the recovery task is open: nothing new, and no health drop beside it.
    await bus.publish("churn.risk_flagged", {
      source: "test",
      account_id: "acc_quiet",
      payload: { level: "medium", score: 41, rag: "AMBER", reasons: ["still weak"] },
    });
    await bus.idle();
    const tasks = await h.runtime.store.db
      .selectFrom("csm_tasks")
      .select(["customer_id", "task_type", "source", "churn_risk"])
      .orderBy("id")
      .execute();
    expect(tasks).toEqual([
      {
        customer_id: "acc_quiet",
        task_type: "at_risk_recovery",
        source: "event:churn.risk_flagged",
        churn_risk: "medium",
      },
      {
        customer_id: "acc_nps",
        task_type: "health_score_drop",
        source: "event:churn.risk_flagged",
        churn_risk: "medium",
      },
    ]);
    expect(await q.hasOpenTask("acc_quiet", "at_risk_recovery")).toBe(true);
  });

  it("expansion.identified creates an expansion task carrying the estimate, whose completion feeds the pipeline", async () => {
    h = await harness();
    const { bus, queue: q } = h.runtime;
    for (let i = 0; i < 2; i++) {
      await bus.publish("expansion.identified", {
        source: "test",
        account_id: "acc_quiet",
        payload: {
          opportunity_id: "opp_7",
          opportunity_type: "seats",
          estimated_arr_impact: 12_000,
          confidence: 0.8,
        },
      });
    }
    await bus.idle();
    const page = await q.list({ csm_id: MAYA, task_type: "expansion_opportunity" });
    expect(page.total).toBe(1);
    const task = page.items[0]!;
    expect(task.metadata).toMatchObject({ opportunity_id: "opp_7", estimated_arr_impact: 12_000 });
    await q.start(task.id);
    await q.complete(task.id, {
      objective_achieved: "yes",
      quality_gates: {
        need_confirmed: true,
        expansion_type: "Seats",
        buyer_identified: true,
        timeline: "This quarter",
        handed_to_account_executive: true,
      },
    });
    const weekly = await q.weeklyOutcomes(MAYA);
    expect(weekly.expansion_pipeline).toEqual({ amount: 12_000, count: 1 });
  });

  it("account.health_scored moves the churn risk (and so the priority) of the customer's open tasks", async () => {
    h = await harness();
    const { bus, queue: q } = h.runtime;
    const { task } = await q.createTask({ customer_id: "acc_quiet", task_type: "day_90_qbr", source: "t" });
    // standard tier, 20k ARR at low .05 -> 1; high 75 -> 76
    expect(task.priority_score).toBe(76);
    await bus.publish("account.health_scored", {
      source: "test",
      account_id: "acc_quiet",
      payload: {
        score: 38,
        rag: "RED",
        previous_score: 70,
        previous_rag: "GREEN",
        trend: "falling_fast",
        churn_risk: "critical",
      },
    });
    await bus.idle();
    // 20k at critical .7 -> 14; 75 + 14 = 89
    expect((await q.get(task.id)).priority_score).toBe(89);
    expect(await q.hasOpenTask("acc_quiet", "health_score_drop")).toBe(true);
  });

  it("the QUEUE_CHURN_PROBABILITIES override changes revenue at risk", async () => {
    const clock = new ManualClock("2026-03-18T10:00:00Z");
    const runtime = await makeRuntime({
      agents: [],
      clock,
      env: { QUEUE_CHURN_PROBABILITIES: "low=0.5" },
    });
    try {
      await (runtime.records as import("../../src/adapters/records/local.js").LocalRecords).loadBook(
        [account("acc_x", { arr: 100_000 })],
        [],
      );
      const { task } = await runtime.queue.createTask({
        customer_id: "acc_x",
        task_type: "day_90_qbr",
        source: "t",
      });
      // 100k * 0.5 / 1000 = 50; + high 75 = 125
      expect(task.priority_score).toBe(125);
    } finally {
      await runtime.close({ graceMs: 0 });
    }
  });
});

describe("demo task history", () => {
  it("is seeded once on a fresh demo book, with the 60/20/15/5 mix and numbers for this week", async () => {
    const clock = new ManualClock("2026-03-18T10:00:00Z");
    const runtime = await makeRuntime({ agents: [], clock, env: { DEMO_BOOK: "true" } });
    try {
      const db = runtime.store.db;
      const counts = Object.fromEntries(
        (
          await db
            .selectFrom("csm_tasks")
            .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
            .groupBy("status")
            .execute()
        ).map((r) => [r.status, Number(r.n)]),
      );
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThanOrEqual(200);
      expect(counts["completed"]! / total).toBeCloseTo(0.6, 2);
      expect(counts["in_progress"]! / total).toBeCloseTo(0.2, 2);
      expect(counts["pending"]! / total).toBeCloseTo(0.15, 2);
      expect(((counts["escalated"] ?? 0) + (counts["blocked"] ?? 0)) / total).toBeCloseTo(0.05, 2);

      const team = await runtime.queue.teamView();
      expect(team.members.length).toBe(5);
      expect(team.team.activity.tasks).toBeGreaterThan(0);
      expect(team.team.objectives_achieved.last_week).toBeGreaterThan(0);
      const maya = await runtime.queue.list({ csm_id: MAYA });
      expect(maya.total).toBeGreaterThan(0);

      // A restart never seeds again.
      await runtime.queue.onStart();
      const after = await db
        .selectFrom("csm_tasks")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(total);
    } finally {
      await runtime.close({ graceMs: 0 });
    }
  });
});
