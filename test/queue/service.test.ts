/** TaskQueue beyond HTTP: createTask for the playbook engine, event rules, climbing scores, demo history. */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { MS_PER_DAY, MS_PER_HOUR } from "../../src/domain/calendar.js";
import { TASK_TYPE_SLUGS } from "../../src/domain/tasks/catalog-schema.js";
import { CHURN_LEVELS, TIERS } from "../../src/domain/types.js";
import { QueueInputError, TaskForbiddenError } from "../../src/queue/errors.js";
import { type KeyColumn, readQueue } from "../../src/queue/queue-read.js";
import { currentRawScore, currentScore, FLOOR_UNSET } from "../../src/queue/scoring.js";
import { OPEN_STATUS_SQL } from "../../src/queue/task-writer.js";
import { JOBS } from "../../src/scheduler/jobs/index.js";
import { taskGenerationJob } from "../../src/scheduler/jobs/tasks.js";
import { makeRuntime } from "../helpers/runtime.js";
import { account, DAVID, harness, MAYA, NOW, type QueueHarness } from "./fixtures.js";

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

  it("the daily generation job runs at 06:30 and creates nothing the second time", async () => {
    h = await harness();
    expect(JOBS).toContain(taskGenerationJob);
    const cron = taskGenerationJob.cron;
    expect(typeof cron === "function" ? cron(h.runtime.config) : cron).toBe("30 6 * * *");
    const fire = { scheduledAt: new Date("2026-03-18T06:30:00Z"), madeUp: false };
    expect(await taskGenerationJob.run(h.runtime, fire)).toMatchObject({ tasks_created: 7 });
    expect(await taskGenerationJob.run(h.runtime, { ...fire, madeUp: true })).toMatchObject({
      tasks_created: 0,
      tasks_skipped: 7,
    });
    const sources = await h.runtime.store.db.selectFrom("csm_tasks").select("source").distinct().execute();
    expect(sources).toEqual([{ source: "schedule" }]);
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

describe("score floors keep a large queue's reads exact", () => {
  let h: QueueHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** 40 customers of every tier, churn level, ARR and renewal: 360 open tasks, due 23 days ago to 3 ahead. */
  async function bigQueue(): Promise<QueueHarness> {
    const accounts = Array.from({ length: 40 }, (_, i) =>
      account(`big_${String(i).padStart(2, "0")}`, {
        arr: 10_000 + ((i * 7919) % 40) * 37_000,
        tier: TIERS[i % TIERS.length]!,
        churn_risk: CHURN_LEVELS[(i * 3) % CHURN_LEVELS.length]!,
        renewal_date: new Date(Date.parse(NOW) + (((i * 37) % 200) - 20) * MS_PER_DAY)
          .toISOString()
          .slice(0, 10),
      }),
    );
    const harnessed = await harness(accounts);
    let n = 0;
    for (const a of accounts) {
      for (const task_type of TASK_TYPE_SLUGS) {
        const hoursAgo = ((n++ * 137) % 624) - 72;
        await harnessed.runtime.queue.createTask({
          customer_id: a.id,
          task_type,
          source: "test",
          due_date: new Date(Date.parse(NOW) - hoursAgo * MS_PER_HOUR).toISOString(),
        });
      }
    }
    return harnessed;
  }

  /** Every open task of Maya's scored at `at`, in queue order. */
  async function brute(at: Date) {
    const q = h!.runtime.queue;
    const rows = await h!.runtime.store.db
      .selectFrom("csm_tasks")
      .selectAll()
      .where("csm_id", "=", MAYA)
      .where(OPEN_STATUS_SQL)
      .execute();
    return rows
      .filter((r) => r.status !== "snoozed" || (r.snooze_until ?? "") <= at.toISOString())
      .map((r) => `${r.id}:${currentScore(r, at, q.probabilities)}`)
      .sort((a, b) => {
        const [ia, sa] = a.split(":").map(Number);
        const [ib, sb] = b.split(":").map(Number);
        return sb! - sa! || ib! - ia!;
      });
  }

  async function page(cursor: string | null = null) {
    const stats: { rows_read: number; key?: KeyColumn } = { rows_read: 0 };
    const p = await readQueue(
      h!.runtime.store.db,
      { csm_id: MAYA },
      { limit: 50, cursor, now: h!.clock.now(), probabilities: h!.runtime.queue.probabilities, stats },
    );
    return { ...p, ids: p.items.map((t) => `${t.id}:${t.priority_score}`), stats };
  }

  /** Each taken floor is the raw score at its floor_at from the task's current inputs. */
  async function expectFloorsExact() {
    const rows = await h!.runtime.store.db
      .selectFrom("csm_tasks")
      .selectAll()
      .where(OPEN_STATUS_SQL)
      .execute();
    for (const r of rows) {
      if (r.floor_at === FLOOR_UNSET) continue;
      expect(r.floor_at <= h!.clock.now().toISOString()).toBe(true);
      expect(r.floor_score).toBeCloseTo(
        currentRawScore(r, new Date(r.floor_at), h!.runtime.queue.probabilities),
        9,
      );
    }
  }

  it("as floors age, as inputs and due dates change, and across pages", async () => {
    h = await bigQueue();
    const q = h.runtime.queue;
    await expectFloorsExact();

    const check = async () => {
      const want = await brute(h!.clock.now());
      const p1 = await page();
      const p2 = await page(p1.next_cursor);
      expect([...p1.ids, ...p2.ids]).toEqual(want.slice(0, 100));
      expect(p1.total).toBe(want.length);
      expect(p1.stats.key).toBe("floor_score");
      return p1;
    };
    // Fresh floors: the top 50 of 360 from a short read of each stream (the bound cut it short).
    const first = await check();
    expect(first.stats.rows_read).toBeLessThan(360);

    // Floors a day and then five days old: still exact (the bound widens with their age).
    h.clock.advance(30 * MS_PER_HOUR);
    await check();
    h.clock.advance(4 * MS_PER_DAY);
    await check();

    // Lower scores: the top customers' churn risk falls, the top task is pushed out a month.
    const top = (await page()).items.slice(0, 3);
    for (const t of top) await q.refreshChurnRisk(t.customer_id, "low");
    await q.reschedule(top[0]!.id, {
      new_due_date: new Date(h.clock.now().getTime() + 30 * MS_PER_DAY).toISOString(),
      reason: "Customer asked to talk after their audit",
    });
    await expectFloorsExact();
    await check();

    // Generation takes old floors anew.
    h.clock.advance(2 * MS_PER_HOUR);
    await q.generate();
    const floorTimes = await h.runtime.store.db
      .selectFrom("csm_tasks")
      .select("floor_at")
      .distinct()
      .where(OPEN_STATUS_SQL)
      .execute();
    expect(floorTimes).toEqual([{ floor_at: h.clock.now().toISOString() }]);
    await expectFloorsExact();
    await check();
  });

  it("a later page keeps its first page's instant, even after the floors were taken anew", async () => {
    h = await bigQueue();
    const asOf = h.clock.now();
    const want = await brute(asOf);
    const p1 = await page();
    h.clock.advance(3 * MS_PER_HOUR);
    expect(await h.runtime.queue.refreshScoreFloors()).toBe(360);
    // The floors are newer than the cursor's instant: they bound nothing then, the static part serves.
    const p2 = await page(p1.next_cursor);
    expect(p2.stats.key).toBe("static_score");
    expect(p2.as_of).toBe(asOf.toISOString());
    expect([...p1.ids, ...p2.ids]).toEqual(want.slice(0, 100));
    // A fresh listing uses the new floors.
    expect((await page()).stats.key).toBe("floor_score");
  });

  it("a setback clock is no harm: floors from the future are left out until taken anew", async () => {
    h = await bigQueue();
    h.clock.set(new Date(Date.parse(NOW) - 6 * MS_PER_HOUR).toISOString());
    const back = await page();
    expect(back.stats.key).toBe("static_score");
    expect([...back.ids]).toEqual((await brute(h.clock.now())).slice(0, 50));
    expect(await h.runtime.queue.refreshScoreFloors()).toBe(360);
    await expectFloorsExact();
    expect((await page()).stats.key).toBe("floor_score");
  });
});
