/**
 * The queue's refusals, in the service's error vocabulary (src/errors.ts): each is an AppError of a
 * kind, so the API maps it like any other, and carries the typed fields the queue's callers read.
 */

import type { GateError } from "../domain/tasks/quality-gates.js";
import type { TaskStatus } from "../domain/tasks/state-machine.js";
import { AppError } from "../errors.js";

export class TaskNotFoundError extends AppError {
  override readonly name = "TaskNotFoundError";
  constructor(readonly task_id: number) {
    super("not_found", `task ${task_id} not found`);
  }
}

/** A CSM touching another CSM's task. */
export class TaskForbiddenError extends AppError {
  override readonly name = "TaskForbiddenError";
  constructor(
    readonly task_id: number,
    readonly owner: string,
    readonly actor: string,
  ) {
    super("forbidden", `task ${task_id} belongs to ${owner}; ${actor} may not act on it`);
  }
}

/** The action is not allowed from the task's current status. */
export class TaskStateError extends AppError {
  override readonly name = "TaskStateError";
  constructor(
    readonly task_id: number,
    readonly action: string,
    readonly status: TaskStatus,
    readonly allowed_actions: string[],
  ) {
    super("conflict", `cannot ${action} task ${task_id}: it is ${status}`, {
      details: { task_id, action, status, allowed_actions },
    });
  }
}

/** Quality gates missing or invalid; lists every problem at once. */
export class GateValidationError extends AppError {
  override readonly name = "GateValidationError";
  constructor(
    readonly task_id: number,
    readonly errors: GateError[],
  ) {
    super(
      "invalid",
      `quality gates not satisfied: ${errors.map((e) => `${e.gate} (${e.code}: ${e.problem})`).join("; ")}`,
      { code: "quality_gates_failed", details: { task_id, gates: errors } },
    );
  }
}

/** A queue cursor that this service did not issue (or that was altered). */
export class InvalidCursorError extends AppError {
  override readonly name = "InvalidCursorError";
  constructor() {
    super("bad_request", "invalid cursor: pass the next_cursor of the previous page unchanged");
  }
}

/** A well-formed request the queue cannot honour (a date in the past, an unknown customer). */
export class QueueInputError extends AppError {
  override readonly name = "QueueInputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super("invalid", message, field ? { details: { field } } : {});
  }
}
