import { Cron } from "croner";
import { errorMessage } from "../graphs/agent-graph.js";
import type { Runtime } from "../runtime.js";

export interface JobSpec {
  /** Stable name, also what JOBS_DISABLED lists. */
  name: string;
  cron: string;
  run(runtime: Runtime): Promise<unknown>;
}

import { JOBS } from "./jobs/index.js";

export interface Scheduler {
  jobs: Array<{ name: string; cron: Cron }>;
  stop(): void;
}

/**
 * croner jobs in the configured time zone, with overrun protection. A failing job is logged and
 * published (scheduler.job_failed); it never takes the process down.
 */
export function startScheduler(runtime: Runtime, specs: JobSpec[] = JOBS): Scheduler {
  const { config } = runtime;
  if (!config.SCHEDULER_ENABLED) return { jobs: [], stop() {} };
  const jobs = specs
    .filter((s) => !config.JOBS_DISABLED.includes(s.name))
    .map((spec) => ({
      name: spec.name,
      cron: new Cron(
        spec.cron,
        { name: spec.name, timezone: config.SCHEDULER_TIMEZONE, protect: true },
        async () => {
          await runJob(runtime, spec);
        },
      ),
    }));
  return {
    jobs,
    stop() {
      for (const j of jobs) j.cron.stop();
    },
  };
}

export async function runJob(runtime: Runtime, spec: JobSpec): Promise<void> {
  const log = runtime.log.child({ job: spec.name });
  try {
    log.info("job started");
    await spec.run(runtime);
    log.info("job finished");
  } catch (err) {
    log.error({ err }, "job failed");
    await runtime.bus
      .publish("scheduler.job_failed", {
        source: "scheduler",
        payload: { job: spec.name, error: errorMessage(err) },
      })
      .catch(() => undefined);
  }
}
