/**
 * The task queue's wire shapes (seed 000 §1.1 CSMTask and TaskOutcome), snake_case as everywhere on the
 * wire. Store rows (src/store/schema.ts) hold JSON as text; src/queue/task-rows.ts maps between them.
 */
import type { TaskPriority } from "../domain/priority.js";
import type { ChurnLevel, Tier } from "../domain/types.js";
import type { TaskTypeSlug } from "./catalog.js";

/** Seed §1.1 statuses plus `escalated` (issue 7 item 6). */
export const TASK_STATUSES = [
  "pending",
  "in_progress",
  "completed",
  "cancelled",
  "blocked",
  "escalated",
  "snoozed",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * Open tasks are the CSM's work: at most one per customer and task type. Blocked and escalated tasks
 * have left the CSM's hands, so they do not hold the slot.
 */
export const OPEN_STATUSES = ["pending", "in_progress", "snoozed"] as const satisfies readonly TaskStatus[];
export const isOpenStatus = (s: string): boolean => (OPEN_STATUSES as readonly string[]).includes(s);

/** The queue shows pending and in-progress tasks; a snoozed one only once its snooze_until has passed. */
export const QUEUE_STATUSES = ["pending", "in_progress", "snoozed"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export const SENTIMENTS = ["positive", "neutral", "frustrated", "angry"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const OBJECTIVE_ACHIEVED = ["yes", "no", "partial"] as const;
export type ObjectiveAchieved = (typeof OBJECTIVE_ACHIEVED)[number];

/** What happened on the call a completion records (the seed's TaskOutcome.outcome_type minus the actions). */
export const COMPLETION_OUTCOME_TYPES = ["connected", "voicemail", "no_answer", "completed"] as const;
export type CompletionOutcomeType = (typeof COMPLETION_OUTCOME_TYPES)[number];

/** TaskOutcome.outcome_type: the seed's six, plus the records of a block and a cancellation. */
export const OUTCOME_TYPES = [
  ...COMPLETION_OUTCOME_TYPES,
  "rescheduled",
  "escalated",
  "blocked",
  "cancelled",
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** CSMTask.outcome_type: how the task itself ended (or was last moved). */
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
  /** Seed §1.3, computed when read: overdue tasks climb. */
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
