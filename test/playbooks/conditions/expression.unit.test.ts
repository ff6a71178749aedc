import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Condition } from "../../../src/playbooks/conditions/ast.js";
import { evaluate } from "../../../src/playbooks/conditions/evaluate.js";
import {
  ExpressionError,
  formatCondition,
  parseExpression,
} from "../../../src/playbooks/conditions/expression.js";
import { ConditionSchema, StructuredConditionSchema } from "../../../src/playbooks/schema/condition.js";

/** The condition language: text that parses into the structured conditions, never evaluated as code. */

describe("the condition expression language", () => {
  it("parses comparisons, lists, flags and every operator", () => {
    expect(parseExpression("health_score < 60")).toEqual({ fact: "health_score", op: "lt", value: 60 });
    expect(parseExpression("usage_change_pct <= -20.5")).toEqual({
      fact: "usage_change_pct",
      op: "lte",
      value: -20.5,
    });
    expect(parseExpression("days_to_renewal > 1e2")).toEqual({
      fact: "days_to_renewal",
      op: "gt",
      value: 100,
    });
    expect(parseExpression("elapsed_days >= 7")).toEqual({ fact: "elapsed_days", op: "gte", value: 7 });
    expect(parseExpression('churn_risk == "high"')).toEqual({ fact: "churn_risk", op: "eq", value: "high" });
    expect(parseExpression("account.champion != null")).toEqual({
      fact: "account.champion",
      op: "neq",
      value: null,
    });
    expect(parseExpression("churn_risk in ['high', \"critical\"]")).toEqual({
      fact: "churn_risk",
      op: "in",
      value: ["high", "critical"],
    });
    expect(parseExpression('account.tier not in ["low_value"]')).toEqual({
      fact: "account.tier",
      op: "not_in",
      value: ["low_value"],
    });
    expect(parseExpression("account.features_used contains 'alerts'")).toEqual({
      fact: "account.features_used",
      op: "contains",
      value: "alerts",
    });
    expect(parseExpression("account.champion exists")).toEqual({ fact: "account.champion", op: "exists" });
    expect(parseExpression("response_received")).toEqual({
      fact: "response_received",
      op: "eq",
      value: true,
    });
    expect(parseExpression("meeting_held == false")).toEqual({
      fact: "meeting_held",
      op: "eq",
      value: false,
    });
    expect(parseExpression(String.raw`account.name == 'O\'Brien "Co"\n'`)).toEqual({
      fact: "account.name",
      op: "eq",
      value: `O'Brien "Co"\n`,
    });
  });

  it("joins with not, and, or (in that order of binding) and parentheses", () => {
    const a = { fact: "health_score", op: "lt", value: 60 };
    const b = { fact: "response_received", op: "eq", value: true };
    const c = { fact: "meeting_held", op: "eq", value: true };
    expect(parseExpression("health_score < 60 or response_received and meeting_held")).toEqual({
      any: [a, { all: [b, c] }],
    });
    expect(parseExpression("(health_score < 60 or response_received) and meeting_held")).toEqual({
      all: [{ any: [a, b] }, c],
    });
    expect(parseExpression("not response_received and health_score < 60")).toEqual({ all: [{ not: b }, a] });
    expect(parseExpression("NOT (response_received OR meeting_held) AND health_score < 60")).toEqual({
      all: [{ not: { any: [b, c] } }, a],
    });
    expect(parseExpression("health_score < 60 and response_received and meeting_held")).toEqual({
      all: [a, b, c],
    });
  });

  it("refuses anything that is not the language, saying where", () => {
    const refused = (src: string) => {
      try {
        parseExpression(src);
      } catch (err) {
        expect(err).toBeInstanceOf(ExpressionError);
        return (err as Error).message;
      }
      throw new Error(`accepted: ${src}`);
    };
    expect(refused("health_score = 60")).toBe('use "==" to compare (at character 14)');
    expect(refused("process.exit()")).toMatch(/^unexpected "\("/);
    expect(refused("health_score < 60; drop")).toMatch(/^unexpected ";"/);
    expect(refused("health_score < ")).toBe("expected a value, found the end (at character 16)");
    expect(refused("health_score < other_fact")).toMatch(/^expected a value, found "other_fact"/);
    expect(refused("churn_risk == 'high")).toMatch(/^unterminated string/);
    expect(refused("(health_score < 60")).toMatch(/^expected "\)"/);
    expect(refused("health_score < 60 response_received")).toMatch(/^unexpected "response_received"/);
    expect(refused("and")).toMatch(/^expected a fact name/);
    expect(refused("")).toMatch(/^expected a fact name, found the end/);
    expect(refused("`rm -rf`")).toMatch(/^unexpected "`"/);
    expect(refused(`${"(".repeat(12)}response_received${")".repeat(12)}`)).toMatch(/^too deeply nested/);
    expect(refused("churn_risk in []")).toMatch(/^expected a value/);
  });

  it("the schema takes either form and stores the structure; unknown facts are refused either way", () => {
    expect(ConditionSchema.parse("health_score < 60 and not response_received")).toEqual(
      StructuredConditionSchema.parse({
        all: [
          { fact: "health_score", op: "lt", value: 60 },
          { not: { fact: "response_received", op: "eq", value: true } },
        ],
      }),
    );
    const bad = ConditionSchema.safeParse("shoe_size > 3");
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/unknown fact/);
    expect(ConditionSchema.safeParse("churn_risk in 3").success).toBe(false);
  });

  it("formats any condition in the language, and the text parses back to the same condition", () => {
    const fact = fc.constantFrom(
      "health_score",
      "churn_risk",
      "response_received",
      "account.tier",
      "account.champion",
    );
    const scalar = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.integer({ min: -10_000, max: 10_000 }).map((n) => n / 100),
      fc.string({ maxLength: 12 }),
      fc.boolean(),
      fc.constant(null),
    );
    const comparison = fc.oneof(
      fc.record({
        fact,
        op: fc.constantFrom("eq", "neq", "lt", "lte", "gt", "gte", "contains"),
        value: scalar,
      }),
      fc.record({
        fact,
        op: fc.constantFrom("in", "not_in"),
        value: fc.array(scalar, { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ fact, op: fc.constant("exists") }),
    ) as fc.Arbitrary<Condition>;
    const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
      condition: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        comparison,
        fc.record({ all: fc.array(tie("condition"), { minLength: 2, maxLength: 3 }) }),
        fc.record({ any: fc.array(tie("condition"), { minLength: 2, maxLength: 3 }) }),
        fc.record({ not: tie("condition") }),
      ),
    }));
    fc.assert(
      fc.property(condition, (c) => {
        const text = formatCondition(c);
        expect(parseExpression(text), text).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });

  it("an expression and its structure decide the same for the same facts", () => {
    const text = 'health_score < 60 and (churn_risk in ["high", "critical"] or not response_received)';
    const c = ConditionSchema.parse(text);
    const facts = (health: number, churn: string, replied: boolean) => ({
      health_score: health,
      churn_risk: churn,
      response_received: replied,
    });
    expect(evaluate(c, facts(50, "high", true)).result).toBe(true);
    expect(evaluate(c, facts(50, "low", true)).result).toBe(false);
    expect(evaluate(c, facts(50, "low", false)).result).toBe(true);
    expect(evaluate(c, facts(70, "critical", false)).result).toBe(false);
  });
});
