/**
 * Alert bookkeeping in the store: per-account alert state (last alert, last deferral) and the scan rows'
 * alert decisions. Decisions of a run are written in one transaction, so a re-run of the alert node
 * finds them all or none and never decides twice.
 */
import { sql } from "kysely";
import { isoDate } from "../../../../domain/calendar.js";
import type { AlertCandidate, AlertDecision, AlertState } from "../../../../domain/churn-alerts.js";
import type { AlertChannel } from "../../../../domain/notifications.js";
import type { ChurnLevel } from "../../../../domain/types.js";
import { parseJson } from "../../../../store/db.js";
import { type ChannelOutcomes, failedChannels } from "../../../shared/alert-channels.js";
import type { Db } from "./rows.js";

export async function loadAlertStates(db: Db, accountIds: string[]): Promise<Map<string, AlertState>> {
  const out = new Map<string, AlertState>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom("csm_alert_state")
      .select([
        "account_id",
        "last_level",
        "last_alerted_at",
        "last_key",
        "failed_channels",
        "deferred_level",
        "deferred_on",
      ])
      .where("account_id", "in", accountIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      out.set(r.account_id, {
        last_level: r.last_level as ChurnLevel | null,
        last_alerted_at: r.last_alerted_at,
        last_key: r.last_key,
        failed_channels: parseJson<AlertChannel[] | null>(r.failed_channels, null),
        deferred_level: r.deferred_level as ChurnLevel | null,
        deferred_on: r.deferred_on,
      });
    }
  }
  return out;
}

/** Store every decision on the scan rows, and remember today's deferrals, atomically. */
export async function storeDecisions(
  db: Db,
  runId: string,
  decisions: AlertDecision[],
  candidates: AlertCandidate[],
  scanAt: Date,
): Promise<void> {
  const levelOf = new Map(candidates.map((c) => [c.account_id, c.churn_level]));
  const now = scanAt.toISOString();
  const today = isoDate(scanAt);
  const deferred = decisions.filter((d) => d.status === "deferred");
  await db.transaction().execute(async (trx) => {
    // A hundred rows a statement: a large book defers thousands of accounts in one scan.
    for (let i = 0; i < decisions.length; i += 100) {
      const rows = decisions
        .slice(i, i + 100)
        .map(
          (d) =>
            sql`(${sql.join([
              d.account_id,
              d.status,
              d.reason,
              d.status === "selected" ? d.key : null,
              d.status === "selected" ? d.rank : null,
            ])})`,
        );
      await sql`UPDATE csm_scan_results SET alert_status = v.column2, alert_reason = v.column3,
          alert_key = v.column4, alert_rank = v.column5
        FROM (VALUES ${sql.join(rows)}) AS v
        WHERE csm_scan_results.run_id = ${runId} AND csm_scan_results.account_id = v.column1`.execute(trx);
    }
    for (let i = 0; i < deferred.length; i += 100) {
      await trx
        .insertInto("csm_alert_state")
        .values(
          deferred.slice(i, i + 100).map((d) => ({
            account_id: d.account_id,
            last_level: null,
            last_alerted_at: null,
            last_key: null,
            last_run_id: null,
            deferred_level: levelOf.get(d.account_id) ?? null,
            deferred_on: today,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column("account_id").doUpdateSet((eb) => ({
            deferred_level: eb.ref("excluded.deferred_level"),
            deferred_on: eb.ref("excluded.deferred_on"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute();
    }
  });
}

/**
 * The alert went out (whatever channels failed, recorded in its result): start its repeat window and
 * remember the channels still to deliver. A retry of an earlier alert (same key) keeps that alert's
 * window and only updates what is left to deliver.
 */
export async function markRaised(
  db: Db,
  runId: string,
  accountId: string,
  level: ChurnLevel,
  key: string,
  outcome: { channels: ChannelOutcomes; generated_by: string; retry?: boolean },
  scanAt: Date,
): Promise<void> {
  const now = scanAt.toISOString();
  const failed = failedChannels(outcome.channels);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("csm_scan_results")
      .set({ alert_status: "raised", alert_result: JSON.stringify(outcome) })
      .where("run_id", "=", runId)
      .where("account_id", "=", accountId)
      .execute();
    const stillFailed = failed.length > 0 ? JSON.stringify(failed) : null;
    if (outcome.retry) {
      await trx
        .updateTable("csm_alert_state")
        .set({ failed_channels: stillFailed, updated_at: now })
        .where("account_id", "=", accountId)
        .where("last_key", "=", key)
        .execute();
      return;
    }
    const state = {
      last_level: level,
      last_alerted_at: now,
      last_key: key,
      last_run_id: runId,
      failed_channels: stillFailed,
      deferred_level: null,
      deferred_on: null,
      updated_at: now,
    };
    await trx
      .insertInto("csm_alert_state")
      .values({ account_id: accountId, ...state })
      .onConflict((oc) => oc.column("account_id").doUpdateSet(state))
      .execute();
  });
}
