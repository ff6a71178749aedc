/**
 * The Customer Success scans: a daily health scan of the whole book (07:00 by default, CRON_HEALTH_SCAN)
 * and a daily contract check (08:00, CRON_CONTRACT_CHECK) that re-scans the accounts renewing within 60
 * days.
 */
import { CONTRACT_PROXIMITY_DAYS } from "../../domain/churn.js";
import { agentScanJob } from "./agent-scan.js";

export const healthScanJob = agentScanJob("health_scan", (config) => config.CRON_HEALTH_SCAN, {
  agent_id: "customer-success",
  task: { type: "health_scan" },
});

export const contractCheckJob = agentScanJob("contract_check", (config) => config.CRON_CONTRACT_CHECK, {
  agent_id: "customer-success",
  task: { type: "health_scan", renewal_within_days: CONTRACT_PROXIMITY_DAYS },
});

export const HEALTH_JOBS = [healthScanJob, contractCheckJob];
