/**
 * One lifecycle transition, atomically: in a single transaction the task is read, the caller authorized,
 * the move checked against the state machine (409 with the current status), the caller's own checks run
 * (quality gates: 422), the status changed by a conditional UPDATE ... WHERE status = <the status read>,
 * and the outcome record inserted. A concurrent second attempt either waits for the first transaction
 * and then sees the new status, or (from another process) changes no row: either way it gets a 409 and
 * writes no outcome. The store's unique index on completion outcomes backs this up.
 */
import type { Insertable, Kysely, Updateable } from "kysely";
import {
  allowedActions,
  canTransition,
  nextStatus,
  type TaskAction,
  type TaskStatus,
} from "../domain/tasks/state-machine.js";
import type { CsmTaskOutcomesTable, CsmTasksTable, Database } from "../store/schema.js";
import { TaskForbiddenError, TaskNotFoundError, TaskStateError } from "./errors.js";
import type { OutcomeRow, TaskRow } from "./task-rows.js";
import type { Actor } from "./types.js";

export interface TransitionSpec {
  action: TaskAction;
  /** Further checks on the task as read (throw to refuse). */
  check?: (row: TaskRow) => void;
  /** Columns to set besides status and updated_at. */
  set?: (row: TaskRow, nowIso: string) => Updateable<CsmTasksTable>;
  /** The outcome record this action writes, if any. */
  outcome?: (row: TaskRow, nowIso: string) => Omit<Insertable<CsmTaskOutcomesTable>, "task_id">;
}

export interface TransitionResult {
  before: TaskRow;
  after: TaskRow;
  outcome: OutcomeRow | null;
  /** The task was snoozed and its snooze had run out: it woke to pending first. */
  woke: boolean;
}

/** Owners act on their tasks; cs:team and admin keys on anyone's; no actor is the system itself. */
export function authorize(row: Pick<TaskRow, "id" | "csm_id">, actor: Actor | undefined): void {
  if (!actor || actor.can_act_for_others || actor.csm_id === row.csm_id) return;
  throw new TaskForbiddenError(row.id, row.csm_id, actor.csm_id ?? actor.name);
}

/** Expired snoozes back to pending (inside the caller's transaction, or on its own). */
export async function wakeExpired(
  db: Kysely<Database>,
  nowIso: string,
  taskId?: number,
): Promise<Array<{ id: number; task_type: string; csm_id: string }>> {
  let q = db
    .updateTable("csm_tasks")
    .set({ status: "pending", updated_at: nowIso })
    .where("status", "=", "snoozed")
    .where("snooze_until", "<=", nowIso);
  if (taskId !== undefined) q = q.where("id", "=", taskId);
  return q.returning(["id", "task_type", "csm_id"]).execute();
}

export async function transition(
  db: Kysely<Database>,
  taskId: number,
  spec: TransitionSpec,
  now: Date,
  actor: Actor | undefined,
): Promise<TransitionResult> {
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const woke = (await wakeExpired(trx, nowIso, taskId)).length > 0;
    const before = await trx.selectFrom("csm_tasks").selectAll().where("id", "=", taskId).executeTakeFirst();
    if (!before) throw new TaskNotFoundError(taskId);
    authorize(before, actor);
    const status = before.status as TaskStatus;
    if (!canTransition(status, spec.action)) {
      throw new TaskStateError(taskId, spec.action, status, allowedActions(status));
    }
    spec.check?.(before);

    const after = await trx
      .updateTable("csm_tasks")
      .set({
        ...(spec.set?.(before, nowIso) ?? {}),
        status: nextStatus(status, spec.action),
        updated_at: nowIso,
      })
      .where("id", "=", taskId)
      .where("status", "=", status)
      .returningAll()
      .executeTakeFirst();
    if (!after) {
      const current = await trx
        .selectFrom("csm_tasks")
        .select("status")
        .where("id", "=", taskId)
        .executeTakeFirst();
      if (!current) throw new TaskNotFoundError(taskId);
      const now = current.status as TaskStatus;
      throw new TaskStateError(taskId, spec.action, now, allowedActions(now));
    }
    const outcome = spec.outcome
      ? await trx
          .insertInto("csm_task_outcomes")
          .values({ ...spec.outcome(before, nowIso), task_id: taskId })
          .returningAll()
          .executeTakeFirstOrThrow()
      : null;
    return { before, after, outcome, woke };
  });
}
