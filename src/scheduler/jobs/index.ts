import type { JobSpec } from "../index.js";

/**
 * Every scheduled job. Each part of the product defines its jobs in a file beside this one
 * (e.g. health.ts) and adds them here; names are what JOBS_DISABLED lists.
 */
export const JOBS: JobSpec[] = [];
