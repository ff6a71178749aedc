import { Cron } from "croner";
import type { Config } from "../config.js";
import type { Runtime } from "../runtime.js";
import { fireJob, makeUpMissedRuns } from "./catch-up.js";

export interface JobSpec {
  /** Stable name, also what JOBS_DISABLED lists. */
  name: string;
  /** A cron expression, or one read from config (jobs whose schedule is configurable). */
  cron: string | ((config: Config) => string);
  /** `fire` is the scheduled instant this run is for (a made-up run gets the one it missed). */
  run(runtime: Runtime, fire?: JobFire): Promise<unknown>;
}

export interface JobFire {
  scheduledAt: Date;
  madeUp: boolean;
}

import { errorMessage } from "../errors.js";
import { JOBS } from "./jobs/index.js";

export interface Scheduler {
  jobs: Array<{ name: string; cron: Cron }>;
  /** Settles once the runs missed while the service was down were made up; lists the jobs made up. */
  madeUp: Promise<string[]>;
  stop(): void;
}

/**
 * croner jobs in the configured time zone, with overrun protection. A failing job is logged and
 * published (scheduler.job_failed); it never takes the process down.
 */
export function startScheduler(runtime: Runtime, specs: JobSpec[] = JOBS): Scheduler {
  const { config } = runtime;
  if (!config.SCHEDULER_ENABLED) return { jobs: [], madeUp: Promise.resolve([]), stop() {} };
  const enabled = specs.filter((s) => !config.JOBS_DISABLED.includes(s.name));
  const jobs = enabled.map((spec) => {
    const cron: Cron = new Cron(
      typeof spec.cron === "function" ? spec.cron(config) : spec.cron,
      { name: spec.name, timezone: config.SCHEDULER_TIMEZONE, protect: true },
      async () => {
        // The tick's own instant: the latest scheduled time at or just before now.
        const scheduledAt = cron.previousRuns(1, new Date(runtime.clock.now().getTime() + 1000))[0];
        if (scheduledAt) await fireJob(runtime, spec, { scheduledAt, madeUp: false });
      },
    );
    return { name: spec.name, cron, spec };
  });
  const madeUp = makeUpMissedRuns(
    runtime,
    jobs.map((j) => ({ spec: j.spec, cron: j.cron })),
  ).catch((err: unknown) => {
    runtime.log.error({ err }, "making up missed scheduled runs failed");
    return [] as string[];
  });
  return {
    jobs: jobs.map(({ name, cron }) => ({ name, cron })),
    madeUp,
    stop() {
      for (const j of jobs) j.cron.stop();
    },
  };
}

/** Runs a job, logging and publishing a failure; returns the failure's message, or null. */
export async function runJob(runtime: Runtime, spec: JobSpec, fire?: JobFire): Promise<string | null> {
  const log = runtime.log.child({ job: spec.name });
  try {
    log.info({ scheduled_at: fire?.scheduledAt.toISOString(), made_up: fire?.madeUp }, "job started");
    await spec.run(runtime, fire);
    log.info("job finished");
    return null;
  } catch (err) {
    log.error({ err }, "job failed");
    await runtime.bus
      .publish("scheduler.job_failed", {
        source: "scheduler",
        payload: { job: spec.name, error: errorMessage(err) },
      })
      .catch(() => undefined);
    return errorMessage(err);
  }
}
