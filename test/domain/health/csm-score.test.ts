import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/calendar.js";
import {
  CSM_SIGNALS,
  type CsmScoreContext,
  type CsmSignal,
  DEFAULT_CSM_WEIGHTS,
  DEFAULT_RAG_THRESHOLDS,
  scoreCsmHealth,
  UnusableSignalsError,
  validateSignals,
} from "../../../src/domain/health/csm-score.js";
import {
  type Account,
  ENGAGEMENT_LEVELS,
  PAYMENT_STATUSES,
  TAM_STATUSES,
  TICKET_SENTIMENTS,
  USAGE_TRENDS,
} from "../../../src/domain/types.js";

const NOW = new Date("2026-06-15T12:00:00Z");

/** An account with every signal missing. */
const EMPTY: Account = {
  id: "acc_test",
  name: "Test Co",
  status: "Active",
  tier: "standard",
  arr: 50_000,
  csm_owner: "csm@example.com",
  account_executive: null,
  slack_channel: null,
  signup_date: null,
  renewal_date: null,
  last_login: null,
  last_interaction: null,
  last_heartbeat: null,
  seats_purchased: null,
  seats_used: null,
  feature_adoption: null,
  nps: null,
  nps_date: null,
  escalations_90d: null,
  features_used: [],
  onboarding_steps_done: [],
  onboarding_last_step_at: null,
  usage_trend: null,
  payment_status: null,
  stakeholder_engagement: null,
  ticket_sentiment: null,
  champion: null,
  modules: [],
  api_calls_30d: null,
  csm_health_score: null,
  csm_health_rag: null,
  churn_risk: null,
  csm_last_scan: null,
  health_score: null,
  health_status: null,
  last_health_scan: null,
};

/** Every signal present; hand-computed to 69.8 below. */
const FULL: Account = {
  ...EMPTY,
  feature_adoption: 0.6, // .6 x 15 = 9
  usage_trend: "stable", // .7 x 12 = 8.4
  last_login: "2026-06-10", // 5 days: 1 x 10 = 10
  last_interaction: "2026-05-01", // 45 days: .7 x 8 = 5.6
  payment_status: "overdue_30", // .6 x 10 = 6
  ticket_sentiment: "neutral", // with 4 open tickets: .7 - .2 = .5 -> 5
  stakeholder_engagement: "medium", // .6 x 8 = 4.8
  nps: 8, // .7 x 7 = 4.9
  renewal_date: "2026-10-01", // 107 days: .8 x 7 = 5.6
  seats_purchased: 50,
  seats_used: 45, // .9: 1 x 8 = 8
  escalations_90d: 1, // .5 x 5 = 2.5
};
const FULL_CTX: CsmScoreContext = { now: NOW, openTickets: 4 };

