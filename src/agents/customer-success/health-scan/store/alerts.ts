/** The alert stage's reads of the scan rows: the candidates, the decisions, what is left to raise. */
import type { AlertCandidate } from "../../../../domain/churn-alerts.js";
import type { ChurnLevel, Rag } from "../../../../domain/types.js";
import { decodeHealthDetail } from "../../../../store/health-detail.js";
import type { HealthDetail, ScanAccount } from "../../scoring.js";
import type { Db } from "./rows.js";
import { decodeScanAccount } from "./stored-forms.js";

export type AlertStatus = "selected" | "deferred" | "suppressed" | "raised";

export async function alertCandidates(db: Db, runId: string): Promise<AlertCandidate[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["account_id", "churn_level", "severity", "arr", "score"])
    .where("run_id", "=", runId)
    .where("status", "=", "scored")
    .where("should_alert", "=", 1)
    .orderBy("account_id")
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    churn_level: r.churn_level as ChurnLevel,
    severity: r.severity ?? 1,
    arr: r.arr,
    score: r.score ?? 0,
  }));
}

/** True once the run's alert decisions were stored (they are stored in one transaction). */
export async function alertsDecided(db: Db, runId: string): Promise<boolean> {
  const row = await db
    .selectFrom("csm_scan_results")
    .select("account_id")
    .where("run_id", "=", runId)
    .where("alert_status", "is not", null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface PendingAlert {
  account_id: string;
  account: ScanAccount;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  detail: HealthDetail;
  alert_key: string;
}

/**
 * Alerts selected and not yet raised, in rank order, with what an alert needs: the account as loaded and
 * the scoring detail (from its health-history row). At most ALERTS_MAX_PER_SCAN rows.
 */
export async function pendingAlerts(db: Db, runId: string): Promise<PendingAlert[]> {
  const rows = await db
    .selectFrom("csm_scan_results as r")
    .innerJoin("csm_scan_inputs as i", (j) =>
      j.onRef("i.run_id", "=", "r.run_id").onRef("i.account_id", "=", "r.account_id"),
    )
    .innerJoin("health_history as h", (j) =>
      j.onRef("h.run_id", "=", "r.run_id").onRef("h.account_id", "=", "r.account_id"),
    )
    .select(["r.account_id", "i.account", "r.score", "r.rag", "r.churn_level", "h.detail", "r.alert_key"])
    .where("r.run_id", "=", runId)
    .where("r.alert_status", "=", "selected")
    .orderBy("r.alert_rank")
    .orderBy("r.account_id")
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account: decodeScanAccount(r.account ?? "null"),
    score: r.score!,
    rag: r.rag as Rag,
    churn_level: r.churn_level as ChurnLevel,
    detail: decodeHealthDetail(r.detail) ?? ({} as HealthDetail),
    alert_key: r.alert_key ?? "",
  }));
}

export interface RaisedRow {
  account_id: string;
  account_name: string;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  alert_result: string | null;
}

export async function raisedAlerts(db: Db, runId: string): Promise<RaisedRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["account_id", "account_name", "score", "rag", "churn_level", "alert_result"])
    .where("run_id", "=", runId)
    .where("alert_status", "=", "raised")
    .orderBy("alert_rank")
    .orderBy("account_id")
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account_name: r.account_name,
    score: r.score!,
    rag: r.rag as Rag,
    churn_level: r.churn_level as ChurnLevel,
    alert_result: r.alert_result,
  }));
}

export async function countAlerts(db: Db, runId: string, status: AlertStatus): Promise<number> {
  const row = await db
    .selectFrom("csm_scan_results")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("run_id", "=", runId)
    .where("alert_status", "=", status)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
