/** The TAM's daily technical health scan of the book (issue 6, item 2), 07:30 by default (CRON_TAM_SCAN). */
import type { JobSpec } from "../index.js";
import { dispatchAgentScan } from "./agent-scan.js";

export const tamScanJob: JobSpec = {
  name: "tam_scan",
  cron: (config) => config.CRON_TAM_SCAN,
  run: (runtime, fire) =>
    dispatchAgentScan(runtime, { job: "tam_scan", agent_id: "tam", task: { type: "health_scan" } }, fire),
};

export const TAM_JOBS: JobSpec[] = [tamScanJob];
