import { describe, expect, it } from "vitest";
import {
  CHURN_PROBABILITY,
  churnProbabilityFor,
  computePriorityScore,
  type PriorityInput,
  priorityScoreBreakdown,
  renewalBonus,
} from "../../src/domain/priority.js";

// The five steps of the score:
//   score = (arr * churn_probability / 1000 + max(0, days_overdue)^1.5 * 10) * tier
//           + priority_base + renewal_bonus, rounded.
const base: PriorityInput = {
  arr: 0,
  churn_probability: 0,
  tier: "standard",
  priority: "standard",
  days_overdue: 0,
  days_to_renewal: null,
};

describe("priority score, hand-computed examples", () => {
  it("a standard-tier high-priority task, on time, no renewal date", () => {
    // revenue risk: 120000 * 0.2 / 1000 = 24
    // overdue: 0^1.5 * 10 = 0
    // tier standard x1.0: 24
    // + high 75 = 99; no renewal bonus -> 99
    expect(
      computePriorityScore({
        ...base,
        arr: 120_000,
        churn_probability: CHURN_PROBABILITY.medium,
        priority: "high",
      }),
    ).toBe(99);
  });

  it("a VIP urgent task 4 days overdue with renewal in 25 days", () => {
    // revenue risk: 250000 * 0.45 / 1000 = 112.5
    // overdue: 4^1.5 = 8, * 10 = 80  -> 192.5
    // tier vip x2.0 -> 385
    // + urgent 100 -> 485
    // renewal 25 days (<= 30) +50 -> 535
    const input: PriorityInput = {
      arr: 250_000,
      churn_probability: CHURN_PROBABILITY.high,
      tier: "vip",
      priority: "urgent",
      days_overdue: 4,
      days_to_renewal: 25,
    };
    expect(computePriorityScore(input)).toBe(535);
    expect(priorityScoreBreakdown(input)).toEqual({
      revenue_risk: 112.5,
      overdue: 80,
      tier_multiplier: 2,
      priority_base: 100,
      renewal_bonus: 50,
      raw_score: 535,
      score: 535,
    });
  });

  it("a low-value low-priority task, 1 day overdue, renewal in 45 days", () => {
    // revenue risk: 40000 * 0.7 / 1000 = 28
    // overdue: 1^1.5 * 10 = 10 -> 38
    // tier low_value x0.5 -> 19
    // + low 25 -> 44
    // renewal 45 days (31..60) +25 -> 69
    expect(
      computePriorityScore({
        arr: 40_000,
        churn_probability: CHURN_PROBABILITY.critical,
        tier: "low_value",
        priority: "low",
        days_overdue: 1,
        days_to_renewal: 45,
      }),
    ).toBe(69);
  });

  it("a high-value task: the tier multiplies revenue and overdue terms only", () => {
    // revenue risk: 80000 * 0.2 / 1000 = 16
    // overdue: 2^1.5 * 10 = 28.2843 -> 44.2843
    // tier high_value x1.5 -> 66.4264
    // + standard 50 -> 116.4264
    // renewal 75 days (61..90) +10 -> 126.4264 -> rounds to 126
    const b = priorityScoreBreakdown({
      arr: 80_000,
      churn_probability: 0.2,
      tier: "high_value",
      priority: "standard",
      days_overdue: 2,
      days_to_renewal: 75,
    });
    expect(b.overdue).toBeCloseTo(28.2843, 4);
    expect(b.raw_score).toBeCloseTo(126.4264, 4);
    expect(b.score).toBe(126);
  });

  it("an overdue task climbs as days_overdue grows, faster each day", () => {
    // arr 50000, churn low .05 -> 2.5; standard tier x1; standard priority +50; no renewal
    // day 0: 2.5 + 0               + 50 = 52.5    -> 53 (Math.round rounds .5 up)
    // day 1: 2.5 + 1^1.5*10 = 12.5 + 50 = 62.5    -> 63
    // day 2: 2.5 + 2.828427*10     + 50 = 80.784  -> 81
    // day 3: 2.5 + 5.196152*10     + 50 = 104.462 -> 104
    // day 9: 2.5 + 27*10 = 272.5   + 50 = 322.5   -> 323
    const at = (days_overdue: number) =>
      computePriorityScore({ ...base, arr: 50_000, churn_probability: CHURN_PROBABILITY.low, days_overdue });
    const scores = [0, 1, 2, 3, 9].map(at);
    expect(scores).toEqual([53, 63, 81, 104, 323]);
    // Each day adds more than the day before (the ^1.5 curve).
    const steps = [at(1) - at(0), at(2) - at(1), at(3) - at(2)];
    expect(steps[1]!).toBeGreaterThan(steps[0]!);
    expect(steps[2]!).toBeGreaterThan(steps[1]!);
  });

  it("a VIP's overdue points count double", () => {
    // 3 days overdue: 3^1.5 * 10 = 51.9615; x2.0 = 103.923; + high 75 = 178.923 -> 179
    expect(computePriorityScore({ ...base, tier: "vip", priority: "high", days_overdue: 3 })).toBe(179);
  });
});

