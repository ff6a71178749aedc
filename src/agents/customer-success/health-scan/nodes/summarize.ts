/**
 * The health scan's last node: its result, read back from its rows: scanned, scored, skipped (with
 * reasons), alerts raised and deferred, health scores, confidence. health_scores lists the riskiest
 * accounts first and is capped so a 10,000-account result stays small (`health_scores_truncated` says
 * so); the full table stays in the store for a while.
 */
import { addDays } from "../../../../domain/calendar.js";
import { csmScanConfidence } from "../../../../domain/health/scan-confidence.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { type ChannelOutcomes, failedChannels } from "../../../shared/alert-channels.js";
import { SCAN_RESULTS_RETENTION_DAYS } from "../settings.js";
import { raisedAlerts } from "../store/alerts.js";
import { countRows } from "../store/outcomes.js";
import { failedRecordWrites } from "../store/record-writes.js";
import { deferredRows, pruneScans, riskiest, skipCauses, skippedRows } from "../store/summary.js";
import type { HealthScanNode, HealthScanResult, RaisedAlertView } from "../task.js";

/** More than this many scores in a run result would bloat runs, checkpoints and API responses. */
export const HEALTH_SCORES_IN_RESULT = 500;

export const summarize =
  (deps: AgentDeps): HealthScanNode =>
  async (ctx) => {
    const db = deps.store.db;
    const runId = ctx.run_id;
    const counts = await countRows(db, runId);
    const skipped = await skippedRows(db, runId);
    const raised = await raisedAlerts(db, runId);
    const deferred = await deferredRows(db, runId);
    const scores = await riskiest(db, runId, HEALTH_SCORES_IN_RESULT + 1);
    const recordsFailed = await failedRecordWrites(db, runId);

    const alertsRaised = raised.map((r): RaisedAlertView => {
      const outcome = JSON.parse(r.alert_result ?? "{}") as {
        channels: ChannelOutcomes;
        generated_by: string;
        retry?: boolean;
      };
      const failed = failedChannels(outcome.channels);
      return {
        account_id: r.account_id,
        account_name: r.account_name,
        score: r.score,
        rag: r.rag,
        churn_risk: r.churn_level,
        channels: Object.fromEntries(
          Object.entries(outcome.channels).map(([name, o]) => [name, o.status]),
        ) as Record<keyof ChannelOutcomes, string>,
        failed_channels: failed,
        ...(failed.length > 0
          ? { errors: Object.fromEntries(failed.map((c) => [c, outcome.channels[c].error ?? "failed"])) }
          : {}),
        draft_id: outcome.channels.draft.id ?? null,
        narrative_generated_by: outcome.generated_by,
        // Finishing an earlier alert whose channels failed: only those channels ran.
        ...(outcome.retry ? { retry: true } : {}),
      };
    });

    const confidence = csmScanConfidence({
      total: counts.total,
      scored: counts.scored,
      skipped: skipped.length > 0 ? await skipCauses(db, runId) : [],
      channelFailures: alertsRaised.some((a) => a.failed_channels.length > 0),
      recordsFailed: recordsFailed.length,
    });

    const scanAt = fromScratch(ctx.scratch, "scan_at");
    await pruneScans(db, addDays(new Date(scanAt), -SCAN_RESULTS_RETENTION_DAYS).toISOString());

    const result: HealthScanResult = {
      scanned: counts.total,
      scored: counts.scored,
      skipped,
      alerts_raised: alertsRaised,
      alerts_deferred: deferred,
      health_scores: scores.slice(0, HEALTH_SCORES_IN_RESULT).map((s) => ({
        account_id: s.account_id,
        account_name: s.account_name,
        score: s.score,
        rag: s.rag,
        previous_score: s.previous_score,
        trend: s.trend,
        churn_risk: s.churn_risk,
        top_driver: s.top_driver,
        should_alert: s.should_alert,
      })),
      ...(scores.length > HEALTH_SCORES_IN_RESULT ? { health_scores_truncated: true } : {}),
      ...(recordsFailed.length > 0 ? { records_failed: recordsFailed } : {}),
      confidence,
    };
    return { result: { ...result } };
  };
