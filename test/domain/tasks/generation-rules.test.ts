/**
 * The generation rule of each task type at its boundaries: which account calls for which
 * task, with what episode key and cooldown. Pure: evaluateRules over the catalogue's conditions.
 */
import { describe, expect, it } from "vitest";
import type { TaskTypeSlug } from "../../../src/domain/tasks/catalog-schema.js";
import {
  AT_RISK_COOLDOWN_DAYS,
  evaluateRules,
  type RuleInputs,
} from "../../../src/domain/tasks/generation-rules.js";
import type { Account, ChurnLevel } from "../../../src/domain/types.js";
import { TASK_TYPES } from "../../../src/queue/catalog.js";
import { account, NOW } from "../../queue/accounts.js";

const RULES = TASK_TYPES.map((t) => ({
  slug: t.slug,
  auto_trigger_conditions: t.auto_trigger_conditions,
  is_active: t.is_active,
}));
const now = new Date(NOW);

function inputs(over: Partial<RuleInputs> = {}): RuleInputs {
  return {
    now,
    churn: { level: "low", source: "recorded" },
    health: { current: 80, recent_max: 82 },
    ...over,
  };
}

const fired = (a: Account, over: Partial<RuleInputs> = {}): TaskTypeSlug[] =>
  evaluateRules(RULES, a, inputs(over)).map((t) => t.task_type);
const trigger = (a: Account, slug: TaskTypeSlug, over: Partial<RuleInputs> = {}) =>
  evaluateRules(RULES, a, inputs(over)).find((t) => t.task_type === slug);

/** NOW minus `days` whole days, as a date (00:00 UTC). NOW is 10:00, so the age is days + 10 h. */
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
const daysAhead = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

