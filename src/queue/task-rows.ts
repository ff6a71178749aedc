/** Store rows of the queue's tables -> wire shapes, with the score and status as of `now`. */
import type { Selectable } from "kysely";
import { daysSince } from "../domain/calendar.js";
import type { TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import type { TaskStatus } from "../domain/tasks/state-machine.js";
import { parseJson } from "../store/db.js";
import type { CsmTaskOutcomesTable, CsmTasksTable } from "../store/schema.js";
import { asChurnLevel, asPriority, asTier, type ChurnProbabilities, currentScore } from "./scoring.js";
import type {
  Channel,
  CsmTask,
  ObjectiveAchieved,
  OutcomeAction,
  OutcomeType,
  Sentiment,
  TaskOutcome,
  TaskOutcomeType,
} from "./types.js";

export type TaskRow = Selectable<CsmTasksTable>;
export type OutcomeRow = Selectable<CsmTaskOutcomesTable>;

/** A snoozed task whose snooze_until has passed is back in the queue: it reads as pending. */
export function effectiveStatus(row: Pick<TaskRow, "status" | "snooze_until">, nowIso: string): TaskStatus {
  if (row.status === "snoozed" && row.snooze_until !== null && row.snooze_until <= nowIso) return "pending";
  return row.status as TaskStatus;
}

export function toTask(row: TaskRow, now: Date, probabilities: ChurnProbabilities, score?: number): CsmTask {
  return {
    id: row.id,
    customer_id: row.customer_id,
    customer_name: row.customer_name,
    csm_id: row.csm_id,
    task_type: row.task_type as TaskTypeSlug,
    task_type_id: row.task_type_id,
    playbook_id: row.playbook_id,
    priority: asPriority(row.priority),
    priority_score: score ?? currentScore(row, now, probabilities),
    status: effectiveStatus(row, now.toISOString()),
    due_date: row.due_date,
    days_overdue: Math.max(0, daysSince(row.due_date, now) ?? 0),
    snooze_until: row.snooze_until,
    outcome_type: row.outcome_type as TaskOutcomeType | null,
    outcome_notes: row.outcome_notes,
    sentiment: row.sentiment as Sentiment | null,
    next_action: row.next_action,
    next_action_date: row.next_action_date,
    quality_gates_completed: parseJson(row.quality_gates_completed, {}),
    source: row.source,
    created_at: row.created_at,
    updated_at: row.updated_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    metadata: parseJson(row.metadata, {}),
    customer: {
      arr: row.arr,
      tier: asTier(row.tier),
      churn_risk: asChurnLevel(row.churn_risk),
      renewal_date: row.renewal_date,
    },
  };
}

export function toOutcome(row: OutcomeRow): TaskOutcome {
  return {
    id: row.id,
    task_id: row.task_id,
    action: row.action as OutcomeAction,
    outcome_type: row.outcome_type as OutcomeType,
    objective_achieved: row.objective_achieved as ObjectiveAchieved | null,
    blocker_reason: row.blocker_reason,
    sentiment: row.sentiment as Sentiment | null,
    next_action_required: row.next_action_required === 1,
    next_action_date: row.next_action_date,
    next_action_notes: row.next_action_notes,
    quality_gate_responses: parseJson(row.quality_gate_responses, {}),
    notes: row.notes,
    channel: row.channel as Channel | null,
    csm_id: row.csm_id,
    created_at: row.created_at,
    metadata: parseJson(row.metadata, {}),
  };
}
