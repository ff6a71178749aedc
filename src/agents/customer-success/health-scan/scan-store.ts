/**
 * The health scan's bulk rows (csm_scan_results), keyed by run id: the graph state carries only ids and
 * counts, so every node reads and writes its accounts here, page by page, in batched transactions.
 */
import { type Kysely, sql } from "kysely";
import type { Account, ChurnLevel, Rag } from "../../../domain/types.js";
import type { Database } from "../../../store/schema.js";
import type { AlertCandidate } from "../alerts/selection.js";
import type { AccountOutcome, HealthDetail } from "../scoring.js";
import { trendLabel } from "../scoring.js";

type Db = Kysely<Database>;

export type RowStatus = "loaded" | "scored" | "skipped";
export type AlertStatus = "selected" | "deferred" | "suppressed" | "raised";

export interface LoadedRow {
  account_id: string;
  account: Account;
  open_tickets: number;
}

/** Record the accounts a scan will score. A re-run of the load keeps the first snapshot. */
export async function insertLoaded(
  db: Db,
  runId: string,
  scanAt: string,
  items: Array<{ account: Account; openTickets: number }>,
): Promise<void> {
  if (items.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < items.length; i += 100) {
      await trx
        .insertInto("csm_scan_results")
        .orIgnore()
        .values(
          items.slice(i, i + 100).map(({ account, openTickets }) => ({
            run_id: runId,
            account_id: account.id,
            scan_at: scanAt,
            account_name: account.name,
            account: JSON.stringify(account),
            open_tickets: openTickets,
            status: "loaded",
            arr: account.arr,
          })),
        )
        .execute();
    }
  });
}

/** Accounts the records could not hand over: skipped rows carrying the reason. */
export async function insertUnreadable(
  db: Db,
  runId: string,
  scanAt: string,
  skips: Array<{ account_id: string; reason: string }>,
): Promise<void> {
  if (skips.length === 0) return;
  await db
    .insertInto("csm_scan_results")
    .orIgnore()
    .values(
      skips.map((s) => ({
        run_id: runId,
        account_id: s.account_id,
        scan_at: scanAt,
        account_name: s.account_id,
        account: "null",
        open_tickets: 0,
        status: "skipped",
        skip_reason: `unreadable record: ${s.reason}`,
        arr: null,
      })),
    )
    .execute();
}

export async function countRows(
  db: Db,
  runId: string,
): Promise<Record<RowStatus, number> & { total: number }> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("run_id", "=", runId)
    .groupBy("status")
    .execute();
  const counts = { loaded: 0, scored: 0, skipped: 0, total: 0 };
  for (const r of rows) {
    counts[r.status as RowStatus] = Number(r.n);
    counts.total += Number(r.n);
  }
  return counts;
}

export async function loadedPage(
  db: Db,
  runId: string,
  afterId: string,
  limit: number,
): Promise<LoadedRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["account_id", "account", "open_tickets"])
    .where("run_id", "=", runId)
    .where("status", "=", "loaded")
    .where("account_id", ">", afterId)
    .orderBy("account_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account: JSON.parse(r.account) as Account,
    open_tickets: r.open_tickets,
  }));
}

/**
 * Store a page of scoring outcomes in one transaction, a hundred rows a statement (UPDATE ... FROM
 * VALUES): per-row statements cost more than the scoring itself on a large book.
 */
export async function saveOutcomes(db: Db, runId: string, outcomes: AccountOutcome[]): Promise<void> {
  const scored = outcomes.filter((o) => o.kind === "scored");
  const skipped = outcomes.filter((o) => o.kind === "skipped");
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < scored.length; i += 100) {
      const rows = scored
        .slice(i, i + 100)
        .map(
          (o) =>
            sql`(${sql.join([
              o.account_id,
              o.score,
              o.rag,
              o.churn_level,
              o.severity,
              o.detail.previous_score,
              o.detail.previous_rag,
              trendLabel(o.detail.trend),
              o.detail.top_drivers[0] ?? null,
              o.should_alert ? 1 : 0,
              o.changed ? 1 : 0,
              JSON.stringify(o.detail),
            ])})`,
        );
      await sql`UPDATE csm_scan_results SET status = 'scored', score = v.column2, rag = v.column3,
          churn_level = v.column4, severity = v.column5, previous_score = v.column6, previous_rag = v.column7,
          trend = v.column8, top_driver = v.column9, should_alert = v.column10, changed = v.column11,
          detail = v.column12
        FROM (VALUES ${sql.join(rows)}) AS v
        WHERE csm_scan_results.run_id = ${runId} AND csm_scan_results.account_id = v.column1`.execute(trx);
    }
    for (let i = 0; i < skipped.length; i += 100) {
      const rows = skipped.slice(i, i + 100).map((o) => sql`(${o.account_id}, ${o.reason})`);
      await sql`UPDATE csm_scan_results SET status = 'skipped', skip_reason = v.column2
        FROM (VALUES ${sql.join(rows)}) AS v
        WHERE csm_scan_results.run_id = ${runId} AND csm_scan_results.account_id = v.column1`.execute(trx);
    }
  });
}

