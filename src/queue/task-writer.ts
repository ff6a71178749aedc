/**
 * Inserting a task, once. In one transaction: the trigger episode must be new, no open task of the type
 * may exist for the customer, and the type's cooldown must have passed; the insert itself is ON CONFLICT
 * DO NOTHING against the store's unique indexes, so even a writer outside this process cannot slip a
 * second open task in.
 */
import { type Kysely, sql } from "kysely";
import { addDays } from "../domain/calendar.js";
import { OPEN_STATUSES } from "../domain/tasks/state-machine.js";
import type { Database } from "../store/schema.js";
import type { TaskTypeRecord } from "./catalog-store.js";
import { type ChurnProbabilities, type CustomerSnapshot, currentRawScore, staticScore } from "./scoring.js";
import type { TaskRow } from "./task-rows.js";

/** The store's test for an open task (OPEN_STATUSES), for the queries that need one. */
export const OPEN_STATUS_SQL = sql.raw<boolean>(
  `status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(",")})`,
);

export interface NewTask {
  snapshot: CustomerSnapshot;
  type: TaskTypeRecord;
  csm_id: string;
  due_date: string;
  metadata: Record<string, unknown>;
  source: string;
  trigger_key: string | null;
  cooldown_days: number;
}

export type SkipReason = "open_task_exists" | "already_triggered" | "cooldown";

export type InsertResult =
  | { created: true; row: TaskRow }
  | { created: false; row: TaskRow; reason: SkipReason };

