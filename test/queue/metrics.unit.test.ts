/** Outcome metrics from recorded outcomes: what counts, the week, the trend, team sums. */
import { describe, expect, it } from "vitest";
import {
  type OutcomeFact,
  sumMetrics,
  trendPercent,
  weekBounds,
  weeklyMetrics,
} from "../../src/queue/metrics.js";

const GOALS = { onboarding_completions: 3, at_risk_saves: 2 };

function done(task_type: string, over: Partial<OutcomeFact> = {}): OutcomeFact {
  return {
    action: "complete",
    task_type,
    objective_achieved: "yes",
    quality_gate_responses: {},
    channel: "call",
    arr: 50_000,
    metadata: {},
    ...over,
  };
}

describe("weekBounds", () => {
  it.each([
    ["2026-03-16T00:00:00.000Z", "2026-03-16"], // Monday midnight starts the week
    ["2026-03-18T10:00:00.000Z", "2026-03-16"],
    ["2026-03-22T23:59:59.999Z", "2026-03-16"], // Sunday still belongs to it
    ["2026-03-23T00:00:00.000Z", "2026-03-23"],
  ])("%s is in the UTC week of Monday %s", (at, monday) => {
    const { start, end } = weekBounds(new Date(at));
    expect(start.toISOString()).toBe(`${monday}T00:00:00.000Z`);
    expect(end.getTime() - start.getTime()).toBe(7 * 86_400_000);
  });
});

describe("trendPercent", () => {
  it.each([
    [3, 2, 50],
    [1, 4, -75],
    [2, 3, -33.3],
    [0, 0, 0],
    [2, 0, 100],
    [0, 5, -100],
  ])("%i this week vs %i last week -> %s percent", (current, previous, want) => {
    expect(trendPercent(current, previous)).toBe(want);
  });
});

describe("weeklyMetrics", () => {
  it("counts outcomes, not activity: each metric by its own rule", () => {
    const thisWeek: OutcomeFact[] = [
      done("onboarding_stall"),
      done("onboarding_stall", { objective_achieved: "partial" }),
      done("at_risk_recovery", { quality_gate_responses: { customer_retained: "Yes - saved" } }),
      // Objective met but the customer is still at risk: not a save.
      done("at_risk_recovery", { quality_gate_responses: { customer_retained: "Yes - at risk" } }),
      done("health_score_drop"),
      done("nps_detractor_followup", { objective_achieved: "no" }),
      done("renewal_prep", { arr: 48_000, quality_gate_responses: { renewal_likelihood: "Committed" } }),
      done("renewal_prep", { arr: 20_000, quality_gate_responses: { renewal_likelihood: "At risk" } }),
      done("expansion_opportunity", {
        channel: "email",
        metadata: { estimated_arr_impact: 12_000 },
        quality_gate_responses: { handed_to_account_executive: true },
      }),
      done("expansion_opportunity", {
        metadata: { estimated_arr_impact: 9_000 },
        quality_gate_responses: { handed_to_account_executive: false },
      }),
      // Actions other than complete are activity only.
      { ...done("day_30_checkin"), action: "reschedule", objective_achieved: null, channel: null },
      { ...done("day_30_checkin"), action: "escalate", objective_achieved: null, channel: "email" },
    ];
    const lastWeek = [done("day_30_checkin"), done("day_60_checkin")];
    expect(weeklyMetrics(thisWeek, lastWeek, GOALS)).toEqual({
      onboarding_completions: { actual: 1, goal: 3 },
      at_risk_saves: { actual: 1, goal: 2 },
      health_improvements: 1,
      renewals_secured: { amount: 48_000, count: 1 },
      expansion_pipeline: { amount: 12_000, count: 1 },
      activity: { calls: 9, emails: 2, tasks: 10 },
      // yes: stall, both at-risk, health drop, both renewals, both expansions = 8; last week 2.
      objectives_achieved: { this_week: 8, last_week: 2 },
      trend_vs_last_week: 300,
    });
  });

  it("without the gate answer, a save or a hand-off falls back to the objective", () => {
    const m = weeklyMetrics(
      [
        done("at_risk_recovery"),
        done("at_risk_recovery", { objective_achieved: "no" }),
        done("expansion_opportunity", { metadata: { estimated_arr_impact: 5_000 } }),
      ],
      [],
      GOALS,
    );
    expect(m.at_risk_saves.actual).toBe(1);
    expect(m.expansion_pipeline).toEqual({ amount: 5_000, count: 1 });
  });

  it("an empty week is zeros with the goals", () => {
    expect(weeklyMetrics([], [], GOALS)).toMatchObject({
      onboarding_completions: { actual: 0, goal: 3 },
      renewals_secured: { amount: 0, count: 0 },
      activity: { calls: 0, emails: 0, tasks: 0 },
      trend_vs_last_week: 0,
    });
  });
});

describe("sumMetrics (the team view)", () => {
  it("sums members, multiplies goals by the team size, and recomputes the trend from the sums", () => {
    const a = weeklyMetrics(
      [done("at_risk_recovery"), done("renewal_prep")],
      [done("day_30_checkin")],
      GOALS,
    );
    const b = weeklyMetrics(
      [done("onboarding_stall")],
      [done("day_30_checkin"), done("day_60_checkin")],
      GOALS,
    );
    expect(a.trend_vs_last_week).toBe(100);
    expect(b.trend_vs_last_week).toBe(-50);
    expect(sumMetrics([a, b], GOALS)).toEqual({
      onboarding_completions: { actual: 1, goal: 6 },
      at_risk_saves: { actual: 1, goal: 4 },
      health_improvements: 0,
      renewals_secured: { amount: 50_000, count: 1 },
      expansion_pipeline: { amount: 0, count: 0 },
      activity: { calls: 3, emails: 0, tasks: 3 },
      objectives_achieved: { this_week: 3, last_week: 3 },
      trend_vs_last_week: 0,
    });
  });
});
