import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/playbooks/conditions/evaluate.js";
import { estimate } from "../../src/playbooks/estimate.js";
import { proposeSlots } from "../../src/playbooks/render/slots.js";
import { SAMPLE_ACCOUNT } from "../../src/playbooks/render/variables.js";
import { ConditionSchema } from "../../src/playbooks/schema/condition.js";
import { DefinitionSchema } from "../../src/playbooks/schema/definition.js";
import { TriggerSchema } from "../../src/playbooks/schema/triggers.js";
import type { Execution } from "../../src/playbooks/store/executions.js";
import type { StepExecution } from "../../src/playbooks/store/steps.js";
import { validateForPublish } from "../../src/playbooks/validate.js";

const email = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  type: "email",
  to: "csm",
  subject: "s",
  body: "b",
  ...extra,
});

describe("conditions", () => {
  const facts = {
    health_score: 55,
    churn_risk: "high",
    response_received: false,
    "account.features_used": ["dashboards", "alerts"],
    "account.champion": null,
    usage_change_pct: -25,
  };

  it("compares facts with every operator; a missing number never meets a threshold", () => {
    const ok = (c: unknown) => evaluate(ConditionSchema.parse(c), facts).result;
    expect(ok({ fact: "health_score", op: "lt", value: 60 })).toBe(true);
    expect(ok({ fact: "health_score", op: "gte", value: 60 })).toBe(false);
    expect(ok({ fact: "usage_change_pct", op: "lte", value: -20 })).toBe(true);
    expect(ok({ fact: "churn_risk", op: "in", value: ["high", "critical"] })).toBe(true);
    expect(ok({ fact: "churn_risk", op: "not_in", value: ["high", "critical"] })).toBe(false);
    expect(ok({ fact: "account.features_used", op: "contains", value: "alerts" })).toBe(true);
    expect(ok({ fact: "account.champion", op: "exists" })).toBe(false);
    expect(ok({ fact: "account.champion", op: "eq", value: null })).toBe(true);
    expect(ok({ fact: "response_received", op: "neq", value: true })).toBe(true);
    expect(ok({ fact: "days_to_renewal", op: "lt", value: 90 })).toBe(false);
  });

  it("joins comparisons with all, any and not, and traces each one", () => {
    const c = ConditionSchema.parse({
      all: [
        { fact: "health_score", op: "lt", value: 60 },
        {
          any: [
            { fact: "response_received", op: "eq", value: true },
            { not: { fact: "churn_risk", op: "eq", value: "low" } },
          ],
        },
      ],
    });
    const r = evaluate(c, facts);
    expect(r.result).toBe(true);
    expect(r.trace.map((t) => [t.fact, t.result])).toEqual([
      ["health_score", true],
      ["response_received", false],
      ["churn_risk", false],
    ]);
  });

  it("is data, never code: unknown facts, code strings and malformed comparisons are refused", () => {
    expect(ConditionSchema.safeParse({ fact: "process.exit()", op: "eq", value: 1 }).success).toBe(false);
    // An expression string is parsed by the condition language into the same structure, or refused.
    expect(ConditionSchema.parse("health_score < 60")).toEqual({ fact: "health_score", op: "lt", value: 60 });
    expect(ConditionSchema.safeParse("process.exit()").success).toBe(false);
    expect(ConditionSchema.safeParse("shoe_size > 3").success).toBe(false);
    expect(ConditionSchema.safeParse({ fact: "health_score", op: "lt" }).success).toBe(false);
    expect(ConditionSchema.safeParse({ fact: "health_score", op: "in", value: 3 }).success).toBe(false);
    expect(ConditionSchema.safeParse({ fact: "health_score", op: "matches", value: ".*" }).success).toBe(
      false,
    );
  });
});

