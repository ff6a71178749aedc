import { describe, expect, it } from "vitest";
import {
  CallPlaybookSchema,
  TASK_TYPE_SLUGS,
  TaskTypeDefinitionSchema,
} from "../../src/domain/tasks/catalog-schema.js";
import { CALL_PLAYBOOKS, getCallPlaybook, getTaskType, TASK_TYPES } from "../../src/queue/catalog.js";

describe("task types", () => {
  it("has the 9 task types with their category, priority and SLA", () => {
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

  it("encodes the generation rules' thresholds", () => {
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

  it("carries the reference content for onboarding stall, day 30 and at-risk recovery", () => {
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
