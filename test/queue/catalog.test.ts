import { describe, expect, it } from "vitest";
import {
  CALL_PLAYBOOKS,
  CallPlaybookSchema,
  getCallPlaybook,
  getTaskType,
  type QualityGate,
  QualityGateSchema,
  TASK_TYPE_SLUGS,
  TASK_TYPES,
  TaskTypeDefinitionSchema,
  validateGateAnswers,
} from "../../src/queue/catalog.js";

describe("task types (seed 000 §1.2)", () => {
  it("has the 9 seeded types with their category, priority and SLA", () => {
    expect(TASK_TYPES.map((t) => [t.slug, t.name, t.category, t.default_priority, t.sla_hours])).toEqual([
      ["onboarding_stall", "Onboarding Stall Recovery", "onboarding", "urgent", 24],
      ["day_30_checkin", "Day 30 Check-in", "adoption", "high", 48],
      ["day_60_checkin", "Day 60 Check-in", "adoption", "standard", 72],
      ["day_90_qbr", "Day 90 QBR", "retention", "high", 48],
      ["at_risk_recovery", "At-Risk Recovery", "retention", "urgent", 24],
      ["health_score_drop", "Health Score Drop Alert", "retention", "high", 24],
      ["renewal_prep", "Renewal Preparation", "renewal", "urgent", 48],
      ["nps_detractor_followup", "NPS Detractor Follow-up", "retention", "urgent", 24],
      ["expansion_opportunity", "Expansion Opportunity", "expansion", "standard", 72],
    ]);
  });

  it("slugs are unique and match TASK_TYPE_SLUGS", () => {
    const slugs = TASK_TYPES.map((t) => t.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect([...slugs].sort()).toEqual([...TASK_TYPE_SLUGS].sort());
  });

  it.each(TASK_TYPES.map((t) => [t.slug, t] as const))("%s is a valid task type", (_slug, taskType) => {
    expect(() => TaskTypeDefinitionSchema.parse(taskType)).not.toThrow();
    expect(taskType.description.length).toBeGreaterThan(20);
    expect(taskType.required_outcomes.length).toBeGreaterThan(0);
    expect(taskType.quality_gates.some((g) => g.required)).toBe(true);
    expect(getTaskType(taskType.slug)).toBe(taskType);
  });

  it("encodes the generation rules of issue 7", () => {
    expect(getTaskType("onboarding_stall").auto_trigger_conditions).toMatchObject({ stalled_days: 7 });
    expect(getTaskType("day_60_checkin").auto_trigger_conditions).toEqual({
      rule: "signup_milestone",
      days_since_signup: 60,
      window_days: 3,
    });
    expect(getTaskType("at_risk_recovery").auto_trigger_conditions).toEqual({
      rule: "churn_risk",
      churn_risk_in: ["high", "critical"],
    });
    expect(getTaskType("renewal_prep").auto_trigger_conditions).toEqual({
      rule: "renewal_window",
      days_to_renewal_max: 90,
    });
    expect(getTaskType("expansion_opportunity").auto_trigger_conditions).toEqual({
      rule: "event",
      on_events: ["expansion.identified"],
    });
  });
});

describe("call playbooks", () => {
  it("there is exactly one per task type", () => {
    expect(Object.keys(CALL_PLAYBOOKS).sort()).toEqual([...TASK_TYPE_SLUGS].sort());
  });

  it.each(TASK_TYPE_SLUGS.map((slug) => [slug]))("%s has every part", (slug) => {
    const playbook = getCallPlaybook(slug);
    expect(() => CallPlaybookSchema.parse(playbook)).not.toThrow();
    expect(playbook.task_type_slug).toBe(slug);
    expect(playbook.name).toBe(getTaskType(slug).name);
    expect(playbook.objective.length).toBeGreaterThan(10);
    expect(playbook.context_fields.length).toBeGreaterThanOrEqual(3);
    expect(playbook.opening_script).toMatch(/\[[a-z_ ]+\]/); // has [placeholders]
    expect(playbook.key_questions.length).toBeGreaterThanOrEqual(3);
    expect(playbook.objection_handlers.length).toBeGreaterThanOrEqual(2);
    for (const handler of playbook.objection_handlers) {
      expect(handler.trigger.length).toBeGreaterThan(0);
      expect(handler.response.length).toBeGreaterThan(0);
    }
    expect(new Set(playbook.objection_handlers.map((h) => h.id)).size).toBe(
      playbook.objection_handlers.length,
    );
    expect(playbook.success_criteria.length).toBeGreaterThan(10);
    expect(playbook.estimated_duration_minutes).toBeGreaterThan(0);
    // The gates the playbook shows are the gates completion enforces.
    expect(playbook.quality_gates).toBe(getTaskType(slug).quality_gates);
  });

  it("carries the seed's Phase 4 content for onboarding stall, day 30 and at-risk recovery", () => {
    const stall = CALL_PLAYBOOKS.onboarding_stall;
    expect(stall.objective).toBe("Get customer to complete [missing_step] today");
    expect(stall.objection_handlers.map((h) => h.trigger)).toEqual([
      "Been busy/traveling",
      "I'll do it later",
      "Having technical issues",
      "Not sure I need this",
    ]);
    expect(stall.success_criteria).toBe(
      "Customer completes missing step OR concrete follow-up scheduled within 48 hours",
    );
    expect(stall.quality_gates.map((g) => [g.question, g.gate_type, g.required])).toEqual([
      ["Did customer complete the missing step?", "boolean", true],
      ["If not completed, what is the specific blocker?", "text", false],
      ["Is follow-up scheduled?", "boolean", true],
    ]);

    const day30 = CALL_PLAYBOOKS.day_30_checkin;
    expect(day30.key_questions).toHaveLength(4);
    expect(day30.quality_gates.find((g) => g.id === "on_track_for_renewal")?.options).toEqual([
      "Yes",
      "No",
      "Unsure",
    ]);

    const atRisk = CALL_PLAYBOOKS.at_risk_recovery;
    expect(atRisk.objective).toBe("Understand root cause, create recovery plan, prevent churn");
    expect(atRisk.objection_handlers.map((h) => h.trigger)).toEqual([
      "Thinking of canceling",
      "Not getting value",
      "Too expensive",
    ]);
    expect(atRisk.quality_gates.find((g) => g.id === "customer_retained")?.options).toEqual([
      "Yes - saved",
      "Yes - at risk",
      "No - churned",
      "Pending",
    ]);
  });
});

describe("QualityGateSchema", () => {
  const gate = {
    id: "g",
    question: "Q?",
    gate_type: "select",
    required: true,
    options: ["A", "B"],
    order: 1,
  };

  it("accepts a select gate with options", () => {
    expect(QualityGateSchema.safeParse(gate).success).toBe(true);
  });

  it("refuses a select gate without options, and options on another type", () => {
    expect(QualityGateSchema.safeParse({ ...gate, options: null }).success).toBe(false);
    expect(QualityGateSchema.safeParse({ ...gate, gate_type: "boolean" }).success).toBe(false);
    expect(QualityGateSchema.safeParse({ ...gate, gate_type: "rating", options: null }).success).toBe(true);
  });

  it("refuses unknown fields and gate types", () => {
    expect(QualityGateSchema.safeParse({ ...gate, type: "select" }).success).toBe(false);
    expect(QualityGateSchema.safeParse({ ...gate, gate_type: "number" }).success).toBe(false);
  });
});

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
