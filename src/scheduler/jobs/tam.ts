/** The TAM's daily technical health scan of the book, 07:30 by default (CRON_TAM_SCAN). */
import { agentScanJob } from "./agent-scan.js";

export const tamScanJob = agentScanJob("tam_scan", (config) => config.CRON_TAM_SCAN, {
  agent_id: "tam",
  task: { type: "health_scan" },
});

export const TAM_JOBS = [tamScanJob];
