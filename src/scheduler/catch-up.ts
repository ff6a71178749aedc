/**
 * Each job's last scheduled instant is kept in the store (scheduler_jobs), which gives two guarantees:
 * - a scheduled instant runs at most once (the claim is a conditional update), whoever fires it;
 * - a run missed while the service was down is made up once at start, if its instant is within the last
 *   hour; older misses wait for the next regular run, as a daily job would be stale by then.
 */
import type { Cron } from "croner";
import { errorMessage } from "../errors.js";
import type { JobFire, JobSpec, SchedulerDeps } from "./job.js";

export const MAKE_UP_WINDOW_MS = 3_600_000;

/** Runs a job, logging and publishing a failure; returns the failure's message, or null. */
async function runJob(deps: SchedulerDeps, spec: JobSpec, fire: JobFire): Promise<string | null> {
  const log = deps.log.child({ job: spec.name });
  try {
    log.info({ scheduled_at: fire.scheduledAt.toISOString(), made_up: fire.madeUp }, "job started");
    await spec.run(deps, fire);
    log.info("job finished");
    return null;
  } catch (err) {
    log.error({ err }, "job failed");
    await deps.bus
      .publish("scheduler.job_failed", {
        source: "scheduler",
        payload: { job: spec.name, error: errorMessage(err) },
      })
      .catch(() => undefined);
    return errorMessage(err);
  }
}

/** Run the job for one scheduled instant, once; record how it ended. */
export async function fireJob(deps: SchedulerDeps, spec: JobSpec, fire: JobFire): Promise<boolean> {
  const scheduledAt = fire.scheduledAt.toISOString();
  if (!(await deps.schedulerJobs.claim(spec.name, scheduledAt, deps.clock.now().toISOString()))) {
    deps.log.info({ job: spec.name, scheduled_at: scheduledAt }, "scheduled instant already ran");
    return false;
  }
  const error = await runJob(deps, spec, fire);
  await deps.schedulerJobs.finish(spec.name, deps.clock.now().toISOString(), error);
  return true;
}

/**
 * At start: for each job whose latest scheduled instant passed within the last hour without a run, run
 * it once. A job seen for the first time owes nothing: its history starts at that instant.
 */
export async function makeUpMissedRuns(
  deps: SchedulerDeps,
  jobs: Array<{ spec: JobSpec; cron: Cron }>,
): Promise<string[]> {
  const now = deps.clock.now();
  const madeUp: string[] = [];
  for (const { spec, cron } of jobs) {
    const previous = cron.previousRuns(1, now)[0];
    if (!previous) continue;
    const last = await deps.schedulerJobs.lastScheduledAt(spec.name);
    if (last === null) {
      await deps.schedulerJobs.startHistory(spec.name, previous.toISOString());
      continue;
    }
    const missed = last < previous.toISOString();
    if (!missed || now.getTime() - previous.getTime() > MAKE_UP_WINDOW_MS) continue;
    deps.log.info(
      { job: spec.name, scheduled_at: previous.toISOString() },
      "making up a run missed while the service was down",
    );
    if (await fireJob(deps, spec, { scheduledAt: previous, madeUp: true })) madeUp.push(spec.name);
  }
  return madeUp;
}
