/**
 * A condition as it is stored and evaluated: comparisons of a fact with a value, joined by all/any/not.
 * Both ways of writing one produce it: the structured JSON (validated by schema/condition.ts) and the
 * expression language (parsed by expression.ts).
 */

export const COMPARISON_OPS = [
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "in",
  "not_in",
  "exists",
  "contains",
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export type Scalar = string | number | boolean | null;

export interface Comparison {
  fact: string;
  op: ComparisonOp;
  /** None for `exists`; a list for `in` and `not_in`; a single value for the others. */
  value?: Scalar | Scalar[] | undefined;
}

export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };
