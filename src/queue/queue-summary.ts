/**
 * Today's summary of a CSM's queue: the visible open tasks, those due today (the CSM's local day),
 * overdue, urgent, and the snoozed ones the queue hides. One aggregate over the same WHERE as the
 * listing, so the summary and the queue always agree.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../store/schema.js";
import { queueWhere } from "./queue-read.js";

export interface QueueSummary {
  open: number;
  due_today: number;
  overdue: number;
  urgent: number;
  /** Snoozed tasks not yet due back (hidden from the queue). */
  snoozed: number;
  as_of: string;
  day_start: string;
  day_end: string;
}

const count = (cond: ReturnType<typeof sql>) =>
  sql<number>`COALESCE(SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`;

export async function queueSummary(
  db: Kysely<Database>,
  csmId: string,
  now: Date,
  day: { start: Date; end: Date },
): Promise<QueueSummary> {
  const nowIso = now.toISOString();
  const start = day.start.toISOString();
  const end = day.end.toISOString();
  const [visible, snoozed] = await Promise.all([
    db
      .selectFrom("csm_tasks")
      .select([
        sql<number>`COUNT(*)`.as("open"),
        count(sql`due_date >= ${start} AND due_date < ${end}`).as("due_today"),
        count(sql`due_date < ${nowIso}`).as("overdue"),
        count(sql`priority = 'urgent'`).as("urgent"),
      ])
      .where(queueWhere({ csm_id: csmId }, nowIso))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("csm_tasks")
      .select(sql<number>`COUNT(*)`.as("n"))
      .where(queueWhere({ csm_id: csmId, status: "snoozed" }, nowIso))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    open: Number(visible.open),
    due_today: Number(visible.due_today),
    overdue: Number(visible.overdue),
    urgent: Number(visible.urgent),
    snoozed: Number(snoozed.n),
    as_of: nowIso,
    day_start: start,
    day_end: end,
  };
}
