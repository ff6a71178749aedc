/**
 * `health_scan` `{account_id?}`: technical health from each account's Tickets and the integration
 * heartbeat, written to Health Score, Health Status and Last Health Scan, and escalations of at most
 * TAM_ESCALATIONS_MAX_PER_SCAN accounts under the notification policy (repeats, same-day deferrals,
 * failed channels finished first). Bulk rows live in tam_scan_results (store.ts); the state between
 * nodes is the scan instant and counts.
 *
 *   start -> score -> persist -> escalate -> summarize
 */
import { z } from "zod";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import { accountIdField } from "../../shared/task-input.js";

export const HealthScanTaskSchema = z.strictObject({
  type: z.literal("health_scan"),
  account_id: accountIdField.optional(),
});
export type HealthScanTask = TaskOf<typeof HealthScanTaskSchema>;

export const HEALTH_SCAN_DESCRIPTION =
  "Technical health from tickets and the integration heartbeat: writes Health Score, Health Status and Last Health Scan, and escalates (at most 5 accounts a scan) over records, events, a draft to the owner and Slack. {account_id?}";

export interface HealthScanScratch {
  /** The instant the scan judges by, fixed by start. */
  scan_at: string;
  scored: number;
  skipped: number;
}

export type HealthScanNode = NodeFn<HealthScanTask, HealthScanScratch>;

/** Accounts a page of the book, and most rows a result lists. */
export const PAGE = 500;
export const MAX_LISTED = 500;

type Ref = { account_id: string };

/** An escalation of the result: what went out, or the error that stopped it. */
export type EscalationView = Ref & {
  account_name: string;
  score: number | null;
  status: string | null;
  previous_status: string | null;
  reasons: string[];
  retry?: true;
} & ({ error: string } | { failed_channels: unknown; generated_by: unknown });

/** The scan's result: scores, records writes, escalations and why the others did not go out. */
export interface TamHealthScanResult {
  scanned: number;
  scored: number;
  skipped: Array<Ref & { reason: string | null }>;
  records_written: number;
  records_failed: number;
  escalations_raised: number;
  escalations: EscalationView[];
  escalations_deferred: Array<Ref & { score: number | null; status: string | null; reason: string | null }>;
  escalations_suppressed: Array<Ref & { reason: string | null }>;
  /** The lowest first, at most MAX_LISTED. */
  health_scores: Array<
    Ref & {
      score: number | null;
      status: string | null;
      previous_status: string | null;
      open_tickets: number | null;
      aged_p1_p2: number | null;
    }
  >;
  health_scores_truncated: boolean;
  confidence: "high" | "medium";
}
