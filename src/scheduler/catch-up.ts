/**
 * Each job's last scheduled instant is kept in the store (scheduler_jobs), which gives two guarantees:
 * - a scheduled instant runs at most once (the claim is a conditional update), whoever fires it;
 * - a run missed while the service was down is made up once at start, if its instant is within the last
 *   hour (issue 3); older misses wait for the next regular run, as a daily job would be stale by then.
 */
import type { Cron } from "croner";
import type { Runtime } from "../runtime.js";
import { type JobFire, type JobSpec, runJob } from "./index.js";

export const MAKE_UP_WINDOW_MS = 3_600_000;

/**
 * Claim `scheduledAt` for the job: true when no run for that instant (or a later one) was started yet.
 * The first claim of a job only records where its history starts.
 */
async function claim(runtime: Runtime, name: string, scheduledAt: string): Promise<boolean> {
  const db = runtime.store.db;
  const started = runtime.clock.now().toISOString();
  const updated = await db
    .updateTable("scheduler_jobs")
    .set({ last_scheduled_at: scheduledAt, last_started_at: started })
    .where("name", "=", name)
    .where("last_scheduled_at", "<", scheduledAt)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return true;
  const inserted = await db
    .insertInto("scheduler_jobs")
    .values({
      name,
      last_scheduled_at: scheduledAt,
      last_started_at: started,
      last_finished_at: null,
      last_error: null,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Run the job for one scheduled instant, once; record how it ended. */
export async function fireJob(runtime: Runtime, spec: JobSpec, fire: JobFire): Promise<boolean> {
  if (!(await claim(runtime, spec.name, fire.scheduledAt.toISOString()))) {
    runtime.log.info(
      { job: spec.name, scheduled_at: fire.scheduledAt.toISOString() },
      "scheduled instant already ran",
    );
    return false;
  }
  const error = await runJob(runtime, spec, fire);
  await runtime.store.db
    .updateTable("scheduler_jobs")
    .set({ last_finished_at: runtime.clock.now().toISOString(), last_error: error })
    .where("name", "=", spec.name)
    .execute();
  return true;
}

/**
 * At start: for each job whose latest scheduled instant passed within the last hour without a run, run
 * it once. A job seen for the first time owes nothing: its history starts at that instant.
 */
export async function makeUpMissedRuns(
  runtime: Runtime,
  jobs: Array<{ spec: JobSpec; cron: Cron }>,
): Promise<string[]> {
  const now = runtime.clock.now();
  const madeUp: string[] = [];
  for (const { spec, cron } of jobs) {
    const previous = cron.previousRuns(1, now)[0];
    if (!previous) continue;
    const state = await runtime.store.db
      .selectFrom("scheduler_jobs")
      .select("last_scheduled_at")
      .where("name", "=", spec.name)
      .executeTakeFirst();
    if (!state) {
      await runtime.store.db
        .insertInto("scheduler_jobs")
        .values({
          name: spec.name,
          last_scheduled_at: previous.toISOString(),
          last_started_at: null,
          last_finished_at: null,
          last_error: null,
        })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      continue;
    }
    const missed = state.last_scheduled_at < previous.toISOString();
    if (!missed || now.getTime() - previous.getTime() > MAKE_UP_WINDOW_MS) continue;
    runtime.log.info(
      { job: spec.name, scheduled_at: previous.toISOString() },
      "making up a run missed while the service was down",
    );
    if (await fireJob(runtime, spec, { scheduledAt: previous, madeUp: true })) madeUp.push(spec.name);
  }
  return madeUp;
}
