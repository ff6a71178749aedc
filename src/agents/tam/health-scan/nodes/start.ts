/**
 * The start node: checks the task (a hand-off over the bus was not validated by the API), fixes the
 * scan's instant and prunes old scans' rows.
 */
import { addDays } from "../../../../domain/calendar.js";
import type { AgentDeps } from "../../../deps.js";
import { parseTaskOrReject } from "../../../shared/task-input.js";
import * as store from "../store.js";
import { type HealthScanNode, HealthScanTaskSchema } from "../task.js";

export function start(deps: AgentDeps): HealthScanNode {
  return async (ctx) => {
    parseTaskOrReject(HealthScanTaskSchema, ctx.task, "health_scan task");
    const now = deps.clock.now();
    await store.deleteScansBefore(deps.store.db, addDays(now, -store.TAM_SCAN_RETENTION_DAYS).toISOString());
    return { scratch: { scan_at: now.toISOString() } };
  };
}
