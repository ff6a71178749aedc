/** The health_scan handler: its schema, description and the five nodes in order. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { loadAccounts } from "./nodes/load-accounts.js";
import { persistScores } from "./nodes/persist-scores.js";
import { raiseAlerts } from "./nodes/raise-alerts.js";
import { scoreAccounts } from "./nodes/score-accounts.js";
import { summarize } from "./nodes/summarize.js";
import { HEALTH_SCAN_DESCRIPTION, type HealthScanScratch, HealthScanTaskSchema } from "./task.js";

export const healthScan: TaskHandler<AgentDeps, typeof HealthScanTaskSchema, HealthScanScratch> = {
  schema: HealthScanTaskSchema,
  description: HEALTH_SCAN_DESCRIPTION,
  build: (deps) => [
    ["loadAccounts", loadAccounts(deps)],
    ["scoreAccounts", scoreAccounts(deps)],
    ["persistScores", persistScores(deps)],
    ["raiseAlerts", raiseAlerts(deps)],
    ["summarize", summarize(deps)],
  ],
};
