/**
 * The weekly expansion check of the book, Monday 09:00 by default (CRON_EXPANSION_SCAN): Customer
 * Success' check_expansion, which hands opportunities to Sales.
 */
import { agentScanJob } from "./agent-scan.js";

export const expansionScanJob = agentScanJob("expansion_scan", (config) => config.CRON_EXPANSION_SCAN, {
  agent_id: "customer-success",
  task: { type: "check_expansion" },
});

export const EXPANSION_JOBS = [expansionScanJob];
