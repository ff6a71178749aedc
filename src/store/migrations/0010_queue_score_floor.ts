import { type Kysely, type Migration, sql } from "kysely";

/**
 * A snapshot of each open task's priority score, so reading a CSM's top tasks touches a few hundred rows
 * instead of a tenth of the book (bench/queue.ts).
 *
 * floor_score is the raw priority score at floor_at, from the task's current inputs. With its inputs and due
 * date unchanged a task's score never falls as time passes (days overdue only grow, the renewal bonus
 * only grows as the renewal nears), so the snapshot is a lower bound of its score at any later instant,
 * and what the clock can add since then is small and bounded (src/queue/scoring.ts floorUpperBound). The
 * queue takes the snapshot anew on every write that changes an input and refreshes old ones daily.
 *
 * floor_at at the epoch means "not taken" (existing rows, and any writer that does not know the columns):
 * the queue then ranks by static_score until its next refresh (at boot, and every generation run).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

const OPEN = "status IN ('pending','in_progress','snoozed')";
/** src/queue/scoring.ts FLOOR_UNSET (a migration keeps its own copy: it must never change). */
const FLOOR_UNSET = "1970-01-01T00:00:00.000Z";

export const m0010QueueScoreFloor: Migration = {
  async up(db: Db) {
    await db.schema
      .alterTable("csm_tasks")
      .addColumn("floor_score", "real", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable("csm_tasks")
      .addColumn("floor_at", "text", (c) => c.notNull().defaultTo(FLOOR_UNSET))
      .execute();
    await sql
      .raw(`CREATE INDEX csm_tasks_queue_floor ON csm_tasks(csm_id, floor_score DESC, id DESC) WHERE ${OPEN}`)
      .execute(db);
    // The oldest and newest floor of a CSM's open tasks, each one index probe.
    await sql
      .raw(`CREATE INDEX csm_tasks_queue_floor_at ON csm_tasks(csm_id, floor_at) WHERE ${OPEN}`)
      .execute(db);
  },

  async down(db: Db) {
    await db.schema.dropIndex("csm_tasks_queue_floor_at").ifExists().execute();
    await db.schema.dropIndex("csm_tasks_queue_floor").ifExists().execute();
    await db.schema.alterTable("csm_tasks").dropColumn("floor_at").execute();
    await db.schema.alterTable("csm_tasks").dropColumn("floor_score").execute();
  },
};
