/**
 * The queue's own errors. The service throws them; src/api/routes/cs.ts maps each to its HTTP status, so
 * other callers (the playbook engine, the scheduler) get typed errors rather than HTTP ones.
 */
import type { GateError } from "./catalog.js";
import type { TaskStatus } from "./types.js";

export class TaskNotFoundError extends Error {
  override readonly name = "TaskNotFoundError";
  constructor(readonly task_id: number) {
    super(`task ${task_id} not found`);
  }
}

/** 403: a CSM touching another CSM's task. */
export class TaskForbiddenError extends Error {
  override readonly name = "TaskForbiddenError";
  constructor(
    readonly task_id: number,
    readonly owner: string,
    readonly actor: string,
  ) {
    super(`task ${task_id} belongs to ${owner}; ${actor} may not act on it`);
  }
}

/** 409: the action is not allowed from the task's current status. */
export class TaskStateError extends Error {
  override readonly name = "TaskStateError";
  constructor(
    readonly task_id: number,
    readonly action: string,
    readonly status: TaskStatus,
    readonly allowed_actions: string[],
  ) {
    super(`cannot ${action} task ${task_id}: it is ${status}`);
  }
}

/** 422: quality gates missing or invalid; lists every problem at once. */
export class GateValidationError extends Error {
  override readonly name = "GateValidationError";
  constructor(
    readonly task_id: number,
    readonly errors: GateError[],
  ) {
    super(
      `quality gates not satisfied: ${errors.map((e) => `${e.gate} (${e.code}: ${e.problem})`).join("; ")}`,
    );
  }
}

/** 400: a queue cursor that this service did not issue (or that was altered). */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
  constructor() {
    super("invalid cursor: pass the next_cursor of the previous page unchanged");
  }
}

/** 422: a well-formed request the queue cannot honour (a date in the past, an unknown customer). */
export class QueueInputError extends Error {
  override readonly name = "QueueInputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