describe("scoreCsmHealth: hand-computed examples", () => {
  it("scores an account with every signal present", () => {
    const r = scoreCsmHealth(FULL, FULL_CTX);
    expect(r.score).toBe(69.8);
    expect(r.rag).toBe("AMBER");
    expect(r.data_completeness).toBe(1);
    expect(r.confidence).toBe("high");
    expect(r.tam_multiplier).toBe(1);
    expect(r.missing_signals).toEqual([]);
    expect(r.breakdown.map((b) => b.signal)).toEqual([...CSM_SIGNALS]);
    const by = Object.fromEntries(r.breakdown.map((b) => [b.signal, b]));
    expect(by["days_since_login"]).toMatchObject({
      value: 5,
      sub_score: 1,
      weight: 10,
      points: 10,
      max_points: 10,
    });
    expect(by["days_since_interaction"]).toMatchObject({ value: 45, sub_score: 0.7, points: 5.6 });
    expect(by["support"]).toMatchObject({ value: "neutral, 4 open tickets", sub_score: 0.5, points: 5 });
    expect(by["days_to_renewal"]).toMatchObject({ value: 107, sub_score: 0.8, points: 5.6 });
    expect(by["seat_utilization"]).toMatchObject({ value: 0.9, sub_score: 1, points: 8 });
    expect(by["escalations_90d"]).toMatchObject({ value: 1, sub_score: 0.5, points: 2.5 });
    // Points lost: adoption 6, support 5, payment 4, usage 3.6 ...
    expect(r.top_drivers).toEqual(["feature_adoption", "support", "payment_status"]);
  });

  it("applies the TAM status multiplier", () => {
    expect(scoreCsmHealth({ ...FULL, health_status: "Green" }, FULL_CTX)).toMatchObject({
      score: 69.8,
      tam_multiplier: 1,
    });
    expect(scoreCsmHealth({ ...FULL, health_status: "Amber" }, FULL_CTX)).toMatchObject({
      score: 66.3,
      tam_multiplier: 0.95,
    });
    expect(scoreCsmHealth({ ...FULL, health_status: "Red" }, FULL_CTX)).toMatchObject({
      score: 59.3,
      tam_multiplier: 0.85,
    });
  });

  it("counts a TAM escalation in through extraEscalations", () => {
    const r = scoreCsmHealth(FULL, { ...FULL_CTX, extraEscalations: 1 });
    expect(r.breakdown.find((b) => b.signal === "escalations_90d")).toMatchObject({ value: 2, sub_score: 0 });
    expect(r.score).toBe(67.3);
    // Without a recorded count, the escalation alone makes the signal present.
    const alone = scoreCsmHealth({ ...EMPTY, nps: 9 }, { now: NOW, openTickets: 0, extraEscalations: 1 });
    expect(alone.breakdown.map((b) => b.signal)).toEqual(["nps", "escalations_90d"]);
  });

  it("renormalizes over the signals present", () => {
    const account = { ...EMPTY, feature_adoption: 0.5, payment_status: "current" as const, nps: 9 };
    const r = scoreCsmHealth(account, { now: NOW, openTickets: 0 });
    // (.5 x 15 + 10 + 7) / 32 x 100 = 76.5625
    expect(r.score).toBe(76.6);
    expect(r.rag).toBe("GREEN");
    expect(r.data_completeness).toBe(0.32);
    expect(r.confidence).toBe("low");
    expect(r.breakdown.map((b) => b.max_points)).toEqual([46.88, 31.25, 21.88]);
    expect(r.missing_signals).toHaveLength(8);
    expect(r.top_drivers).toEqual(["feature_adoption"]);
  });

  it("rates confidence medium between .5 and .8 completeness", () => {
    const account = {
      ...FULL,
      stakeholder_engagement: null,
      nps: null,
      renewal_date: null,
      seats_purchased: null,
      escalations_90d: null,
    };
    const r = scoreCsmHealth(account, FULL_CTX);
    expect(r.data_completeness).toBe(0.65);
    expect(r.confidence).toBe("medium");
    // .5 exactly is still medium; below it is low.
    expect(scoreCsmHealth({ ...account, feature_adoption: null }, FULL_CTX).confidence).toBe("medium");
    expect(
      scoreCsmHealth({ ...account, feature_adoption: null, usage_trend: null }, FULL_CTX).confidence,
    ).toBe("low");
    expect(scoreCsmHealth({ ...FULL, nps: null, renewal_date: null }, FULL_CTX).data_completeness).toBe(0.86);
    expect(scoreCsmHealth({ ...FULL, nps: null, renewal_date: null }, FULL_CTX).confidence).toBe("high");
  });

  it("treats zero or unknown seats purchased as a missing seat signal", () => {
    for (const seats_purchased of [0, null]) {
      const r = scoreCsmHealth({ ...FULL, seats_purchased }, FULL_CTX);
      expect(r.missing_signals).toEqual(["seat_utilization"]);
    }
  });

  it("maps seat utilization bands", () => {
    const sub = (used: number) =>
      scoreCsmHealth({ ...EMPTY, seats_purchased: 100, seats_used: used }, { now: NOW, openTickets: 0 })
        .breakdown[0]?.sub_score;
    expect([sub(120), sub(100), sub(80), sub(79), sub(50), sub(49), sub(0)]).toEqual([
      0.9, 1, 1, 0.6, 0.6, 0.2, 0.2,
    ]);
  });

  it("floors the support sub-score at 0", () => {
    const r = scoreCsmHealth({ ...EMPTY, ticket_sentiment: "negative" }, { now: NOW, openTickets: 9 });
    expect(r.breakdown[0]).toMatchObject({ signal: "support", sub_score: 0 });
  });

  it("uses configurable RAG thresholds", () => {
    expect(scoreCsmHealth(FULL, { ...FULL_CTX, thresholds: { green: 60 } }).rag).toBe("GREEN");
    expect(scoreCsmHealth(FULL, { ...FULL_CTX, thresholds: { green: 80, amber: 70 } }).rag).toBe("RED");
    expect(DEFAULT_RAG_THRESHOLDS).toEqual({ green: 70, amber: 40 });
    expect(() => scoreCsmHealth(FULL, { ...FULL_CTX, thresholds: { amber: 90 } })).toThrow(RangeError);
  });

  it("uses configurable weights; a zero weight drops the signal", () => {
    const r = scoreCsmHealth(FULL, { ...FULL_CTX, weights: { feature_adoption: 0 } });
    expect(r.breakdown.map((b) => b.signal)).not.toContain("feature_adoption");
    expect(r.missing_signals).toEqual([]);
    // (69.8 - 9) / 85 x 100
    expect(r.score).toBe(71.5);
    expect(() => scoreCsmHealth(FULL, { ...FULL_CTX, weights: { nsp: 3 } as never })).toThrow(/nsp/);
    expect(() => scoreCsmHealth(FULL, { ...FULL_CTX, weights: { nps: -1 } })).toThrow(RangeError);
    expect(Object.values(DEFAULT_CSM_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("rejects a bad open-ticket count", () => {
    expect(() => scoreCsmHealth(FULL, { now: NOW, openTickets: -1 })).toThrow(RangeError);
  });
});

describe("validateSignals", () => {
  it("accepts a well-formed account", () => {
    expect(validateSignals(FULL)).toEqual([]);
  });

  it.each<[string, Partial<Account>, string]>([
    ["adoption above 1", { feature_adoption: 1.4 }, "feature_adoption"],
    ["adoption below 0", { feature_adoption: -0.1 }, "feature_adoption"],
    ["NaN adoption", { feature_adoption: Number.NaN }, "feature_adoption"],
    ["nps above 10", { nps: 11 }, "nps"],
    ["negative seats purchased", { seats_purchased: -5 }, "seats_purchased"],
    ["negative seats used", { seats_used: -1 }, "seats_used"],
    ["negative escalations", { escalations_90d: -1 }, "escalations_90d"],
    ["unparseable login", { last_login: "yesterday" }, "last_login"],
    ["impossible renewal date", { renewal_date: "2026-02-30" }, "renewal_date"],
    ["unknown usage trend", { usage_trend: "soaring" as never }, "usage_trend"],
    ["unknown TAM status", { health_status: "Purple" as never }, "health_status"],
  ])("reports %s", (_name, patch, field) => {
    const problems = validateSignals({ ...FULL, ...patch });
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(() => scoreCsmHealth({ ...FULL, ...patch }, FULL_CTX)).toThrow(UnusableSignalsError);
  });

  it("reports an account with no signal at all", () => {
    expect(validateSignals(EMPTY)).toEqual([
      { field: "signals", problem: "no weighted health signal is present" },
    ]);
    expect(validateSignals({ ...EMPTY, seats_purchased: 0, seats_used: 3 })).toHaveLength(1);
    expect(validateSignals({ ...EMPTY, nps: 7 }, { weights: { nps: 0 } })).toHaveLength(1);
    expect(validateSignals(EMPTY, { extraEscalations: 1 })).toEqual([]);
  });

  it("throws an error that carries every problem", () => {
    const bad = { ...FULL, feature_adoption: 2, nps: -1 };
    try {
      scoreCsmHealth(bad, FULL_CTX);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnusableSignalsError);
      const e = err as UnusableSignalsError;
      expect(e.accountId).toBe("acc_test");
      expect(e.problems.map((p) => p.field)).toEqual(["feature_adoption", "nps"]);
      expect(e.message).toContain("feature_adoption: 2 is not within 0..1");
    }
  });
});

// ---- property tests ----

type Setter = (account: Account, t: number) => [Account, number];
const pick = <T>(ordered: readonly T[], t: number): T =>
  ordered[Math.min(ordered.length - 1, Math.floor(t * ordered.length))]!;
const daysAgo = (days: number) => addDays(NOW, -days).toISOString();

/** For each signal, sets it from t in 0..1 (worst .. best) so that a larger t is never a worse value. */
const SETTERS: Record<CsmSignal, Setter> = {
  feature_adoption: (a, t) => [{ ...a, feature_adoption: t }, 0],
  usage_trend: (a, t) => [{ ...a, usage_trend: pick(["inactive", "declining", "stable", "growing"], t) }, 0],
  days_since_login: (a, t) => [{ ...a, last_login: daysAgo(Math.round((1 - t) * 120)) }, 0],
  days_since_interaction: (a, t) => [{ ...a, last_interaction: daysAgo(Math.round((1 - t) * 150)) }, 0],
  payment_status: (a, t) => [
    { ...a, payment_status: pick(["overdue_90_plus", "overdue_60", "overdue_30", "current"], t) },
    0,
  ],
  support: (a, t) => [
    { ...a, ticket_sentiment: pick(["critical", "negative", "neutral", "positive"], t) },
    Math.round((1 - t) * 10),
  ],
  stakeholder_engagement: (a, t) => [{ ...a, stakeholder_engagement: pick(["low", "medium", "high"], t) }, 0],
  nps: (a, t) => [{ ...a, nps: t * 10 }, 0],
  days_to_renewal: (a, t) => [{ ...a, renewal_date: daysAgo(30 - Math.round(t * 400)) }, 0],
  seat_utilization: (a, t) => [{ ...a, seats_purchased: 100, seats_used: Math.round(t * 100) }, 0],
  escalations_90d: (a, t) => [{ ...a, escalations_90d: Math.round((1 - t) * 4) }, 0],
};

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const accountArb: fc.Arbitrary<[Account, number]> = fc
  .record({
    feature_adoption: opt(unit),
    usage_trend: opt(fc.constantFrom(...USAGE_TRENDS)),
    last_login: opt(fc.integer({ min: 0, max: 400 }).map(daysAgo)),
    last_interaction: opt(fc.integer({ min: 0, max: 400 }).map(daysAgo)),
    payment_status: opt(fc.constantFrom(...PAYMENT_STATUSES)),
    ticket_sentiment: opt(fc.constantFrom(...TICKET_SENTIMENTS)),
    stakeholder_engagement: opt(fc.constantFrom(...ENGAGEMENT_LEVELS)),
    nps: opt(fc.integer({ min: 0, max: 10 })),
    renewal_date: opt(fc.integer({ min: -400, max: 60 }).map(daysAgo)),
    seats_purchased: opt(fc.integer({ min: 0, max: 500 })),
    seats_used: opt(fc.integer({ min: 0, max: 600 })),
    escalations_90d: opt(fc.integer({ min: 0, max: 5 })),
    health_status: opt(fc.constantFrom(...TAM_STATUSES)),
  })
  .chain((signals) =>
    fc.tuple(fc.constant<Account>({ ...EMPTY, ...signals }), fc.integer({ min: 0, max: 12 })),
  )
  .filter(([account]) => validateSignals(account).length === 0);

describe("scoreCsmHealth: properties", () => {
  it("keeps the score within 0..100 and the breakdown consistent", () => {
    fc.assert(
      fc.property(accountArb, ([account, openTickets]) => {
        const r = scoreCsmHealth(account, { now: NOW, openTickets });
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.data_completeness).toBeGreaterThan(0);
        expect(r.data_completeness).toBeLessThanOrEqual(1);
        expect(r.top_drivers.length).toBeLessThanOrEqual(3);
        expect(r.breakdown.reduce((s, b) => s + b.max_points, 0)).toBeCloseTo(100, 0);
        const raw = r.breakdown.reduce((s, b) => s + b.points, 0);
        expect(r.score).toBeCloseTo(raw * r.tam_multiplier, 0);
      }),
    );
  });

  it("never lowers the score when one signal improves", () => {
    fc.assert(
      fc.property(
        accountArb,
        fc.constantFrom(...CSM_SIGNALS),
        unit,
        unit,
        ([account, openTickets], signal, t1, t2) => {
          const [worse, worseTickets] = SETTERS[signal](account, Math.min(t1, t2));
          const [better, betterTickets] = SETTERS[signal](account, Math.max(t1, t2));
          // Only the support setter decides the open-ticket count; the others keep the drawn one.
          const ticketsOf = (n: number) => (signal === "support" ? n : openTickets);
          const lo = scoreCsmHealth(worse, { now: NOW, openTickets: ticketsOf(worseTickets) }).score;
          const hi = scoreCsmHealth(better, { now: NOW, openTickets: ticketsOf(betterTickets) }).score;
          expect(hi).toBeGreaterThanOrEqual(lo);
        },
      ),
    );
  });

  it("scores a single present signal as its sub-score x 100", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CSM_SIGNALS), unit, (signal, t) => {
        const [account, openTickets] = SETTERS[signal](EMPTY, t);
        const r = scoreCsmHealth(account, { now: NOW, openTickets });
        expect(r.breakdown).toHaveLength(1);
        const [only] = r.breakdown;
        expect(only?.signal).toBe(signal);
        expect(only?.max_points).toBe(100);
        expect(r.score).toBe(Math.round(only!.sub_score * 1000) / 10);
        expect(r.data_completeness).toBe(DEFAULT_CSM_WEIGHTS[signal] / 100);
      }),
    );
  });

  it("orders TAM Red <= Amber <= no TAM input", () => {
    fc.assert(
      fc.property(accountArb, ([account, openTickets]) => {
        const score = (health_status: Account["health_status"]) =>
          scoreCsmHealth({ ...account, health_status }, { now: NOW, openTickets }).score;
        expect(score("Red")).toBeLessThanOrEqual(score("Amber"));
        expect(score("Amber")).toBeLessThanOrEqual(score(null));
        expect(score("Green")).toBe(score(null));
      }),
    );
  });
});
