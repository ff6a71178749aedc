/** The lifecycles of templates, executions, their steps and approvals. */

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

/** An execution that has not finished: what can be paused, cancelled or preempted. */
export const ACTIVE_STATUSES: readonly ExecutionStatus[] = [
  "running",
  "waiting",
  "awaiting_approval",
  "paused",
];
