import { z } from "zod";

/**
 * The one catalogue of events. Names are noun.past_tense_verb; each has a zod payload schema, and
 * EventBus.publish is typed by it. Payload fields are snake_case.
 */
const rag = z.enum(["GREEN", "AMBER", "RED"]);
const churnLevel = z.enum(["low", "medium", "high", "critical"]);
const progress = z.object({ phase: z.string(), done: z.number(), total: z.number() });

export const EVENT_CATALOGUE = {
  "run.started": z.object({
    agent_id: z.string(),
    task_type: z.string(),
    parent_run_id: z.string().nullable(),
  }),
  "run.progress": progress.extend({ agent_id: z.string() }),
  "run.finished": z.object({
    agent_id: z.string(),
    task_type: z.string(),
    status: z.enum(["succeeded", "partial", "failed"]),
    error: z.string().nullable(),
  }),
  "account.health_scored": z.object({
    score: z.number(),
    rag,
    previous_score: z.number().nullable(),
    previous_rag: rag.nullable(),
    trend: z.string(),
    churn_risk: churnLevel,
  }),
  "churn.risk_flagged": z.object({ level: churnLevel, score: z.number(), rag, reasons: z.array(z.string()) }),
  "alert.raised": z.object({
    severity: z.enum(["info", "warning", "critical"]),
    title: z.string(),
    channels: z.record(z.string(), z.enum(["ok", "failed", "skipped"])).optional(),
    reason: z.string().optional(),
  }),
  "draft.created": z.object({ draft_id: z.string(), to: z.string(), subject: z.string(), kind: z.string() }),
  "qbr.created": z.object({
    qbr_id: z.string(),
    period: z.string(),
    url: z.string().nullable(),
    rewritten: z.boolean(),
  }),
  "adoption.tracked": z.object({ adoption: z.number().nullable(), underused: z.array(z.string()) }),
  "expansion.identified": z.object({
    opportunity_id: z.string(),
    opportunity_type: z.enum(["seats", "module", "integration"]),
    estimated_arr_impact: z.number(),
    confidence: z.number(),
  }),
  "expansion.received": z.object({
    opportunity_id: z.string().nullable(),
    draft_id: z.string(),
    to: z.string(),
  }),
  "handoff.requested": z.object({
    to_agent: z.string(),
    task: z.record(z.string(), z.unknown()),
    reason: z.string(),
  }),
  "tam.escalation_raised": z.object({
    score: z.number(),
    status: z.enum(["Green", "Amber", "Red"]),
    previous_status: z.enum(["Green", "Amber", "Red"]).nullable(),
    reasons: z.array(z.string()),
  }),
  "task.created": z.object({
    task_id: z.string(),
    task_type: z.string(),
    csm_id: z.string(),
    priority: z.string(),
  }),
  "task.escalated": z.object({
    task_id: z.string(),
    reason: z.string(),
    escalated_to: z.string().nullable(),
  }),
  /** Every CSM task lifecycle transition (start, complete, block, cancel, escalate, snooze, wake). */
  "task.status_changed": z.object({
    task_id: z.string(),
    task_type: z.string(),
    csm_id: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  "task.completed": z.object({
    task_id: z.string(),
    task_type: z.string(),
    csm_id: z.string(),
    outcome_type: z.string(),
    objective_achieved: z.enum(["yes", "no", "partial"]).nullable(),
  }),
  "task.rescheduled": z.object({
    task_id: z.string(),
    due_date: z.string(),
    previous_due_date: z.string(),
    reason: z.string(),
  }),
  "playbook.execution_started": z.object({
    execution_id: z.string(),
    playbook_id: z.string(),
    trigger: z.string(),
  }),
  "playbook.step_transitioned": z.object({
    execution_id: z.string(),
    step_id: z.string(),
    status: z.string(),
    output: z.record(z.string(), z.unknown()).optional(),
  }),
  "playbook.step_awaiting_approval": z.object({
    execution_id: z.string(),
    step_id: z.string(),
    approval_id: z.string(),
  }),
  "playbook.execution_finished": z.object({
    execution_id: z.string(),
    playbook_id: z.string(),
    status: z.string(),
  }),
  /** Pause, resume, waiting, awaiting approval, preemption by a higher-priority playbook. */
  "playbook.execution_status_changed": z.object({
    execution_id: z.string(),
    playbook_id: z.string(),
    status: z.string(),
    previous_status: z.string(),
    reason: z.string().nullable(),
  }),
  /** A trigger fired but a higher- or equal-priority playbook was already running for the customer. */
  "playbook.trigger_suppressed": z.object({
    playbook_id: z.string(),
    trigger: z.string(),
    blocking_execution_id: z.string(),
    reason: z.string(),
  }),
  "approval.decided": z.object({
    approval_id: z.string(),
    decision: z.enum(["approve", "reject", "edit"]),
    by: z.string(),
  }),
  "account.field_changed": z.object({ field: z.string(), old_value: z.unknown(), new_value: z.unknown() }),
  "scheduler.job_failed": z.object({ job: z.string(), error: z.string() }),
  /** A fan-out job's progress over its accounts (QBR jobs), at most every tenth of the way and at the end. */
  "scheduler.job_progress": z.object({
    job: z.string(),
    done: z.number(),
    total: z.number(),
    failed: z.number(),
  }),
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]>;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

export interface BusEvent<T extends EventType = EventType> {
  seq: number;
  id: string;
  type: T;
  at: string;
  source: string;
  account_id?: string;
  run_id?: string;
  payload: EventPayload<T>;
}

export const isEventType = (s: string): s is EventType => Object.hasOwn(EVENT_CATALOGUE, s);
