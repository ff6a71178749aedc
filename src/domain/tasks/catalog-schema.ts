/**
 * The shape of the CSM task catalogue: task types, the quality gates a CSM answers to complete one, the
 * call playbook that goes with each, and the conditions under which the generator creates a task of a
 * type. Content (src/queue/catalog/content/) is validated against these schemas in its tests.
 *
 * A task type and its playbook share one gate list, so the gates a CSM sees in the playbook are the
 * gates completion enforces (quality-gates.ts). Numeric ids are assigned by the store when it syncs the
 * catalogue; here a playbook names its task type by slug.
 */
import { z } from "zod";
import { TASK_PRIORITIES } from "../priority.js";
import { CHURN_LEVELS } from "../types.js";

// --- enums -------------------------------------------------------------------------------------------

export const TASK_TYPE_SLUGS = [
  "onboarding_stall",
  "day_30_checkin",
  "day_60_checkin",
  "day_90_qbr",
  "at_risk_recovery",
  "health_score_drop",
  "renewal_prep",
  "nps_detractor_followup",
  "expansion_opportunity",
] as const;
export type TaskTypeSlug = (typeof TASK_TYPE_SLUGS)[number];
export const TaskTypeSlugSchema = z.enum(TASK_TYPE_SLUGS);

export function isTaskTypeSlug(value: string): value is TaskTypeSlug {
  return (TASK_TYPE_SLUGS as readonly string[]).includes(value);
}

export const TASK_CATEGORIES = ["onboarding", "adoption", "retention", "expansion", "renewal"] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

export const GATE_TYPES = ["boolean", "select", "text", "rating"] as const;
export type GateType = (typeof GATE_TYPES)[number];

// --- schemas -----------------------------------------------------------------------------------------

export const QualityGateSchema = z
  .strictObject({
    id: z.string().min(1),
    question: z.string().min(1),
    gate_type: z.enum(GATE_TYPES),
    required: z.boolean(),
    /** The choices of a select gate; null for every other gate type. */
    options: z.array(z.string().min(1)).min(1).nullable(),
    order: z.number().int().nonnegative(),
  })
  .superRefine((gate, ctx) => {
    if (gate.gate_type === "select") {
      if (gate.options === null) {
        ctx.addIssue({ code: "custom", path: ["options"], message: "a select gate needs options" });
      } else if (new Set(gate.options).size !== gate.options.length) {
        ctx.addIssue({ code: "custom", path: ["options"], message: "options must be unique" });
      }
    } else if (gate.options !== null) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `a ${gate.gate_type} gate has no options` });
    }
  });
export type QualityGate = z.infer<typeof QualityGateSchema>;

/** A task type's gate list: ids unique. */
export const QualityGatesSchema = z.array(QualityGateSchema).superRefine((gates, ctx) => {
  const seen = new Set<string>();
  for (const gate of gates) {
    if (seen.has(gate.id)) ctx.addIssue({ code: "custom", message: `duplicate gate id "${gate.id}"` });
    seen.add(gate.id);
  }
});

export const ObjectionHandlerSchema = z.strictObject({
  id: z.string().min(1),
  /** What the customer might say. */
  trigger: z.string().min(1),
  /** How to respond. */
  response: z.string().min(1),
  order: z.number().int().nonnegative(),
});
export type ObjectionHandler = z.infer<typeof ObjectionHandlerSchema>;

export const CallPlaybookSchema = z.strictObject({
  task_type_slug: TaskTypeSlugSchema,
  name: z.string().min(1),
  version: z.string().min(1),
  objective: z.string().min(1),
  /** What data to show the CSM next to the script. */
  context_fields: z.array(z.string().min(1)).min(1),
  /** Read aloud with [placeholders] filled from the customer context. */
  opening_script: z.string().min(1),
  key_questions: z.array(z.string().min(1)).min(1),
  objection_handlers: z.array(ObjectionHandlerSchema),
  success_criteria: z.string().min(1),
  quality_gates: QualityGatesSchema,
  estimated_duration_minutes: z.number().int().positive(),
  is_active: z.boolean(),
});
export type CallPlaybook = z.infer<typeof CallPlaybookSchema>;

/**
 * When the generator creates a task of a type, as data (generation-rules.ts reads it). `on_events` lists
 * bus events that also create the task for the event's account.
 */
export const AutoTriggerConditionsSchema = z.discriminatedUnion("rule", [
  z.strictObject({
    /** An onboarding account with no onboarding step completed for `stalled_days`. */
    rule: z.literal("onboarding_stall"),
    account_status: z.literal("Onboarding"),
    stalled_days: z.number().int().positive(),
  }),
  z.strictObject({
    /** Days since signup within `window_days` of the milestone day. */
    rule: z.literal("signup_milestone"),
    days_since_signup: z.number().int().positive(),
    window_days: z.number().int().nonnegative(),
  }),
  z.strictObject({
    rule: z.literal("churn_risk"),
    churn_risk_in: z.array(z.enum(CHURN_LEVELS)).min(1),
  }),
  z.strictObject({
    /** The CSM health score fell by at least `min_drop_points` within `within_days`. */
    rule: z.literal("health_score_drop"),
    min_drop_points: z.number().positive(),
    within_days: z.number().int().positive(),
    on_events: z.array(z.string().min(1)),
  }),
  z.strictObject({
    rule: z.literal("renewal_window"),
    days_to_renewal_max: z.number().int().positive(),
  }),
  z.strictObject({
    /** An NPS response at or below `nps_max` given within the last `within_days`. */
    rule: z.literal("nps_detractor"),
    nps_max: z.number().int().min(0).max(10),
    within_days: z.number().int().positive(),
  }),
  z.strictObject({
    rule: z.literal("event"),
    on_events: z.array(z.string().min(1)).min(1),
  }),
]);
export type AutoTriggerConditions = z.infer<typeof AutoTriggerConditionsSchema>;

export const TaskTypeDefinitionSchema = z.strictObject({
  slug: TaskTypeSlugSchema,
  name: z.string().min(1),
  description: z.string().min(1),
  category: z.enum(TASK_CATEGORIES),
  default_priority: z.enum(TASK_PRIORITIES),
  sla_hours: z.number().int().positive(),
  /** The outcomes that count as this task's objective achieved (any one of them). */
  required_outcomes: z.array(z.string().min(1)).min(1),
  quality_gates: QualityGatesSchema,
  auto_trigger_conditions: AutoTriggerConditionsSchema,
  is_active: z.boolean(),
});
export type TaskTypeDefinition = z.infer<typeof TaskTypeDefinitionSchema>;