describe("generation rules", () => {
  it("a settled, healthy account calls for nothing", () => {
    expect(fired(account("a"))).toEqual([]);
  });

  describe("onboarding stall: onboarding, no step completed for 7 days", () => {
    const onboarding = (lastStep: string | null, over: Partial<Account> = {}) =>
      account("a", {
        status: "Onboarding",
        signup_date: "2026-01-05",
        onboarding_steps_done: ["kickoff"],
        onboarding_last_step_at: lastStep,
        ...over,
      });

    it("fires at 7 days idle, not at 6", () => {
      expect(fired(onboarding(`${daysAgo(7)}T10:00:00.000Z`))).toEqual(["onboarding_stall"]);
      expect(fired(onboarding(`${daysAgo(6)}T10:00:00.000Z`))).toEqual([]);
    });

    it("counts from signup when no step was ever completed", () => {
      const t = trigger(
        onboarding(null, { signup_date: daysAgo(9), onboarding_steps_done: [] }),
        "onboarding_stall",
      );
      expect(t).toMatchObject({ cooldown_days: 0, metadata: { days_since_last_step: 9 } });
    });

    it("only for onboarding accounts; one episode per stall (keyed by the last step)", () => {
      expect(fired(onboarding(`${daysAgo(20)}T10:00:00.000Z`, { status: "Active" }))).toEqual([]);
      const a = trigger(onboarding("2026-03-01T10:00:00.000Z"), "onboarding_stall");
      const b = trigger(onboarding("2026-03-02T10:00:00.000Z"), "onboarding_stall");
      expect(a?.trigger_key).toBe("onboarding_stall:a:2026-03-01T10:00:00.000Z");
      expect(b?.trigger_key).not.toBe(a?.trigger_key);
    });
  });

  describe("day 30 / 60 / 90 after signup, within 3 days", () => {
    it.each([
      [26, []],
      [27, ["day_30_checkin"]],
      [30, ["day_30_checkin"]],
      [33, ["day_30_checkin"]],
      [34, []],
      [56, []],
      [57, ["day_60_checkin"]],
      [63, ["day_60_checkin"]],
      [64, []],
      [86, []],
      [87, ["day_90_qbr"]],
      [93, ["day_90_qbr"]],
      [94, []],
    ] as const)("day %i after signup -> %j", (days, want) => {
      // Active with every onboarding step done, so the stall rule stays out of it.
      expect(fired(account("a", { signup_date: daysAgo(days) }))).toEqual(want);
    });

    it("one episode per milestone of a signup date", () => {
      const t = trigger(account("a", { signup_date: daysAgo(60) }), "day_60_checkin");
      expect(t).toMatchObject({
        trigger_key: `day_60_checkin:a:${daysAgo(60)}`,
        cooldown_days: 0,
        metadata: { days_since_signup: 60 },
      });
    });
  });

  describe("at-risk recovery: churn risk high or critical", () => {
    it.each([
      ["low", false],
      ["medium", false],
      ["high", true],
      ["critical", true],
      [null, false],
    ] as const)("churn %s -> %s", (level, fires) => {
      const got = fired(account("a"), { churn: { level: level as ChurnLevel | null, source: "recorded" } });
      expect(got.includes("at_risk_recovery")).toBe(fires);
    });

    it("is a standing condition: no episode key, a weekly cooldown, and it says where the level came from", () => {
      const t = trigger(account("a"), "at_risk_recovery", {
        churn: { level: "critical", source: "estimated" },
      });
      expect(t).toMatchObject({
        trigger_key: null,
        cooldown_days: AT_RISK_COOLDOWN_DAYS,
        metadata: { churn_risk: "critical", churn_risk_source: "estimated" },
      });
    });
  });

  describe("health score drop: 10+ points within 14 days", () => {
    it.each([
      [{ current: 55, recent_max: 65 }, true],
      [{ current: 55.1, recent_max: 65 }, false],
      [{ current: 40, recent_max: 72 }, true],
      [{ current: 55, recent_max: null }, false],
      [{ current: null, recent_max: 70 }, false],
    ])("%j -> %s", (health, fires) => {
      expect(fired(account("a"), { health }).includes("health_score_drop")).toBe(fires);
    });

    it("records the drop and waits out its window before firing again", () => {
      const t = trigger(account("a"), "health_score_drop", { health: { current: 50, recent_max: 64 } });
      expect(t).toMatchObject({
        trigger_key: null,
        cooldown_days: 14,
        metadata: { drop_points: 14, from_score: 64, to_score: 50 },
      });
    });
  });

  describe("renewal preparation: renewal within 90 days", () => {
    it.each([
      [89, true],
      [90, true],
      [92, false],
      [200, false],
    ])("renewal in about %i days -> %s", (days, fires) => {
      // daysAhead(n) is midnight, NOW is 10:00: whole days until it are n - 1.
      expect(fired(account("a", { renewal_date: daysAhead(days) })).includes("renewal_prep")).toBe(fires);
    });

    it("a lapsed renewal still calls for one; one episode per renewal date", () => {
      const t = trigger(account("a", { renewal_date: daysAgo(5) }), "renewal_prep");
      expect(t?.reason).toMatch(/renewal date passed/);
      expect(t?.trigger_key).toBe(`renewal_prep:a:${daysAgo(5)}`);
    });
  });

  describe("NPS detractor: NPS <= 6 in the last 30 days", () => {
    it.each([
      [6, 3, true],
      [0, 30, true],
      [7, 3, false],
      [4, 31, false],
      [4, -2, false],
    ])("NPS %i given %i days ago -> %s", (nps, age, fires) => {
      const a = account("a", { nps, nps_date: age >= 0 ? daysAgo(age) : daysAhead(-age) });
      expect(fired(a).includes("nps_detractor_followup")).toBe(fires);
    });

    it("no score, no task; one episode per response", () => {
      expect(fired(account("a", { nps: null, nps_date: daysAgo(2) }))).toEqual([]);
      expect(trigger(account("a", { nps: 3, nps_date: daysAgo(2) }), "nps_detractor_followup")).toMatchObject(
        {
          trigger_key: `nps_detractor_followup:a:${daysAgo(2)}`,
          metadata: { nps: 3 },
        },
      );
    });
  });

  it("expansion opportunity is created by its event only, never by a scan", () => {
    const everything = account("a", {
      status: "Onboarding",
      signup_date: daysAgo(30),
      onboarding_last_step_at: `${daysAgo(10)}T10:00:00.000Z`,
      renewal_date: daysAhead(20),
      nps: 2,
      nps_date: daysAgo(1),
    });
    const got = fired(everything, {
      churn: { level: "critical", source: "recorded" },
      health: { current: 30, recent_max: 70 },
    });
    expect(got.sort()).toEqual(
      [
        "at_risk_recovery",
        "day_30_checkin",
        "health_score_drop",
        "nps_detractor_followup",
        "onboarding_stall",
        "renewal_prep",
      ].sort(),
    );
    expect(got).not.toContain("expansion_opportunity");
  });

  it("a churned customer gets nothing; an inactive rule fires for no one", () => {
    const risky = account("a", { renewal_date: daysAhead(10), status: "Churned" });
    expect(fired(risky, { churn: { level: "critical", source: "recorded" } })).toEqual([]);
    const off = RULES.map((r) => (r.slug === "renewal_prep" ? { ...r, is_active: false } : r));
    expect(
      evaluateRules(off, account("a", { renewal_date: daysAhead(10) }), inputs()).map((t) => t.task_type),
    ).toEqual([]);
  });
});
