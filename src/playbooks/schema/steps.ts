import { z } from "zod";
import { TaskTypeSlugSchema } from "../../domain/tasks/catalog-schema.js";
import { ConditionSchema } from "./condition.js";

/** The steps of a playbook: what each type does, what it may jump to, what may gate it. */

export const STEP_ID = /^[a-z][a-z0-9_]{0,63}$/;
const stepId = z.string().regex(STEP_ID, "step ids are lower_snake_case, starting with a letter");
/** A jump target: a later step, or "end". */
const target = z.union([stepId, z.literal("end")]);
const template = (max: number) => z.string().max(max);

// --- steps -------------------------------------------------------------------------------------------------

const stepBase = {
  id: stepId,
  name: z.string().min(1).max(120),
  /** Where to go after this step (default: the next step in the list). Forward only. */
  next: target.optional(),
};

/** Steps with a side effect may wait for a person's approval first. */
const gated = {
  require_approval: z.boolean().default(false),
  /** What a rejection does: skip this step and carry on, or stop the execution. */
  on_reject: z.enum(["skip", "stop"]).default("skip"),
  /** Overrides the template's on_failure for this step. */
  on_failure: z.enum(["stop", "continue"]).optional(),
  max_attempts: z.number().int().min(1).max(10).optional(),
};

/**
 * Who gets a draft: the customer contact (the contact given at start, else the CSM owner's mailbox so
 * the CSM addresses it), the CSM owner, the account executive, or a template rendering an address.
 */
export const RecipientSchema = z.union([
  z.enum(["customer", "csm", "account_executive"]),
  template(200).min(1),
]);

export const EmailStepSchema = z.strictObject({
  ...stepBase,
  ...gated,
  type: z.literal("email"),
  to: RecipientSchema.default("customer"),
  cc: z.array(RecipientSchema).max(10).default([]),
  subject: template(300).min(1),
  body: template(20_000).min(1),
});

export const MeetingStepSchema = z.strictObject({
  ...stepBase,
  ...gated,
  type: z.literal("meeting"),
  title: template(200).min(1),
  agenda: template(10_000).min(1),
  attendees: z.array(RecipientSchema).min(1).max(10).default(["customer"]),
  duration_minutes: z.number().int().min(15).max(480).default(30),
  /** Proposed slots: `count` business-day slots at the given UTC hours, from `earliest_in_days` on. */
  slots: z
    .strictObject({
      count: z.number().int().min(1).max(10).default(3),
      earliest_in_days: z.number().int().min(0).max(60).default(2),
      hours_utc: z.array(z.number().int().min(0).max(23)).min(1).max(8).default([15, 18]),
    })
    .default({ count: 3, earliest_in_days: 2, hours_utc: [15, 18] }),
  /** The CSM queue task that holds the meeting until it is held. */
  task_type: TaskTypeSlugSchema,
});

export const TaskStepSchema = z.strictObject({
  ...stepBase,
  ...gated,
  type: z.literal("task"),
  task_type: TaskTypeSlugSchema,
  due_in_days: z.number().int().min(0).max(365).optional(),
  note: template(5_000).optional(),
});

const DurationSchema = z
  .strictObject({
    days: z.number().min(0).max(730).optional(),
    hours: z
      .number()
      .min(0)
      .max(24 * 730)
      .optional(),
    minutes: z
      .number()
      .min(0)
      .max(60 * 24 * 730)
      .optional(),
  })
  .refine((d) => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0, "a duration must be positive");
export type Duration = z.infer<typeof DurationSchema>;

export const WAIT_ANCHORS = ["renewal_date", "signup_date", "execution_start"] as const;

export const WaitStepSchema = z
  .strictObject({
    ...stepBase,
    type: z.literal("wait"),
    duration: DurationSchema.optional(),
    /** Until a date: an account date (or the execution's start) plus offset_days (negative = before). */
    until: z
      .strictObject({ anchor: z.enum(WAIT_ANCHORS), offset_days: z.number().int().min(-730).max(730) })
      .optional(),
  })
  .refine(
    (s) => (s.duration === undefined) !== (s.until === undefined),
    "a wait has either duration or until",
  );

export const ConditionStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal("condition"),
  condition: ConditionSchema,
  if_true: target,
  if_false: target,
});

export const AgentActionStepSchema = z.strictObject({
  ...stepBase,
  ...gated,
  type: z.literal("agent_action"),
  agent_id: z.string().min(1).max(64),
  /**
   * The agent task. String fields are templates (the execution's context goes in through variables);
   * account_id is the execution's customer unless given.
   */
  task: z.looseObject({ type: z.string().min(1) }),
  timeout_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
});

export const StepSchema = z.union([
  EmailStepSchema,
  MeetingStepSchema,
  TaskStepSchema,
  WaitStepSchema,
  ConditionStepSchema,
  AgentActionStepSchema,
]);
export type Step = z.infer<typeof StepSchema>;
export type StepType = Step["type"];
export type EmailStep = z.infer<typeof EmailStepSchema>;
export type MeetingStep = z.infer<typeof MeetingStepSchema>;
export type TaskStep = z.infer<typeof TaskStepSchema>;
export type WaitStep = z.infer<typeof WaitStepSchema>;
export type ConditionStep = z.infer<typeof ConditionStepSchema>;
export type AgentActionStep = z.infer<typeof AgentActionStepSchema>;
export type GatedStep = EmailStep | MeetingStep | TaskStep | AgentActionStep;
export const STEP_TYPES = ["email", "meeting", "task", "wait", "condition", "agent_action"] as const;

export const isGated = (s: Step): s is GatedStep =>
  s.type === "email" || s.type === "meeting" || s.type === "task" || s.type === "agent_action";
