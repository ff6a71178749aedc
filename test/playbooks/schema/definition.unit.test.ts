import { describe, expect, it } from "vitest";
import { DefinitionSchema } from "../../../src/playbooks/schema/definition.js";
import { TriggerSchema } from "../../../src/playbooks/schema/triggers.js";
import { email } from "../sample-steps.js";

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
});
