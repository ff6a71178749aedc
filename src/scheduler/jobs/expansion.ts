/**
 * The weekly expansion check of the book (issue 6, item 3), Monday 09:00 by default
 * (CRON_EXPANSION_SCAN): Customer Success' check_expansion, which hands opportunities to Sales.
 */
import type { JobSpec } from "../index.js";
import { dispatchAgentScan } from "./agent-scan.js";

export const expansionScanJob: JobSpec = {
  name: "expansion_scan",
  cron: (config) => config.CRON_EXPANSION_SCAN,
  run: (runtime, fire) =>
    dispatchAgentScan(
      runtime,
      { job: "expansion_scan", agent_id: "customer-success", task: { type: "check_expansion" } },
      fire,
    ),
};

export const EXPANSION_JOBS: JobSpec[] = [expansionScanJob];