/** One history row per scored account of the run; the unique (account_id, run_id) index makes it once. */
export async function insertHistory(db: Db, runId: string): Promise<number> {
  const res = await db
    .insertInto("health_history")
    .orIgnore()
    .columns(["account_id", "at", "score", "rag", "run_id", "detail"])
    .expression(
      db
        .selectFrom("csm_scan_results")
        .select(["account_id", "scan_at", "score", "rag", "run_id", "detail"])
        .where("run_id", "=", runId)
        .where("status", "=", "scored"),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

export interface ChangedRow {
  account_id: string;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  previous_score: number | null;
  previous_rag: Rag | null;
  trend: string;
}

/** Scored accounts whose values changed and are not yet written to the records. */
export async function unwrittenChangedPage(
  db: Db,
  runId: string,
  afterId: string,
  limit: number,
): Promise<ChangedRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select(["account_id", "score", "rag", "churn_level", "previous_score", "previous_rag", "trend"])
    .where("run_id", "=", runId)
    .where("status", "=", "scored")
    .where("changed", "=", 1)
    .where("records_status", "is", null)
    .where("account_id", ">", afterId)
    .orderBy("account_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    score: r.score!,
    rag: r.rag as Rag,
    churn_level: r.churn_level as ChurnLevel,
    previous_score: r.previous_score,
    previous_rag: r.previous_rag as Rag | null,
    trend: r.trend ?? "new",
  }));
}

export async function countUnwrittenChanged(db: Db, runId: string): Promise<number> {
  const row = await db
    .selectFrom("csm_scan_results")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("run_id", "=", runId)
    .where("status", "=", "scored")
    .where("changed", "=", 1)
    .where("records_status", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function markRecords(
  db: Db,
  runId: string,
  results: Array<{ account_id: string; status: "written" | "failed" }>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const status of ["written", "failed"] as const) {
      const ids = results.filter((r) => r.status === status).map((r) => r.account_id);
      if (ids.length === 0) continue;
      await trx
        .updateTable("csm_scan_results")
        .set({ records_status: status })
        .where("run_id", "=", runId)
        .where("account_id", "in", ids)
        .execute();
    }
  });
}

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

export interface AlertRow {
  account_id: string;
  account_name: string;
  account: Account;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  detail: HealthDetail;
  alert_key: string;
  alert_status: AlertStatus;
  alert_reason: string | null;
  alert_result: string | null;
  arr: number | null;
}

export async function alertRows(db: Db, runId: string, status: AlertStatus): Promise<AlertRow[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select([
      "account_id",
      "account_name",
      "account",
      "score",
      "rag",
      "churn_level",
      "detail",
      "alert_key",
      "alert_status",
      "alert_reason",
      "alert_result",
      "arr",
    ])
    .where("run_id", "=", runId)
    .where("alert_status", "=", status)
    .orderBy("alert_rank")
    .orderBy("account_id")
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account_name: r.account_name,
    account: JSON.parse(r.account) as Account,
    score: r.score!,
    rag: r.rag as Rag,
    churn_level: r.churn_level as ChurnLevel,
    detail: JSON.parse(r.detail ?? "{}") as HealthDetail,
    alert_key: r.alert_key ?? "",
    alert_status: r.alert_status as AlertStatus,
    alert_reason: r.alert_reason,
    alert_result: r.alert_result,
    arr: r.arr,
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

export interface DeferredRow {
  account_id: string;
  account_name: string;
  churn_risk: ChurnLevel;
  score: number;
  arr: number | null;
  reason: string | null;
}

/** Deferred alerts, biggest ARR first (without the account snapshots: a large book defers thousands). */
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

/** Drop the rows of scans older than `before` (history keeps what matters long-term). */
export async function pruneScans(db: Db, before: string): Promise<void> {
  await db.deleteFrom("csm_scan_results").where("scan_at", "<", before).execute();
}
