/**
 * The CSM task queue's daily generation (issue 7 item 4), 06:30 by default (CRON_TASK_GENERATION): the
 * rules run over the whole book before the CSMs' day starts, and expired snoozes return to the queue.
 * Generation never duplicates (one open task per customer and type, one task per trigger episode), so a
 * made-up or doubled run is harmless.
 */
import type { JobSpec } from "../index.js";

export const taskGenerationJob: JobSpec = {
  name: "task_generation",
  cron: (config) => config.CRON_TASK_GENERATION,
  async run(runtime, fire) {
    return runtime.queue.generate({ source: fire?.madeUp ? "schedule:made_up" : "schedule" });
  },
};

export const TASK_JOBS: JobSpec[] = [taskGenerationJob];
