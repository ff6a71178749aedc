import type { JobSpec } from "../job.js";
import { EXPANSION_JOBS } from "./expansion.js";
import { HEALTH_JOBS } from "./health.js";
import { PLAYBOOK_JOBS } from "./playbooks.js";
import { QBR_JOBS } from "./qbr.js";
import { TAM_JOBS } from "./tam.js";
import { TASK_JOBS } from "./tasks.js";

/**
 * Every scheduled job, in the order the scheduler starts them. Each part of the product defines its jobs
 * in a file beside this one (e.g. health.ts) and lists them here; names are what JOBS_DISABLED lists.
 */
export const JOBS: readonly JobSpec[] = [
  ...HEALTH_JOBS,
  ...QBR_JOBS,
  ...TASK_JOBS,
  ...PLAYBOOK_JOBS,
  ...TAM_JOBS,
  ...EXPANSION_JOBS,
];
