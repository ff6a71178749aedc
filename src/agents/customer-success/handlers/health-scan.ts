/**
 * `health_scan` (issue 3): score accounts, persist what changed, alert the riskiest. Five nodes so a
 * crash resumes at a boundary; their bulk rows live in csm_scan_results keyed by run id.
 *   loadAccounts -> scoreAccounts -> persistScores -> raiseAlerts -> summarize
 */
import { z } from "zod";
import { loadAccounts } from "../health-scan/load-accounts.js";
import { persistScores } from "../health-scan/persist-scores.js";
import { raiseAlerts } from "../health-scan/raise-alerts.js";
import { scoreAccounts } from "../health-scan/score-accounts.js";
import { summarize } from "../health-scan/summarize.js";
import type { CsTaskHandler } from "./types.js";

export const HealthScanTaskSchema = z.strictObject({
  type: z.literal("health_scan"),
  account_id: z.string().min(1).optional().describe("scan only this account"),
  renewal_within_days: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe("scan only accounts whose renewal date is within this many days (the contract check)"),
});
export type HealthScanTask = z.infer<typeof HealthScanTaskSchema>;

export const healthScanHandler: CsTaskHandler<typeof HealthScanTaskSchema> = {
  schema: HealthScanTaskSchema,
  description:
    "Score account health (11 signals), assess churn risk, write changes to the records, and alert the riskiest accounts over four channels",
  build: (deps) => [
    ["loadAccounts", loadAccounts(deps)],
    ["scoreAccounts", scoreAccounts(deps)],
    ["persistScores", persistScores(deps)],
    ["raiseAlerts", raiseAlerts(deps)],
    ["summarize", summarize(deps)],
  ],
};
