/**
 * The task lifecycle:
 *
 *   pending -> in_progress -> completed | cancelled | blocked | escalated
 *   pending <-> snoozed
 *
 * Reschedule moves the due date of a pending or in-progress task without changing its status. Every
 * other move is illegal and answered with 409 and the current status. Completed, cancelled, blocked and
 * escalated are final: a task is never completed twice.
 */

/** A task's status; escalated is the hand-over to someone above the CSM. */
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

export const TASK_ACTIONS = [
  "start",
  "complete",
  "block",
  "cancel",
  "escalate",
  "snooze",
  "wake",
  "reschedule",
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

interface Transition {
  from: readonly TaskStatus[];
  /** Null: the status stays as it is. */
  to: TaskStatus | null;
}

export const TRANSITIONS: Readonly<Record<TaskAction, Transition>> = Object.freeze({
  start: { from: ["pending"], to: "in_progress" },
  complete: { from: ["in_progress"], to: "completed" },
  block: { from: ["in_progress"], to: "blocked" },
  cancel: { from: ["in_progress"], to: "cancelled" },
  escalate: { from: ["in_progress"], to: "escalated" },
  snooze: { from: ["pending"], to: "snoozed" },
  wake: { from: ["snoozed"], to: "pending" },
  reschedule: { from: ["pending", "in_progress"], to: null },
});

export function canTransition(status: TaskStatus, action: TaskAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** What a client may do next with a task in this status (wake is the clock's, not a client's). */
export function allowedActions(status: TaskStatus): TaskAction[] {
  return TASK_ACTIONS.filter((a) => a !== "wake" && canTransition(status, a));
}

/** The status after `action` (the same status for reschedule). */
export function nextStatus(status: TaskStatus, action: TaskAction): TaskStatus {
  return TRANSITIONS[action].to ?? status;
}
