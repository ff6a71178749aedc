import type { Comparison, Condition } from "./ast.js";
import { formatCondition } from "./expression.js";

/**
 * The condition language: structured comparisons joined by all/any/not, evaluated against a table of
 * facts. Nothing is parsed or evaluated as code. Pure: facts are gathered before (facts.ts).
 */

export type Facts = Readonly<Record<string, unknown>>;

export interface ComparisonTrace {
  fact: string;
  op: string;
  expected: unknown;
  actual: unknown;
  result: boolean;
}

export interface Evaluation {
  result: boolean;
  /** Each comparison that was evaluated, in order: what the execution view shows for a branch. */
  trace: ComparisonTrace[];
}

/** The facts a condition reads, so only those are fetched. */
export function factsOf(c: Condition, into = new Set<string>()): Set<string> {
  if ("all" in c) for (const x of c.all) factsOf(x, into);
  else if ("any" in c) for (const x of c.any) factsOf(x, into);
  else if ("not" in c) factsOf(c.not, into);
  else into.add(c.fact);
  return into;
}

const isMissing = (v: unknown) => v === null || v === undefined || v === "";

function compare(c: Comparison, actual: unknown): boolean {
  const expected = c.value;
  switch (c.op) {
    case "exists":
      return Array.isArray(actual) ? actual.length > 0 : !isMissing(actual);
    case "eq":
      return actual === expected || (isMissing(actual) && expected === null);
    case "neq":
      return !(actual === expected || (isMissing(actual) && expected === null));
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      // A missing number is unknown, and an unknown never satisfies a threshold.
      if (typeof actual !== "number" || typeof expected !== "number") return false;
      if (c.op === "lt") return actual < expected;
      if (c.op === "lte") return actual <= expected;
      if (c.op === "gt") return actual > expected;
      return actual >= expected;
    }
    case "in":
      return Array.isArray(expected) && expected.includes(actual as never);
    case "not_in":
      return Array.isArray(expected) && !expected.includes(actual as never);
    case "contains":
      if (Array.isArray(actual)) return actual.includes(expected);
      return typeof actual === "string" && typeof expected === "string" && actual.includes(expected);
  }
}

export function evaluate(c: Condition, facts: Facts): Evaluation {
  const trace: ComparisonTrace[] = [];
  const run = (x: Condition): boolean => {
    if ("all" in x) return x.all.every(run);
    if ("any" in x) return x.any.some(run);
    if ("not" in x) return !run(x.not);
    const actual = facts[x.fact] ?? null;
    const result = compare(x, actual);
    trace.push({ fact: x.fact, op: x.op, expected: x.value ?? null, actual, result });
    return result;
  };
  return { result: run(c), trace };
}

/** A one-line reading of a condition, in the expression syntax (it parses back to the same condition). */
export const describeCondition = (c: Condition): string => formatCondition(c);