describe("bounds: the only floor is days overdue at 0; the seed caps nothing", () => {
  it("a task not yet due (negative days overdue) scores as if due today", () => {
    expect(computePriorityScore({ ...base, priority: "urgent", days_overdue: -5 })).toBe(100);
    expect(priorityScoreBreakdown({ ...base, days_overdue: -5 }).overdue).toBe(0);
  });

  it("revenue at risk is not clamped to 100 (the seed's 'normalize to 0-100' is a comment, not a cap)", () => {
    // 2,000,000 * 0.7 / 1000 = 1400; standard tier; + standard 50 -> 1450
    expect(computePriorityScore({ ...base, arr: 2_000_000, churn_probability: 0.7 })).toBe(1450);
  });

  it("days overdue keep climbing without a ceiling", () => {
    // 100^1.5 * 10 = 10000; + standard 50 -> 10050
    expect(computePriorityScore({ ...base, days_overdue: 100 })).toBe(10_050);
  });

  it("the lowest possible score is the low priority base", () => {
    expect(computePriorityScore({ ...base, priority: "low" })).toBe(25);
  });
});

describe("renewal bonus bands", () => {
  it.each([
    [null, 0],
    [-10, 50], // renewal date passed: `<= 30` in the seed, a lapsing contract
    [0, 50],
    [30, 50],
    [31, 25],
    [60, 25],
    [61, 10],
    [90, 10],
    [91, 0],
    [365, 0],
  ])("%s days to renewal -> +%i", (days, bonus) => {
    expect(renewalBonus(days)).toBe(bonus);
    expect(computePriorityScore({ ...base, days_to_renewal: days })).toBe(50 + bonus);
  });
});

describe("missing inputs", () => {
  it("unknown ARR, churn probability or tier contribute nothing / multiply by 1", () => {
    expect(computePriorityScore({ ...base, arr: null, churn_probability: 0.7, priority: "high" })).toBe(75);
    expect(computePriorityScore({ ...base, arr: 500_000, churn_probability: null, priority: "high" })).toBe(
      75,
    );
    // 100000 * .2 / 1000 = 20, tier unknown x1 -> 20 + 50 = 70
    expect(computePriorityScore({ ...base, arr: 100_000, churn_probability: 0.2, tier: null })).toBe(70);
  });
});

describe("churn probability mapping", () => {
  it("defaults to low .05, medium .2, high .45, critical .7", () => {
    expect(CHURN_PROBABILITY).toEqual({ low: 0.05, medium: 0.2, high: 0.45, critical: 0.7 });
    expect(churnProbabilityFor("high")).toBe(0.45);
    expect(churnProbabilityFor(null)).toBeNull();
  });

  it("is configurable by the caller", () => {
    const custom = { low: 0.01, medium: 0.1, high: 0.3, critical: 0.9 };
    expect(churnProbabilityFor("critical", custom)).toBe(0.9);
  });
});
