/**
 * `dispatch_tam_health_check` `{account_id, reason}`: the Sales -> TAM hand-off. Publishes a durable
 * `handoff.requested` for a TAM `health_scan` of the account and returns the TAM run id, which derives
 * from the hand-off event so it is known before the TAM has seen it.
 */
import { z } from "zod";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import { accountIdField } from "../../shared/task-input.js";

export const DispatchTamHealthCheckTaskSchema = z.strictObject({
  type: z.literal("dispatch_tam_health_check"),
  account_id: accountIdField,
  reason: z.string().trim().min(1).max(1000),
});
export type DispatchTamHealthCheckTask = TaskOf<typeof DispatchTamHealthCheckTaskSchema>;

export const DISPATCH_TAM_HEALTH_CHECK_DESCRIPTION =
  "Hands a TAM health_scan of the account over the bus and returns the TAM run id. {account_id, reason}";

/** The TAM's agent id and task type: named here, never imported (agents do not import each other). */
export const TAM_AGENT = "tam";
export const TAM_TASK = "health_scan";

/** One node, no state between nodes. */
export type DispatchTamHealthCheckNode = NodeFn<DispatchTamHealthCheckTask>;

/** The hand-off, and the TAM run it becomes. */
export interface DispatchTamHealthCheckResult {
  account_id: string;
  tam_run_id: string;
  handoff_event_id: string;
  reason: string;
  confidence: "high";
}
