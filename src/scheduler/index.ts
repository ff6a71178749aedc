import { Cron } from "croner";
import { fireJob, makeUpMissedRuns } from "./catch-up.js";
import type { JobSpec, SchedulerDeps } from "./job.js";
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
export function startScheduler(deps: SchedulerDeps, specs: readonly JobSpec[] = JOBS): Scheduler {
  const { config } = deps;
  if (!config.SCHEDULER_ENABLED) return { jobs: [], madeUp: Promise.resolve([]), stop() {} };
  const enabled = specs.filter((s) => !config.JOBS_DISABLED.includes(s.name));
  const jobs = enabled.map((spec) => {
    const cron: Cron = new Cron(
      typeof spec.cron === "function" ? spec.cron(config) : spec.cron,
      { name: spec.name, timezone: config.SCHEDULER_TIMEZONE, protect: true },
      async () => {
        // The tick's own instant: the latest scheduled time at or just before now.
        const scheduledAt = cron.previousRuns(1, new Date(deps.clock.now().getTime() + 1000))[0];
        if (scheduledAt) await fireJob(deps, spec, { scheduledAt, madeUp: false });
      },
    );
    return { name: spec.name, cron, spec };
  });
  const madeUp = makeUpMissedRuns(
    deps,
    jobs.map((j) => ({ spec: j.spec, cron: j.cron })),
  ).catch((err: unknown) => {
    deps.log.error({ err }, "making up missed scheduled runs failed");
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