describe("template definitions", () => {
  it("applies defaults and accepts every step type", () => {
    const def = DefinitionSchema.parse({
      name: "All types",
      steps: [
        email("a"),
        { id: "m", name: "m", type: "meeting", title: "t", agenda: "a", task_type: "day_30_checkin" },
        { id: "t", name: "t", type: "task", task_type: "renewal_prep" },
        { id: "w", name: "w", type: "wait", until: { anchor: "renewal_date", offset_days: -60 } },
        {
          id: "c",
          name: "c",
          type: "condition",
          condition: { fact: "meeting_held", op: "eq", value: true },
          if_true: "x",
          if_false: "end",
        },
        { id: "x", name: "x", type: "agent_action", agent_id: "tam", task: { type: "escalation_outreach" } },
      ],
    });
    expect(def.on_failure).toBe("stop");
    expect(def.triggers).toEqual([{ type: "manual" }]);
    expect(def.steps[0]).toMatchObject({ require_approval: false, on_reject: "skip", cc: [] });
    expect(def.steps[1]).toMatchObject({ attendees: ["customer"], slots: { count: 3 } });
  });

  it("refuses duplicate ids, backward or unknown jumps, unknown fields and unknown task types", () => {
    const issues = (steps: unknown[]) => {
      const r = DefinitionSchema.safeParse({ name: "x", steps });
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues([email("a"), email("a")])).toContain('duplicate step id "a"');
    expect(issues([email("a"), email("b", { next: "a" })])).toContain(
      '"a" is not after this step: jumps go forward only',
    );
    expect(issues([email("a", { next: "zzz" })])).toContain('unknown step "zzz"');
    expect(issues([email("a", { colour: "red" })]).join()).toMatch(/colour|Unrecognized|Invalid/);
    expect(issues([{ id: "t", name: "t", type: "task", task_type: "dance" }]).length).toBeGreaterThan(0);
    expect(issues([{ id: "w", name: "w", type: "wait" }]).length).toBeGreaterThan(0);
  });

  it("accepts the four kinds of trigger", () => {
    for (const t of [
      { type: "manual" },
      { type: "time", anchor: "renewal_date", when: "before", days: 90 },
      { type: "event", event: "churn.risk_flagged", min_level: "high" },
      { type: "event", event: "champion_left" },
      { type: "event", event: "health_drop" },
      { type: "condition", condition: { fact: "usage_change_pct", op: "lte", value: -20 } },
    ])
      expect(TriggerSchema.safeParse(t).success).toBe(true);
    expect(TriggerSchema.safeParse({ type: "event", event: "anything.at_all" }).success).toBe(false);
  });

  it("publish validation: unknown variables, agents, task types, account fields and execution-only trigger facts", () => {
    const def = DefinitionSchema.parse({
      name: "Bad",
      triggers: [{ type: "condition", condition: { fact: "response_received", op: "eq", value: true } }],
      steps: [
        email("a", { body: "Hi {{customer.nickname}}" }),
        { id: "b", name: "b", type: "agent_action", agent_id: "ghost", task: { type: "x" } },
        {
          id: "c",
          name: "c",
          type: "condition",
          condition: { fact: "account.shoe_size", op: "gt", value: 3 },
          if_true: "end",
          if_false: "end",
        },
        email("d", { to: "{{customer.champion}}" }),
      ],
    });
    const problems = validateForPublish(def, new Map());
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'triggers.0.condition: "response_received" is only known inside an execution, not in a trigger',
      "steps.0(a).body: unknown variable {{customer.nickname}}",
      'steps.1(b).agent_id: agent "ghost" is not registered (registered: none)',
      'steps.2(c).condition: unknown account field "account.shoe_size"',
      'steps.3(d): recipient "{{customer.champion}}" rendered to "Jordan Sample", not an email address',
    ]);
  });
});

describe("meeting slots and estimates", () => {
  it("proposes one slot per business day, cycling through the hours", () => {
    // Friday 2026-03-06 10:00 UTC; two days on is Sunday, so the first slot is Monday.
    const slots = proposeSlots(new Date("2026-03-06T10:00:00Z"), {
      count: 3,
      earliest_in_days: 2,
      hours_utc: [18, 15],
      duration_minutes: 30,
    });
    expect(slots).toEqual([
      { start: "2026-03-09T15:00:00.000Z", end: "2026-03-09T15:30:00.000Z" },
      { start: "2026-03-10T18:00:00.000Z", end: "2026-03-10T18:30:00.000Z" },
      { start: "2026-03-11T15:00:00.000Z", end: "2026-03-11T15:30:00.000Z" },
    ]);
  });

  it("estimates completion from waits, past step durations and the longer undecided branch", () => {
    const snapshot = DefinitionSchema.parse({
      name: "E",
      steps: [
        email("a"),
        { id: "w", name: "w", type: "wait", duration: { days: 2 } },
        {
          id: "c",
          name: "c",
          type: "condition",
          condition: { fact: "meeting_held", op: "eq", value: true },
          if_true: "long",
          if_false: "short",
        },
        { id: "long", name: "long", type: "wait", duration: { days: 5 }, next: "end" },
        email("short", { require_approval: true }),
      ],
    });
    const now = new Date("2026-03-02T09:00:00Z");
    const ex = {
      execution_id: "pbx",
      created_at: now.toISOString(),
      finished_at: null,
      current_step_id: "w",
      snapshot,
    } as unknown as Execution;
    const rows = [
      { step_id: "a", status: "completed" },
      { step_id: "w", status: "waiting", wake_at: "2026-03-04T09:00:00.000Z" },
    ] as StepExecution[];
    const e = estimate(ex, rows, new Map([["short", 3_600_000]]), SAMPLE_ACCOUNT, now);
    // 2 days of wait, then the longer branch: 5 days (the short one is 1 hour).
    expect(e.estimated_completion_at).toBe("2026-03-09T09:00:00.000Z");
    expect(e.remaining_seconds).toBe(7 * 86_400);
  });
});
