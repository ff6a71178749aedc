import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/**
 * The scheduler_jobs table: each job's last scheduled instant and how its last run went. The claim is a
 * conditional write, so one scheduled instant is started at most once, whoever fires it.
 */
export class SchedulerJobs {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Claim `scheduledAt` for the job: true when no run for that instant (or a later one) was started yet.
   * The first claim of a job only records where its history starts.
   */
  async claim(name: string, scheduledAt: string, startedAt: string): Promise<boolean> {
    const updated = await this.db
      .updateTable("scheduler_jobs")
      .set({ last_scheduled_at: scheduledAt, last_started_at: startedAt })
      .where("name", "=", name)
      .where("last_scheduled_at", "<", scheduledAt)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return true;
    return this.insert(name, scheduledAt, startedAt);
  }

  /** Record how the job's claimed run ended: null when it succeeded, else its failure. */
  async finish(name: string, finishedAt: string, error: string | null): Promise<void> {
    await this.db
      .updateTable("scheduler_jobs")
      .set({ last_finished_at: finishedAt, last_error: error })
      .where("name", "=", name)
      .execute();
  }

  /** The job's last scheduled instant, or null for a job never seen. */
  async lastScheduledAt(name: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("scheduler_jobs")
      .select("last_scheduled_at")
      .where("name", "=", name)
      .executeTakeFirst();
    return row?.last_scheduled_at ?? null;
  }

  /** Start a job's history at `scheduledAt` without running it (a job seen for the first time). */
  async startHistory(name: string, scheduledAt: string): Promise<void> {
    await this.insert(name, scheduledAt, null);
  }

  private async insert(name: string, scheduledAt: string, startedAt: string | null): Promise<boolean> {
    const inserted = await this.db
      .insertInto("scheduler_jobs")
      .values({
        name,
        last_scheduled_at: scheduledAt,
        last_started_at: startedAt,
        last_finished_at: null,
        last_error: null,
      })
      .onConflict((oc) => oc.column("name").doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
