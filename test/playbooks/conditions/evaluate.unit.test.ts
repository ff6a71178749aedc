import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/playbooks/conditions/evaluate.js";
import { ConditionSchema } from "../../../src/playbooks/schema/condition.js";

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
