/**
 * The CSM task queue's daily generation, 06:30 by default (CRON_TASK_GENERATION): the rules run over the
 * whole book before the CSMs' day starts, and expired snoozes return to the queue. Generation never
 * duplicates (one open task per customer and type, one task per trigger episode), so a made-up or
 * doubled run is harmless.
 */
import type { JobSpec, SchedulerDeps } from "../job.js";

export const taskGenerationJob: JobSpec<Pick<SchedulerDeps, "queue">> = {
  name: "task_generation",
  cron: (config) => config.CRON_TASK_GENERATION,
  run: (deps, fire) => deps.queue.generate({ source: fire?.madeUp ? "schedule:made_up" : "schedule" }),
};

export const TASK_JOBS = [taskGenerationJob];
