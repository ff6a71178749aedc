/**
 * Loading a ready-made task history (tasks with the outcome records of their actions) into an empty
 * queue, in one transaction: the demo book's history on first boot. The rows are inserted as given;
 * their score floors are left unset, for the caller's floor refresh to take.
 */
import type { Insertable, Kysely } from "kysely";
import type { CsmTaskOutcomesTable, CsmTasksTable, Database } from "../store/schema.js";

export type HistoryOutcome = Omit<Insertable<CsmTaskOutcomesTable>, "id" | "task_id">;
export interface HistoryTask {
  task: Omit<Insertable<CsmTasksTable>, "id">;
  outcomes: HistoryOutcome[];
}

export async function countTasks(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("csm_tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Insert the history unless the queue already has a task; null when it had one. */
export async function importHistory(
  db: Kysely<Database>,
  history: readonly HistoryTask[],
): Promise<{ tasks: number; outcomes: number } | null> {
  return db.transaction().execute(async (trx) => {
    // Checked inside the transaction: two boots racing on one store load the history once.
    if ((await countTasks(trx)) > 0) return null;
    let outcomes = 0;
    for (const { task, outcomes: rows } of history) {
      const { id } = await trx.insertInto("csm_tasks").values(task).returning("id").executeTakeFirstOrThrow();
      if (rows.length > 0) {
        await trx
          .insertInto("csm_task_outcomes")
          .values(rows.map((o) => ({ ...o, task_id: id })))
          .execute();
        outcomes += rows.length;
      }
    }
    return { tasks: history.length, outcomes };
  });
}
