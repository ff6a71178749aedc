/** The persist node: Health Score, Health Status and Last Health Scan written for each scored account. */
import type { TamStatus } from "../../../../domain/types.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import * as store from "../store.js";
import { type HealthScanNode, PAGE } from "../task.js";

export function persist(deps: AgentDeps): HealthScanNode {
  return async (ctx) => {
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    const total = ctx.scratch.scored ?? 0;
    let after = "";
    let done = 0;
    for (;;) {
      const rows = await store.unpersistedPage(deps.store.db, ctx.run_id, after, PAGE);
      if (rows.length === 0) break;
      const statuses: Array<{ account_id: string; status: "written" | "failed" }> = [];
      for (const row of rows) {
        try {
          await deps.records.updateAccount(
            row.account_id,
            {
              health_score: row.score,
              health_status: row.health_status as TamStatus,
              last_health_scan: scanAt,
            },
            { idempotencyKey: `tam-health:${row.account_id}:${ctx.run_id}` },
          );
          statuses.push({ account_id: row.account_id, status: "written" });
        } catch (err) {
          // One account's failed write never fails the scan; the summary counts it.
          deps.log.warn({ err, account_id: row.account_id, run_id: ctx.run_id }, "TAM health write failed");
          statuses.push({ account_id: row.account_id, status: "failed" });
        }
      }
      await store.setRecordsStatus(deps.store.db, ctx.run_id, statuses);
      done += rows.length;
      after = rows[rows.length - 1]!.account_id;
      ctx.progress({ phase: "persist", done, total: Math.max(total, done) });
    }
    return {};
  };
}
