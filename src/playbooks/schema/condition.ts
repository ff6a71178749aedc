import { z } from "zod";
import { COMPARISON_OPS, type Condition } from "../conditions/ast.js";
import { parseExpression } from "../conditions/expression.js";

/**
 * Conditions as a template writes them (a condition step, a condition trigger): structured JSON, or an
 * expression string that parses to the same structure. Never evaluated as code.
 */

/**
 * Facts a condition may test. `account.<field>` reaches any account field; the others are derived:
 * health_score (CSM score, else the latest history point), usage_change_pct (last 4 weeks against the
 * 4 before), response_received and meeting_held (flags set over the API; a meeting also counts as held
 * when the queue task of a meeting step was completed), elapsed_days/hours since the execution started.
 */
export const EXECUTION_FACTS = [
  "health_score",
  "health_rag",
  "churn_risk",
  "usage_change_pct",
  "days_to_renewal",
  "days_since_signup",
  "response_received",
  "meeting_held",
  "elapsed_days",
  "elapsed_hours",
] as const;
/** Facts that need an execution (not available to condition triggers, which have none yet). */
export const EXECUTION_ONLY_FACTS = [
  "response_received",
  "meeting_held",
  "elapsed_days",
  "elapsed_hours",
] as const;

const factName = z
  .string()
  .refine((f) => (EXECUTION_FACTS as readonly string[]).includes(f) || /^account\.[a-z][a-z0-9_]*$/.test(f), {
    message: `unknown fact; use one of ${EXECUTION_FACTS.join(", ")} or account.<field>`,
  });

const scalar = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

export const ComparisonSchema = z
  .strictObject({
    fact: factName,
    op: z.enum(COMPARISON_OPS),
    value: z.union([scalar, z.array(scalar).max(50)]).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.op === "exists") return;
    if (c.value === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: `op ${c.op} needs a value` });
    const isList = Array.isArray(c.value);
    if ((c.op === "in" || c.op === "not_in") && !isList)
      ctx.addIssue({ code: "custom", path: ["value"], message: `op ${c.op} needs a list` });
    if (!(c.op === "in" || c.op === "not_in") && isList)
      ctx.addIssue({ code: "custom", path: ["value"], message: `op ${c.op} needs a single value` });
  });
export const StructuredConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    ComparisonSchema,
    z.strictObject({ all: z.array(StructuredConditionSchema).min(1).max(20) }),
    z.strictObject({ any: z.array(StructuredConditionSchema).min(1).max(20) }),
    z.strictObject({ not: StructuredConditionSchema }),
  ]),
);

/**
 * The same condition written in the small expression language (expression.ts), e.g.
 * `health_score < 60 and not response_received`: parsed into the structured form at validation, which
 * is what is stored and evaluated.
 */
export const ConditionExpressionSchema = z
  .string()
  .min(1)
  .max(2_000)
  .transform((src, ctx): Condition => {
    let parsed: Condition;
    try {
      parsed = parseExpression(src);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `condition expression: ${(err as Error).message}` });
      return z.NEVER;
    }
    const checked = StructuredConditionSchema.safeParse(parsed);
    if (!checked.success) {
      for (const issue of checked.error.issues)
        ctx.addIssue({ code: "custom", message: `condition expression: ${issue.message}` });
      return z.NEVER;
    }
    return checked.data;
  });

/** A condition: structured JSON, or an expression string that parses to one. */
export const ConditionSchema = z.union([StructuredConditionSchema, ConditionExpressionSchema]);
