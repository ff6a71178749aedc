import { describe, expect, it } from "vitest";
import type { QualityGate } from "../../../src/domain/tasks/catalog-schema.js";
import { validateGateAnswers } from "../../../src/domain/tasks/quality-gates.js";
import { getTaskType } from "../../../src/queue/catalog.js";

describe("validateGateAnswers", () => {
  const gates: QualityGate[] = [
    { id: "done", question: "Done?", gate_type: "boolean", required: true, options: null, order: 1 },
    {
      id: "renewal",
      question: "On track?",
      gate_type: "select",
      required: true,
      options: ["Yes", "No", "Unsure"],
      order: 2,
    },
    { id: "notes", question: "Notes", gate_type: "text", required: false, options: null, order: 3 },
    { id: "rating", question: "Rating", gate_type: "rating", required: true, options: null, order: 4 },
  ];
  const valid = { done: true, renewal: "Unsure", notes: "called twice", rating: 3 };

  it("accepts valid answers (rating 3 ok, optional text may be left out)", () => {
    expect(validateGateAnswers(gates, valid)).toEqual({ ok: true });
    expect(validateGateAnswers(gates, { done: false, renewal: "No", rating: 3 })).toEqual({ ok: true });
  });

  it("lists every missing required gate", () => {
    expect(validateGateAnswers(gates, {})).toEqual({
      ok: false,
      errors: [
        { gate: "done", code: "missing", problem: "required: Done?" },
        { gate: "renewal", code: "missing", problem: "required: On track?" },
        { gate: "rating", code: "missing", problem: "required: Rating" },
      ],
    });
    // null and blank count as unanswered
    const result = validateGateAnswers(gates, { ...valid, done: null, renewal: "  " });
    expect(result.ok ? [] : result.errors.map((e) => [e.gate, e.code])).toEqual([
      ["done", "missing"],
      ["renewal", "missing"],
    ]);
  });

  it("refuses a select answer outside its options", () => {
    const result = validateGateAnswers(gates, { ...valid, renewal: "Maybe" });
    expect(result).toEqual({
      ok: false,
      errors: [{ gate: "renewal", code: "invalid", problem: 'must be one of: "Yes", "No", "Unsure"' }],
    });
  });

  it.each([0, 6, 2.5, "3", true])("refuses rating %j", (rating) => {
    const result = validateGateAnswers(gates, { ...valid, rating });
    expect(result).toEqual({
      ok: false,
      errors: [{ gate: "rating", code: "invalid", problem: "must be an integer from 1 to 5" }],
    });
  });

  it.each([1, 3, 5])("accepts rating %i", (rating) => {
    expect(validateGateAnswers(gates, { ...valid, rating })).toEqual({ ok: true });
  });

  it("refuses a non-boolean for a boolean gate and a non-string for a text gate", () => {
    const result = validateGateAnswers(gates, { ...valid, done: "yes", notes: 42 });
    expect(result.ok ? [] : result.errors).toEqual([
      { gate: "done", code: "invalid", problem: "must be true or false" },
      { gate: "notes", code: "invalid", problem: "must be a non-empty string" },
    ]);
  });

  it("refuses an answer to an unknown gate", () => {
    expect(validateGateAnswers(gates, { ...valid, mood: "great" })).toEqual({
      ok: false,
      errors: [{ gate: "mood", code: "unknown", problem: "no such quality gate" }],
    });
  });

  it("reports missing, invalid and unknown together", () => {
    const result = validateGateAnswers(gates, { renewal: "Maybe", rating: 0, extra: 1 });
    expect(result.ok ? [] : result.errors.map((e) => [e.gate, e.code])).toEqual([
      ["done", "missing"],
      ["renewal", "invalid"],
      ["rating", "invalid"],
      ["extra", "unknown"],
    ]);
  });

  it("does not mistake inherited properties for answers", () => {
    const result = validateGateAnswers(
      [{ id: "toString", question: "T", gate_type: "text", required: true, options: null, order: 1 }],
      {},
    );
    expect(result.ok).toBe(false);
  });

  it("validates a real task type's gates", () => {
    const gatesOfType = getTaskType("at_risk_recovery").quality_gates;
    expect(
      validateGateAnswers(gatesOfType, {
        root_cause_identified: true,
        primary_risk_factor: "Budget",
        recovery_action_taken: true,
        customer_retained: "Yes - saved",
      }),
    ).toEqual({ ok: true });
  });
});
