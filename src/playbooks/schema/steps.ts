import { z } from "zod";
import { CHURN_LEVELS } from "../../domain/types.js";
import { TaskTypeSlugSchema } from "../../queue/catalog.js";
import { parseExpression } from "../conditions/expression.js";

/**
 * The shape of an executable playbook (seed 003): a template with triggers and an ordered list of
 * steps. Templates are stored as JSON and validated with these schemas on every write; an execution
 * keeps the snapshot it started with, so editing a template never changes a running execution.
 *
 * Control flow is a linear list with forward jumps only (condition branches and `next`), which keeps
 * every execution finite: a step is visited at most once.
 */

export const STEP_ID = /^[a-z][a-z0-9_]{0,63}$/;
const stepId = z.string().regex(STEP_ID, "step ids are lower_snake_case, starting with a letter");
/** A jump target: a later step, or "end". */
const target = z.union([stepId, z.literal("end")]);
const template = (max: number) => z.string().max(max);

// --- conditions: structured, never evaluated as code -----------------------------------------------------

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
export type Comparison = z.infer<typeof ComparisonSchema>;

export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

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

// --- triggers ----------------------------------------------------------------------------------------------

export const TIME_ANCHORS = ["renewal_date", "signup_date"] as const;

export const TriggerSchema = z.union([
  z.strictObject({ type: z.literal("manual") }),
  /** X days before renewal, X days after signup. */
  z.strictObject({
    type: z.literal("time"),
    anchor: z.enum(TIME_ANCHORS),
    when: z.enum(["before", "after"]),
    days: z.number().int().min(0).max(730),
  }),
  z.strictObject({
    type: z.literal("event"),
    event: z.literal("churn.risk_flagged"),
    min_level: z.enum(CHURN_LEVELS).optional(),
  }),
  z.strictObject({ type: z.literal("event"), event: z.literal("tam.escalation_raised") }),
  /** account.health_scored with a fall of at least min_drop points. */
  z.strictObject({
    type: z.literal("event"),
    event: z.literal("health_drop"),
    min_drop: z.number().min(1).max(100).default(10),
  }),
  /** account.field_changed on the champion field, away from a named champion. */
  z.strictObject({ type: z.literal("event"), event: z.literal("champion_left") }),
  /** Checked every tick and on account events, e.g. health below 60 or usage down 20%+. */
  z.strictObject({
    type: z.literal("condition"),
    condition: ConditionSchema,
    /** After a start, the same condition does not start this playbook again for this long. */
    cooldown_days: z.number().int().min(0).max(365).optional(),
  }),
]);
export type Trigger = z.infer<typeof TriggerSchema>;
export type EventTrigger = Extract<Trigger, { type: "event" }>;
export const TRIGGER_EVENTS = [
  "churn.risk_flagged",
  "tam.escalation_raised",
  "health_drop",
  "champion_left",
] as const;

// --- the template ------------------------------------------------------------------------------------------

export const DefinitionSchema = z
  .strictObject({
    name: z.string().min(1).max(120),
    description: z.string().max(2_000).default(""),
    /** Higher wins when two playbooks trigger for one customer. */
    priority: z.number().int().min(0).max(100).default(50),
    on_failure: z.enum(["stop", "continue"]).default("stop"),
    triggers: z
      .array(TriggerSchema)
      .max(10)
      .default([{ type: "manual" }]),
    steps: z.array(StepSchema).min(1).max(50),
  })
  .superRefine((d, ctx) => {
    const index = new Map<string, number>();
    d.steps.forEach((s, i) => {
      if (index.has(s.id))
        ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `duplicate step id "${s.id}"` });
      index.set(s.id, i);
    });
    const checkTarget = (from: number, to: string | undefined, path: (string | number)[]) => {
      if (to === undefined || to === "end") return;
      const at = index.get(to);
      if (at === undefined) ctx.addIssue({ code: "custom", path, message: `unknown step "${to}"` });
      else if (at <= from)
        ctx.addIssue({
          code: "custom",
          path,
          message: `"${to}" is not after this step: jumps go forward only`,
        });
    };
    d.steps.forEach((s, i) => {
      checkTarget(i, s.next, ["steps", i, "next"]);
      if (s.type === "condition") {
        checkTarget(i, s.if_true, ["steps", i, "if_true"]);
        checkTarget(i, s.if_false, ["steps", i, "if_false"]);
      }
    });
  });
export type Definition = z.infer<typeof DefinitionSchema>;
/** What a client sends: defaults not yet applied. */
export type DefinitionInput = z.input<typeof DefinitionSchema>;

export const PLAYBOOK_STATUSES = ["draft", "published", "archived"] as const;
export type PlaybookStatus = (typeof PLAYBOOK_STATUSES)[number];

export const EXECUTION_STATUSES = [
  "running",
  "waiting",
  "awaiting_approval",
  "paused",
  "completed",
  "failed",
  "cancelled",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const FINISHED_STATUSES: readonly ExecutionStatus[] = ["completed", "failed", "cancelled"];

export const STEP_STATUSES = [
  "pending",
  "running",
  "waiting",
  "awaiting_approval",
  "completed",
  "failed",
  "skipped",
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const APPROVAL_DECISIONS = ["approve", "reject", "edit"] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];
export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "edited", "cancelled"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** The step that runs after `index` when nothing jumps: its `next`, else the following one, else the end. */
export function nextStepId(def: Pick<Definition, "steps">, index: number): string | null {
  const step = def.steps[index];
  if (step?.next) return step.next === "end" ? null : step.next;
  return def.steps[index + 1]?.id ?? null;
}

export const resolveTarget = (t: string): string | null => (t === "end" ? null : t);
