/**
 * The health scan's fourth node: decide which accounts to alert (at most ALERTS_MAX_PER_SCAN by ARR x severity; repeats only
 * when the churn level rose or ALERT_REPEAT_DAYS passed) and deliver each alert over its four channels.
 * Decisions are stored before any delivery, so a re-run (crash, resume) delivers the same alerts, and
 * each channel's idempotency key keeps it from happening twice. An earlier alert with a failed channel
 * is finished here when selected again under its key (see domain/churn-alerts.ts): only that channel runs.
 */
import { decideAlerts } from "../../../../domain/churn-alerts.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { csmSettings } from "../../settings.js";
import { raiseChurnAlert } from "../churn-alert.js";
import { loadAlertStates, markRaised, storeDecisions } from "../store/alert-state.js";
import { alertCandidates, alertsDecided, countAlerts, pendingAlerts } from "../store/alerts.js";
import type { HealthScanNode } from "../task.js";

export const raiseAlerts =
  (deps: AgentDeps): HealthScanNode =>
  async (ctx) => {
    const db = deps.store.db;
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    const scanDate = new Date(scanAt);
    if (!(await alertsDecided(db, ctx.run_id))) {
      const settings = csmSettings(deps.config);
      const candidates = await alertCandidates(db, ctx.run_id);
      if (candidates.length > 0) {
        const states = await loadAlertStates(
          db,
          candidates.map((c) => c.account_id),
        );
        const decisions = decideAlerts(candidates, states, {
          scanAt: scanDate,
          maxAlerts: settings.maxAlertsPerScan,
          repeatDays: settings.alertRepeatDays,
        });
        await storeDecisions(db, ctx.run_id, decisions, candidates, scanDate);
      }
    }

    const pending = await pendingAlerts(db, ctx.run_id);
    const total = pending.length + (await countAlerts(db, ctx.run_id, "raised"));
    let done = total - pending.length;
    // A selected alert under the key of the account's last alert finishes that alert (its failed channels).
    const states = await loadAlertStates(
      db,
      pending.map((p) => p.account_id),
    );
    for (const row of pending) {
      const retry = states.get(row.account_id)?.last_key === row.alert_key;
      const outcome = await raiseChurnAlert(deps, {
        account: row.account,
        score: row.score,
        rag: row.rag,
        churn_level: row.churn_level,
        detail: row.detail,
        key: row.alert_key,
        run_id: ctx.run_id,
        scan_at: scanAt,
      });
      await markRaised(
        db,
        ctx.run_id,
        row.account_id,
        row.churn_level,
        row.alert_key,
        { ...outcome, ...(retry ? { retry } : {}) },
        scanDate,
      );
      done++;
      ctx.progress({ phase: "raise_alerts", done, total });
    }
    return { scratch: { alerts_done: true } };
  };
