/**
 * Quality gates: the questions a CSM must answer to complete a task, so that a completion records what
 * was actually achieved. Pure: the queue calls validateGateAnswers inside the completion's transaction
 * and refuses the completion (422) with every problem listed.
 */
import type { QualityGate } from "./catalog-schema.js";

/** A rating gate is answered on a 5-point scale. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;

export type GateProblemCode = "missing" | "invalid" | "unknown";

export interface GateError {
  /** The gate id (or, for an unknown answer, its key). */
  gate: string;
  code: GateProblemCode;
  problem: string;
}

export type GateValidationResult = { ok: true } | { ok: false; errors: GateError[] };

/** Null, undefined or a blank string: the gate was left unanswered. */
const isUnanswered = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

function answerProblem(gate: QualityGate, value: unknown): string | null {
  switch (gate.gate_type) {
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "select": {
      const options = gate.options ?? [];
      return typeof value === "string" && options.includes(value)
        ? null
        : `must be one of: ${options.map((o) => JSON.stringify(o)).join(", ")}`;
    }
    case "text":
      return typeof value === "string" ? null : "must be a non-empty string";
    case "rating":
      return typeof value === "number" &&
        Number.isInteger(value) &&
        value >= RATING_MIN &&
        value <= RATING_MAX
        ? null
        : `must be an integer from ${RATING_MIN} to ${RATING_MAX}`;
  }
}

/**
 * Checks quality-gate answers (keyed by gate id) against the gates, by type: boolean a boolean, select
 * one of its options, text a non-empty string, rating an integer 1-5. Lists every problem at once, in
 * gate order, then the answers to gates that do not exist. A required gate left unanswered (missing,
 * null or blank) is "missing"; an optional one may be left unanswered, but an answer given is checked.
 */
export function validateGateAnswers(
  gates: ReadonlyArray<QualityGate>,
  answers: Record<string, unknown>,
): GateValidationResult {
  const errors: GateError[] = [];
  const ordered = [...gates].sort((a, b) => a.order - b.order);
  for (const gate of ordered) {
    const value = Object.hasOwn(answers, gate.id) ? answers[gate.id] : undefined;
    if (isUnanswered(value)) {
      if (gate.required)
        errors.push({ gate: gate.id, code: "missing", problem: `required: ${gate.question}` });
      continue;
    }
    const problem = answerProblem(gate, value);
    if (problem !== null) errors.push({ gate: gate.id, code: "invalid", problem });
  }
  const known = new Set(gates.map((g) => g.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) errors.push({ gate: key, code: "unknown", problem: "no such quality gate" });
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