export async function insertTask(
  db: Kysely<Database>,
  input: NewTask,
  now: Date,
  probabilities: ChurnProbabilities,
): Promise<InsertResult> {
  const nowIso = now.toISOString();
  const { snapshot, type } = input;
  return db.transaction().execute(async (trx): Promise<InsertResult> => {
    const findOpen = () =>
      trx
        .selectFrom("csm_tasks")
        .selectAll()
        .where("customer_id", "=", snapshot.customer_id)
        .where("task_type", "=", type.slug)
        .where(OPEN_STATUS_SQL)
        .executeTakeFirst();

    if (input.trigger_key !== null) {
      const episode = await trx
        .selectFrom("csm_tasks")
        .selectAll()
        .where("trigger_key", "=", input.trigger_key)
        .executeTakeFirst();
      if (episode) {
        const open = ["pending", "in_progress", "snoozed"].includes(episode.status);
        return { created: false, row: episode, reason: open ? "open_task_exists" : "already_triggered" };
      }
    }
    const open = await findOpen();
    if (open) return { created: false, row: open, reason: "open_task_exists" };
    if (input.cooldown_days > 0) {
      const recent = await trx
        .selectFrom("csm_tasks")
        .selectAll()
        .where("customer_id", "=", snapshot.customer_id)
        .where("task_type", "=", type.slug)
        .where("created_at", ">", addDays(now, -input.cooldown_days).toISOString())
        .orderBy("created_at", "desc")
        .executeTakeFirst();
      if (recent) return { created: false, row: recent, reason: "cooldown" };
    }

    const row = await trx
      .insertInto("csm_tasks")
      .values({
        customer_id: snapshot.customer_id,
        customer_name: snapshot.customer_name,
        csm_id: input.csm_id,
        task_type: type.slug,
        task_type_id: type.id,
        playbook_id: type.playbook_id,
        priority: type.default_priority,
        status: "pending",
        due_date: input.due_date,
        snooze_until: null,
        outcome_type: null,
        outcome_notes: null,
        sentiment: null,
        next_action: null,
        next_action_date: null,
        quality_gates_completed: "{}",
        metadata: JSON.stringify(input.metadata),
        source: input.source,
        trigger_key: input.trigger_key,
        arr: snapshot.arr,
        tier: snapshot.tier,
        churn_risk: snapshot.churn_risk,
        renewal_date: snapshot.renewal_date,
        static_score: staticScore({ ...snapshot, priority: type.default_priority }, probabilities),
        floor_score: currentRawScore(
          { ...snapshot, priority: type.default_priority, due_date: input.due_date },
          now,
          probabilities,
        ),
        floor_at: nowIso,
        created_at: nowIso,
        updated_at: nowIso,
        started_at: null,
        completed_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return { created: true, row };
    const raced = await findOpen();
    if (raced) return { created: false, row: raced, reason: "open_task_exists" };
    throw new Error(`task for ${snapshot.customer_id}/${type.slug} neither inserted nor found`);
  });
}

/**
 * Bring the customer inputs of a customer's open tasks up to date (any of ARR, tier, churn risk, renewal
 * date, name) and recompute their static scores and score floors. Returns how many tasks changed.
 */
export async function refreshOpenTasks(
  db: Kysely<Database>,
  customerId: string,
  patch: Partial<Omit<CustomerSnapshot, "customer_id">>,
  now: Date,
  probabilities: ChurnProbabilities,
): Promise<number> {
  const nowIso = now.toISOString();
  const rows = await db
    .selectFrom("csm_tasks")
    .select([
      "id",
      "priority",
      "static_score",
      "due_date",
      "arr",
      "tier",
      "churn_risk",
      "renewal_date",
      "customer_name",
    ])
    .where("customer_id", "=", customerId)
    .where(OPEN_STATUS_SQL)
    .execute();
  let changed = 0;
  for (const r of rows) {
    const next = {
      customer_name: patch.customer_name ?? r.customer_name,
      arr: patch.arr !== undefined ? patch.arr : r.arr,
      tier: patch.tier !== undefined ? patch.tier : r.tier,
      churn_risk: patch.churn_risk !== undefined ? patch.churn_risk : r.churn_risk,
      renewal_date: patch.renewal_date !== undefined ? patch.renewal_date : r.renewal_date,
    };
    const score = staticScore({ ...next, priority: r.priority }, probabilities);
    if (
      r.arr === next.arr &&
      r.tier === next.tier &&
      r.churn_risk === next.churn_risk &&
      r.renewal_date === next.renewal_date &&
      r.customer_name === next.customer_name &&
      r.static_score === score
    )
      continue;
    // New inputs can lower the score: the old floor no longer holds, so the floor is taken now.
    const floor = currentRawScore(
      { ...next, priority: r.priority, due_date: r.due_date },
      now,
      probabilities,
    );
    await db
      .updateTable("csm_tasks")
      .set({ ...next, static_score: score, floor_score: floor, floor_at: nowIso, updated_at: nowIso })
      .where("id", "=", r.id)
      .execute();
    changed++;
  }
  return changed;
}

/**
 * Take the score floor of open tasks whose floor is older than `maxAgeMs` anew, a batch per transaction
 * (a writer changing a task's inputs between the read and the update would otherwise get a floor of the
 * old inputs). Young floors keep the queue's reads short (ranking.ts). Returns how many were refreshed.
 */
export async function refreshScoreFloors(
  db: Kysely<Database>,
  now: Date,
  probabilities: ChurnProbabilities,
  opts: { maxAgeMs?: number; batch?: number } = {},
): Promise<number> {
  const nowIso = now.toISOString();
  const before = new Date(now.getTime() - (opts.maxAgeMs ?? 0)).toISOString();
  const batch = opts.batch ?? 500;
  let refreshed = 0;
  let afterId = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("csm_tasks")
        .select(["id", "priority", "due_date", "arr", "tier", "churn_risk", "renewal_date"])
        .where(OPEN_STATUS_SQL)
        .where("id", ">", afterId)
        // Unset floors are the oldest. Floors from the future (the clock was set back) hold only from
        // then on: take them now too.
        .where((eb) => eb.or([eb("floor_at", "<", before), eb("floor_at", ">", nowIso)]))
        .orderBy("id")
        .limit(batch)
        .execute();
      for (const r of rows) {
        await trx
          .updateTable("csm_tasks")
          .set({ floor_score: currentRawScore(r, now, probabilities), floor_at: nowIso })
          .where("id", "=", r.id)
          .execute();
      }
      refreshed += rows.length;
      afterId = rows.at(-1)?.id ?? afterId;
      return rows.length < batch;
    });
    if (done) return refreshed;
  }
}

/**
 * Re-derive the static score of every open task from its stored inputs (after the churn probabilities
 * were reconfigured). Other probabilities can lower a score, so the floor is taken anew with them.
 * Returns how many tasks changed.
 */
export async function restoreStaticScores(
  db: Kysely<Database>,
  now: Date,
  probabilities: ChurnProbabilities,
): Promise<number> {
  const rows = await db
    .selectFrom("csm_tasks")
    .select(["id", "priority", "due_date", "arr", "tier", "churn_risk", "renewal_date", "static_score"])
    .where(OPEN_STATUS_SQL)
    .execute();
  let changed = 0;
  for (const r of rows) {
    const score = staticScore(r, probabilities);
    if (Math.abs(score - r.static_score) < 1e-9) continue;
    await db
      .updateTable("csm_tasks")
      .set({
        static_score: score,
        floor_score: currentRawScore(r, now, probabilities),
        floor_at: now.toISOString(),
      })
      .where("id", "=", r.id)
      .execute();
    changed++;
  }
  return changed;
}
