/**
 * What a CSM does with a task: start, complete (quality gates checked), reschedule, escalate, snooze,
 * block, cancel; and the clock's own move, waking expired snoozes. Each is one atomic transition
 * (lifecycle.ts) that may write an outcome record, followed by the events it announces.
 */
import type { TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import { validateGateAnswers } from "../domain/tasks/quality-gates.js";
import { parseJson } from "../store/db.js";
import { QUEUE_SOURCE, type QueueContext } from "./context.js";
import { GateValidationError, QueueInputError } from "./errors.js";
import { type TransitionSpec, transition, wakeExpired } from "./lifecycle.js";
import { completionMetadata } from "./metrics.js";
import { currentRawScore } from "./scoring.js";
import { type OutcomeRow, type TaskRow, toOutcome, toTask } from "./task-rows.js";
import type {
  Actor,
  Channel,
  CompletionOutcomeType,
  CsmTask,
  ObjectiveAchieved,
  Sentiment,
  TaskOutcome,
} from "./types.js";

export interface CompleteInput {
  outcome_type?: CompletionOutcomeType | undefined;
  objective_achieved: ObjectiveAchieved;
  sentiment?: Sentiment | null | undefined;
  quality_gates?: Record<string, unknown> | undefined;
  notes?: string | undefined;
  next_action?: { notes: string; date?: string | null | undefined } | null | undefined;
  blocker_reason?: string | null | undefined;
  channel?: Channel | undefined;
}

type WithOutcome = { task: CsmTask; outcome: TaskOutcome };

export async function startTask(ctx: QueueContext, id: number, actor?: Actor): Promise<CsmTask> {
  return move(ctx, id, actor, { action: "start", set: (_r, at) => ({ started_at: at }) });
}

/** Validate the quality gates, save the outcome, take the task out of the queue. */
export async function completeTask(
  ctx: QueueContext,
  id: number,
  input: CompleteInput,
  actor?: Actor,
): Promise<WithOutcome> {
  const catalog = await ctx.catalog();
  const answers = input.quality_gates ?? {};
  const nextDate = input.next_action?.date ? isoOrThrow(input.next_action.date, "next_action.date") : null;
  const { task, outcome } = await moveWithOutcome(ctx, id, actor, {
    action: "complete",
    check: (row) => {
      const gates = catalog.typeBySlug.get(row.task_type as TaskTypeSlug)?.quality_gates ?? [];
      const verdict = validateGateAnswers(gates, answers);
      if (!verdict.ok) throw new GateValidationError(row.id, verdict.errors);
    },
    set: (_row, at) => ({
      outcome_type: "completed",
      outcome_notes: input.notes ?? null,
      sentiment: input.sentiment ?? null,
      next_action: input.next_action?.notes ?? null,
      next_action_date: nextDate,
      quality_gates_completed: JSON.stringify(answers),
      completed_at: at,
    }),
    outcome: (row, at) => ({
      action: "complete",
      outcome_type: input.outcome_type ?? "completed",
      objective_achieved: input.objective_achieved,
      blocker_reason: input.blocker_reason ?? null,
      sentiment: input.sentiment ?? null,
      next_action_required: input.next_action ? 1 : 0,
      next_action_date: nextDate,
      next_action_notes: input.next_action?.notes ?? null,
      quality_gate_responses: JSON.stringify(answers),
      notes: input.notes ?? "",
      channel: input.channel ?? "call",
      csm_id: row.csm_id,
      customer_id: row.customer_id,
      task_type: row.task_type,
      arr: row.arr,
      created_at: at,
      metadata: JSON.stringify(completionMetadata(parseJson<Record<string, unknown>>(row.metadata, {}))),
    }),
  });
  await ctx.bus.publish("task.completed", {
    source: QUEUE_SOURCE,
    account_id: task.customer_id,
    payload: {
      task_id: String(task.id),
      task_type: task.task_type,
      csm_id: task.csm_id,
      outcome_type: outcome.outcome_type,
      objective_achieved: outcome.objective_achieved,
    },
  });
  return { task, outcome };
}

export async function rescheduleTask(
  ctx: QueueContext,
  id: number,
  input: { new_due_date: string; reason: string },
  actor?: Actor,
): Promise<WithOutcome> {
  const due = futureOrThrow(input.new_due_date, "new_due_date", ctx.clock.now());
  let previous = "";
  const result = await moveWithOutcome(ctx, id, actor, {
    action: "reschedule",
    set: (row, at) => {
      previous = row.due_date;
      return {
        due_date: due,
        // A later due date lowers the score: the floor is taken anew.
        floor_score: currentRawScore({ ...row, due_date: due }, new Date(at), ctx.probabilities),
        floor_at: at,
        outcome_type: "rescheduled",
        outcome_notes: input.reason,
      };
    },
    outcome: (row, at) => ({
      ...actionOutcome(row, at, "reschedule", "rescheduled", input.reason),
      next_action_required: 1,
      next_action_date: due,
      metadata: JSON.stringify({ previous_due_date: row.due_date, new_due_date: due }),
    }),
  });
  await ctx.bus.publish("task.rescheduled", {
    source: QUEUE_SOURCE,
    account_id: result.task.customer_id,
    payload: { task_id: String(id), due_date: due, previous_due_date: previous, reason: input.reason },
  });
  return result;
}

export async function escalateTask(
  ctx: QueueContext,
  id: number,
  input: { reason: string; escalate_to?: string | null | undefined },
  actor?: Actor,
): Promise<WithOutcome> {
  const to = input.escalate_to ?? null;
  const result = await moveWithOutcome(ctx, id, actor, {
    action: "escalate",
    set: (row) => ({
      outcome_type: "escalated",
      outcome_notes: input.reason,
      metadata: JSON.stringify({ ...parseJson(row.metadata, {}), escalated_to: to }),
    }),
    outcome: (row, at) => ({
      ...actionOutcome(row, at, "escalate", "escalated", input.reason),
      metadata: JSON.stringify({ escalate_to: to }),
    }),
  });
  await ctx.bus.publish("task.escalated", {
    source: QUEUE_SOURCE,
    account_id: result.task.customer_id,
    payload: { task_id: String(id), reason: input.reason, escalated_to: to },
  });
  return result;
}

export async function snoozeTask(
  ctx: QueueContext,
  id: number,
  input: { snooze_until: string; reason?: string | undefined },
  actor?: Actor,
): Promise<CsmTask> {
  const until = futureOrThrow(input.snooze_until, "snooze_until", ctx.clock.now());
  return move(ctx, id, actor, {
    action: "snooze",
    set: (row) => ({
      snooze_until: until,
      metadata: JSON.stringify({ ...parseJson(row.metadata, {}), snooze_reason: input.reason ?? null }),
    }),
  });
}

export async function blockTask(
  ctx: QueueContext,
  id: number,
  input: { reason: string },
  actor?: Actor,
): Promise<WithOutcome> {
  return endTask(ctx, id, actor, "block", "blocked", input.reason, { blocker_reason: input.reason });
}

export async function cancelTask(
  ctx: QueueContext,
  id: number,
  input: { reason: string },
  actor?: Actor,
): Promise<WithOutcome> {
  return endTask(ctx, id, actor, "cancel", "cancelled", input.reason);
}

/** Block or cancel: the task ends with the reason, recorded on it and in its outcome record. */
async function endTask(
  ctx: QueueContext,
  id: number,
  actor: Actor | undefined,
  action: "block" | "cancel",
  outcomeType: "blocked" | "cancelled",
  reason: string,
  extra: { blocker_reason?: string } = {},
): Promise<WithOutcome> {
  return moveWithOutcome(ctx, id, actor, {
    action,
    set: () => ({ outcome_type: outcomeType, outcome_notes: reason }),
    outcome: (row, at) => ({ ...actionOutcome(row, at, action, outcomeType, reason), ...extra }),
  });
}

/** Snoozed tasks whose snooze_until has passed go back to pending. */
export async function wakeSnoozed(ctx: QueueContext): Promise<number> {
  const woken = await wakeExpired(ctx.db, ctx.clock.now().toISOString());
  for (const t of woken) await publishStatus(ctx, { ...t, from: "snoozed", to: "pending" });
  return woken.length;
}

async function move(
  ctx: QueueContext,
  id: number,
  actor: Actor | undefined,
  spec: TransitionSpec,
): Promise<CsmTask> {
  return (await runTransition(ctx, id, actor, spec)).task;
}

async function moveWithOutcome(
  ctx: QueueContext,
  id: number,
  actor: Actor | undefined,
  spec: TransitionSpec,
): Promise<WithOutcome> {
  const { task, outcome } = await runTransition(ctx, id, actor, spec);
  return { task, outcome: toOutcome(outcome!) };
}

async function runTransition(
  ctx: QueueContext,
  id: number,
  actor: Actor | undefined,
  spec: TransitionSpec,
): Promise<{ task: CsmTask; outcome: OutcomeRow | null }> {
  await ctx.catalog();
  const now = ctx.clock.now();
  const r = await transition(ctx.db, id, spec, now, actor);
  const base = { id, task_type: r.after.task_type, csm_id: r.after.csm_id };
  if (r.woke) await publishStatus(ctx, { ...base, from: "snoozed", to: "pending" });
  const from = r.woke ? "pending" : r.before.status;
  if (from !== r.after.status) await publishStatus(ctx, { ...base, from, to: r.after.status });
  return { task: toTask(r.after, now, ctx.probabilities), outcome: r.outcome };
}

async function publishStatus(
  ctx: QueueContext,
  t: { id: number; task_type: string; csm_id: string; from: string; to: string },
): Promise<void> {
  await ctx.bus.publish("task.status_changed", {
    source: QUEUE_SOURCE,
    payload: { task_id: String(t.id), task_type: t.task_type, csm_id: t.csm_id, from: t.from, to: t.to },
  });
}

function isoOrThrow(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new QueueInputError(`${field} must be an ISO-8601 date-time`, field);
  return new Date(ms).toISOString();
}

function futureOrThrow(value: string, field: string, now: Date): string {
  const iso = isoOrThrow(value, field);
  if (iso <= now.toISOString()) throw new QueueInputError(`${field} must be in the future`, field);
  return iso;
}

/** The outcome record of an action other than complete. */
function actionOutcome(row: TaskRow, at: string, action: string, outcomeType: string, notes: string) {
  return {
    action,
    outcome_type: outcomeType,
    objective_achieved: null,
    blocker_reason: null,
    sentiment: null,
    next_action_required: 0,
    next_action_date: null,
    next_action_notes: null,
    quality_gate_responses: "{}",
    notes,
    channel: null,
    csm_id: row.csm_id,
    customer_id: row.customer_id,
    task_type: row.task_type,
    arr: row.arr,
    created_at: at,
    metadata: "{}",
  };
}
