/** The summarize node: the scan's result, read back from its rows. */
import { tamScanConfidence } from "../../../../domain/health/scan-confidence.js";
import type { AgentDeps } from "../../../deps.js";
import * as store from "../store.js";
import { type EscalationView, type HealthScanNode, MAX_LISTED, type TamHealthScanResult } from "../task.js";

export function summarize(deps: AgentDeps): HealthScanNode {
  return async (ctx) => {
    const db = deps.store.db;
    const counts = await store.countRows(db, ctx.run_id);
    const rows = await store.summaryRows(db, ctx.run_id, 100_000);
    const scored = rows.filter((r) => r.status === "scored");
    const raised = rows.filter((r) => r.escalation_status === "raised");
    const escalations = raised
      .sort((a, b) => (a.escalation_rank ?? 0) - (b.escalation_rank ?? 0))
      .map((r): EscalationView => {
        const res = r.escalation_result ? (JSON.parse(r.escalation_result) as Record<string, unknown>) : {};
        return {
          account_id: r.account_id,
          account_name: r.account_name,
          score: r.score,
          status: r.health_status,
          previous_status: r.previous_status,
          reasons: store.rowDetail(r).escalation_reasons,
          ...(typeof res.error === "string"
            ? { error: res.error }
            : { failed_channels: res.failed_channels ?? [], generated_by: res.generated_by ?? null }),
          // Finishing an earlier escalation whose channels failed: only those channels ran.
          ...(res.retry === true ? { retry: true } : {}),
        };
      });
    const recordsFailed = scored.filter((r) => r.records_status === "failed").length;
    const result: TamHealthScanResult = {
      scanned: counts.scored + counts.skipped,
      scored: counts.scored,
      skipped: rows
        .filter((r) => r.status === "skipped")
        .slice(0, MAX_LISTED)
        .map((r) => ({ account_id: r.account_id, reason: r.skip_reason })),
      records_written: scored.filter((r) => r.records_status === "written").length,
      records_failed: recordsFailed,
      escalations_raised: escalations.filter((e) => !("error" in e)).length,
      escalations,
      // Next in line first: by rank (deferred over the limit), then those waiting since an earlier scan.
      escalations_deferred: rows
        .filter((r) => r.escalation_status === "deferred")
        .sort(
          (a, b) =>
            (a.escalation_rank ?? Number.MAX_SAFE_INTEGER) - (b.escalation_rank ?? Number.MAX_SAFE_INTEGER) ||
            a.account_id.localeCompare(b.account_id),
        )
        .map((r) => ({
          account_id: r.account_id,
          score: r.score,
          status: r.health_status,
          reason: r.escalation_reason,
        })),
      escalations_suppressed: rows
        .filter((r) => r.escalation_status === "suppressed")
        .map((r) => ({ account_id: r.account_id, reason: r.escalation_reason })),
      health_scores: scored
        .sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || a.account_id.localeCompare(b.account_id))
        .slice(0, MAX_LISTED)
        .map((r) => ({
          account_id: r.account_id,
          score: r.score,
          status: r.health_status,
          previous_status: r.previous_status,
          open_tickets: r.open_tickets,
          aged_p1_p2: r.aged_p1_p2,
        })),
      health_scores_truncated: scored.length > MAX_LISTED,
      confidence: tamScanConfidence({
        recordsFailed,
        escalationFailures: escalations.some(
          (e) => "error" in e || (Array.isArray(e.failed_channels) && e.failed_channels.length > 0),
        ),
      }),
    };
    return { result: { ...result } };
  };
}
