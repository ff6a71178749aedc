/** What a scan's result, the CLI and operators read back from its rows, and their pruning. */
import { healthScanIneligibility } from "../../../../domain/eligibility.js";
import type { SkipCause } from "../../../../domain/health/scan-confidence.js";
import type { ChurnLevel, Rag } from "../../../../domain/types.js";
import type { AlertStatus } from "./alerts.js";
import type { Db } from "./rows.js";
import { decodeScanAccount } from "./stored-forms.js";

export interface DeferredRow {
  account_id: string;
  account_name: string;
  churn_risk: ChurnLevel;
  score: number;
  arr: number | null;
  reason: string | null;
}

/** Deferred alerts, most severe and biggest ARR first. */
export async function deferredRows(db: Db, runId: string): Promise<DeferredRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["account_id", "account_name", "churn_level", "score", "arr", "alert_reason"])
    .where("run_id", "=", runId)
    .where("alert_status", "=", "deferred")
    .orderBy("severity", "desc")
    .orderBy("arr", "desc")
    .orderBy("account_id")
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account_name: r.account_name,
    churn_risk: r.churn_level as ChurnLevel,
    score: r.score!,
    arr: r.arr,
    reason: r.alert_reason,
  }));
}

export interface SkippedRow {
  account_id: string;
  reason: string;
}

export async function skippedRows(db: Db, runId: string): Promise<SkippedRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["account_id", "skip_reason"])
    .where("run_id", "=", runId)
    .where("status", "=", "skipped")
    .orderBy("account_id")
    .execute();
  return rows.map((r) => ({ account_id: r.account_id, reason: r.skip_reason ?? "skipped" }));
}

export interface ScoreRow {
  account_id: string;
  account_name: string;
  score: number;
  rag: Rag;
  previous_score: number | null;
  trend: string;
  churn_risk: ChurnLevel;
  top_driver: string | null;
  should_alert: boolean;
  alert_status: AlertStatus | null;
  arr: number | null;
}

/** Scored accounts, riskiest first: churn level, then lowest score. */
export async function riskiest(db: Db, runId: string, limit: number): Promise<ScoreRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select([
      "account_id",
      "account_name",
      "score",
      "rag",
      "previous_score",
      "trend",
      "churn_level",
      "top_driver",
      "should_alert",
      "alert_status",
      "arr",
    ])
    .where("run_id", "=", runId)
    .where("status", "=", "scored")
    .orderBy("severity", "desc")
    .orderBy("score", "asc")
    .orderBy("account_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account_name: r.account_name,
    score: r.score!,
    rag: r.rag as Rag,
    previous_score: r.previous_score,
    trend: r.trend ?? "new",
    churn_risk: r.churn_level as ChurnLevel,
    top_driver: r.top_driver,
    should_alert: r.should_alert === 1,
    alert_status: r.alert_status as AlertStatus | null,
    arr: r.arr,
  }));
}

/**
 * Drop the working rows of scans that started before `before` (health history keeps what matters
 * long-term). A run's rows are one primary-key range, so each delete is a range delete per run.
 */
export async function pruneScans(db: Db, before: string): Promise<void> {
  const old = await db.selectFrom("csm_scans").select("run_id").where("scan_at", "<", before).execute();
  if (old.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const { run_id } of old) {
      await trx.deleteFrom("csm_scan_results").where("run_id", "=", run_id).execute();
      await trx.deleteFrom("csm_scan_inputs").where("run_id", "=", run_id).execute();
      await trx.deleteFrom("csm_scans").where("run_id", "=", run_id).execute();
    }
  });
}

/**
 * Why each skipped account of the run was skipped: the stored snapshot tells an account out of the
 * scan's scope (the eligibility rule) from one the records could not hand over or the rules could not
 * score, so the result's confidence never reads the wording of a reason.
 */
export async function skipCauses(db: Db, runId: string): Promise<SkipCause[]> {
  const rows = await db
    .selectFrom("csm_scan_results as r")
    .innerJoin("csm_scan_inputs as i", (j) =>
      j.onRef("i.run_id", "=", "r.run_id").onRef("i.account_id", "=", "r.account_id"),
    )
    .select("i.account")
    .where("r.run_id", "=", runId)
    .where("r.status", "=", "skipped")
    .execute();
  return rows.map((r): SkipCause => {
    if (r.account === null) return "unreadable";
    return healthScanIneligibility(decodeScanAccount(r.account)) ? "ineligible" : "unscorable";
  });
}
