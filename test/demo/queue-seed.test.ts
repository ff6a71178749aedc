/** The demo book's task history: loaded once on a fresh demo book, with the status mix and this week's numbers. */
import { ManualClock } from "../../src/clock.js";
import { seedDemoTaskHistory } from "../../src/demo/queue-seed.js";
import { validateGateAnswers } from "../../src/domain/tasks/quality-gates.js";
import { FLOOR_UNSET } from "../../src/queue/scoring.js";
import { OPEN_STATUS_SQL } from "../../src/queue/task-writer.js";
import { describe, expect, test } from "../helpers/fixture.js";
import { MAYA } from "../queue/accounts.js";

test.override("runtimeOptions", {
  agents: [],
  clock: new ManualClock("2026-03-18T10:00:00Z"),
  env: { DEMO_BOOK: "true" },
});

describe("demo task history", () => {
  test("is seeded once on a fresh demo book, with the 60/20/15/5 mix and numbers for this week", async ({
    runtime,
  }) => {
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
    expect(team.team.at_risk_saves.actual + team.team.renewals_secured.count).toBeGreaterThan(0);
    expect(team.members.filter((m) => m.activity.tasks > 0).length).toBeGreaterThanOrEqual(3);

    // Varied outcomes: objectives, sentiments, blockers, channels and gate answers.
    const outcomes = await db.selectFrom("csm_task_outcomes").selectAll().execute();
    const completions = outcomes.filter((o) => o.action === "complete");
    expect(completions.length).toBe(counts["completed"]);
    const distinct = (f: (o: (typeof outcomes)[number]) => unknown) => new Set(completions.map(f)).size;
    expect(distinct((o) => o.objective_achieved)).toBe(3);
    expect(distinct((o) => o.sentiment)).toBeGreaterThanOrEqual(4);
    expect(distinct((o) => o.channel)).toBeGreaterThanOrEqual(2);
    expect(new Set(outcomes.map((o) => o.blocker_reason).filter(Boolean)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(outcomes.map((o) => o.action))).toEqual(
      new Set(["complete", "reschedule", "escalate", "block"]),
    );
    // Every completion's gate answers pass its task type's gates, as a live completion would.
    const types = new Map((await runtime.queue.taskTypes()).map((t) => [t.slug, t.quality_gates]));
    for (const o of completions) {
      expect(
        validateGateAnswers(types.get(o.task_type as never)!, JSON.parse(o.quality_gate_responses)),
      ).toEqual({
        ok: true,
      });
    }
    const maya = await runtime.queue.list({ csm_id: MAYA });
    expect(maya.total).toBeGreaterThan(0);
    // The seeded rows get their score floors at boot.
    const unset = await db
      .selectFrom("csm_tasks")
      .select("id")
      .where(OPEN_STATUS_SQL)
      .where("floor_at", "=", FLOOR_UNSET)
      .execute();
    expect(unset).toEqual([]);

    // A restart never seeds again.
    await runtime.queue.onStart();
    await seedDemoTaskHistory(runtime.queue, runtime);
    const after = await db
      .selectFrom("csm_tasks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(total);
  });
});
