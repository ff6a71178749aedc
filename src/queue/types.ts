/**
 * The task queue's wire shapes (a task and the outcome records of its actions), snake_case as everywhere
 * on the wire. Store rows (src/store/schema.ts) hold JSON as text; src/queue/task-rows.ts maps between
 * them. The statuses and their moves are the domain's (src/domain/tasks/state-machine.ts).
 */
import type { TaskPriority } from "../domain/priority.js";
import type { TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import type { TaskStatus } from "../domain/tasks/state-machine.js";
import type { ChurnLevel, Tier } from "../domain/types.js";

/** The queue shows pending and in-progress tasks; a snoozed one only once its snooze_until has passed. */
export const QUEUE_STATUSES = ["pending", "in_progress", "snoozed"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export const SENTIMENTS = ["positive", "neutral", "frustrated", "angry"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const OBJECTIVE_ACHIEVED = ["yes", "no", "partial"] as const;
export type ObjectiveAchieved = (typeof OBJECTIVE_ACHIEVED)[number];

/** What happened on the call a completion records (the outcome types other than the actions' own). */
export const COMPLETION_OUTCOME_TYPES = ["connected", "voicemail", "no_answer", "completed"] as const;
export type CompletionOutcomeType = (typeof COMPLETION_OUTCOME_TYPES)[number];

/** An outcome record's outcome_type: the call results, a reschedule, an escalation, a block, a cancellation. */
export const OUTCOME_TYPES = [
  ...COMPLETION_OUTCOME_TYPES,
  "rescheduled",
  "escalated",
  "blocked",
  "cancelled",
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** A task's own outcome_type: how it ended (or was last moved). */
export const TASK_OUTCOME_TYPES = ["completed", "rescheduled", "escalated", "blocked", "cancelled"] as const;
export type TaskOutcomeType = (typeof TASK_OUTCOME_TYPES)[number];

/** The lifecycle action that wrote an outcome record. */
export const OUTCOME_ACTIONS = ["complete", "reschedule", "escalate", "block", "cancel"] as const;
export type OutcomeAction = (typeof OUTCOME_ACTIONS)[number];

/** How the CSM reached the customer: the weekly activity counts calls and emails. */
export const CHANNELS = ["call", "email", "meeting", "other"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface CsmTask {
  id: number;
  customer_id: string;
  customer_name: string;
  csm_id: string;
  task_type: TaskTypeSlug;
  task_type_id: number;
  playbook_id: number | null;
  priority: TaskPriority;
  /** The priority score (src/domain/priority.ts), computed when read: overdue tasks climb. */
  priority_score: number;
  /** The effective status: a snoozed task whose snooze_until has passed reads as pending. */
  status: TaskStatus;
  due_date: string;
  /** Whole days past due_date (0 when not yet due). */
  days_overdue: number;
  snooze_until: string | null;
  outcome_type: TaskOutcomeType | null;
  outcome_notes: string | null;
  sentiment: Sentiment | null;
  next_action: string | null;
  next_action_date: string | null;
  quality_gates_completed: Record<string, unknown>;
  source: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  metadata: Record<string, unknown>;
  /** The customer's priority inputs as of the task's last refresh. */
  customer: {
    arr: number | null;
    tier: Tier | null;
    churn_risk: ChurnLevel | null;
    renewal_date: string | null;
  };
}

export interface TaskOutcome {
  id: number;
  task_id: number;
  action: OutcomeAction;
  outcome_type: OutcomeType;
  objective_achieved: ObjectiveAchieved | null;
  blocker_reason: string | null;
  sentiment: Sentiment | null;
  next_action_required: boolean;
  next_action_date: string | null;
  next_action_notes: string | null;
  quality_gate_responses: Record<string, unknown>;
  notes: string;
  channel: Channel | null;
  csm_id: string;
  created_at: string;
  metadata: Record<string, unknown>;
}

/** Who is acting: the API key's CSM, and whether it may touch other CSMs' tasks (cs:team or admin). */
export interface Actor {
  name: string;
  csm_id: string | null;
  can_act_for_others: boolean;
}
