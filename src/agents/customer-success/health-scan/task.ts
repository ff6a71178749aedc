/**
 * `health_scan` `{account_id?, renewal_within_days?}`: score accounts, persist what changed, alert the
 * riskiest. Five nodes so a crash resumes at a boundary; their bulk rows live in the scan's tables keyed
 * by run id (see store/), and the state between nodes is the scan instant and counts.
 *   loadAccounts -> scoreAccounts -> persistScores -> raiseAlerts -> summarize
 */
import { z } from "zod";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";

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
export type HealthScanTask = TaskOf<typeof HealthScanTaskSchema>;

export const HEALTH_SCAN_DESCRIPTION =
  "Score account health (11 signals), assess churn risk, write changes to the records, and alert the riskiest accounts over four channels";

/** What the scan's nodes hand each other. */
export interface HealthScanScratch {
  /** The instant the scan judges "now" by, fixed when it starts. */
  scan_at: string;
  scanned: number;
  scored: number;
  skipped: number;
  persisted: boolean;
  alerts_done: boolean;
}

export type HealthScanNode = NodeFn<HealthScanTask, HealthScanScratch>;

/** An alert of the result: what went out for one account, channel by channel. */
export interface RaisedAlertView {
  account_id: string;
  account_name: string;
  score: number;
  rag: string;
  churn_risk: string;
  channels: Record<string, string>;
  failed_channels: string[];
  errors?: Record<string, string>;
  draft_id: string | null;
  narrative_generated_by: string;
  retry?: true;
}

/** The scan's result (the run's `result` besides `task_type`). */
export interface HealthScanResult {
  scanned: number;
  scored: number;
  skipped: Array<{ account_id: string; reason: string }>;
  alerts_raised: RaisedAlertView[];
  alerts_deferred: Array<{
    account_id: string;
    account_name: string;
    churn_risk: string;
    score: number;
    arr: number | null;
    reason: string | null;
  }>;
  /** The riskiest first, at most HEALTH_SCORES_IN_RESULT. */
  health_scores: Array<{
    account_id: string;
    account_name: string;
    score: number;
    rag: string;
    previous_score: number | null;
    trend: string;
    churn_risk: string;
    top_driver: string | null;
    should_alert: boolean;
  }>;
  health_scores_truncated?: true;
  records_failed?: string[];
  confidence: "high" | "medium" | "low";
}
