/**
 * The health scan's bulk rows, keyed by run id: the graph state carries only ids and counts, so every
 * node reads and writes its accounts here, page by page, in batched transactions (migration 0009).
 * - csm_scans: the instant the run judges by.
 * - csm_scan_inputs: what loadAccounts read (the account's scan fields, see stored-forms.ts; open tickets),
 *   written once.
 * - csm_scan_results: one small row per account (score, churn, flags, alert decision), updated in place.
 * The scoring detail is written once, to health_history, in the same transaction as the result row, so
 * the wide JSON is never rewritten or copied as the scan moves on.
 */
import { setImmediate } from "node:timers/promises";
import { CompiledQuery, type Kysely } from "kysely";
import type { Account, ChurnLevel, Rag } from "../../../domain/types.js";
import { multiRowInsertText } from "../../../store/bulk-sql.js";
import { decodeHealthDetail, encodeHealthDetail } from "../../../store/health-detail.js";
import type { Database } from "../../../store/schema.js";
import type { AlertCandidate } from "../alerts/selection.js";
import { type AccountOutcome, type HealthDetail, type ScanAccount, trendLabel } from "../scoring.js";
import { decodeScanAccount, encodeScanAccount } from "../stored-forms.js";

type Db = Kysely<Database>;

export type RowStatus = "scored" | "skipped";
export type AlertStatus = "selected" | "deferred" | "suppressed" | "raised";

/**
 * The store answers synchronously (better-sqlite3), so a scan's awaits never let other work run: without
 * a turn of the event loop between pages, a 10,000-account scan would hold off the API, the WebSocket
 * streams and the scheduler for its whole length.
 */
export const betweenPages = (): Promise<void> => setImmediate();

/** Rows a statement when updating in bulk. */
const BATCH = 500;

function* batches<T>(items: readonly T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Row counts a bulk insert statement is built for: full batches, then tens, then ones. A fixed set of
 * statement texts per table keeps the store's prepared-statement cache small whatever the page sizes.
 */
const INSERT_SIZES = [100, 10, 1] as const;

/** INSERT OR IGNORE of many rows (tuples in `columns` order), as parameters of fixed statement texts. */
async function insertRows<T extends keyof Database & string>(
  db: Db,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly (string | number | null)[][],
): Promise<void> {
  let i = 0;
  while (i < rows.length) {
    const left = rows.length - i;
    const n = INSERT_SIZES.find((size) => size <= left) ?? 1;
    const params: Array<string | number | null> = [];
    for (let r = i; r < i + n; r++) for (const v of rows[r]!) params.push(v);
    await db.executeQuery(
      CompiledQuery.raw(multiRowInsertText(table, columns, n, { orIgnore: true }), params),
    );
    i += n;
  }
}

/**
 * Start (or resume) the scan of a run: its instant is fixed by the first call, so a re-run node judges
 * by the same "now" and computes the same scores.
 */
export async function scanInstant(db: Db, runId: string, now: Date): Promise<string> {
  await db.insertInto("csm_scans").orIgnore().values({ run_id: runId, scan_at: now.toISOString() }).execute();
  const row = await db
    .selectFrom("csm_scans")
    .select("scan_at")
    .where("run_id", "=", runId)
    .executeTakeFirstOrThrow();
  return row.scan_at;
}

export interface InputRow {
  account_id: string;
  /** Null when the records could not hand the account over (`unreadable` says why). */
  account: ScanAccount | null;
  open_tickets: number;
  unreadable: string | null;
}

type Row = Array<string | number | null>;

/** The csm_scan_inputs rows of a page of loaded accounts (see insertInputRows). */
export function inputRows(
  runId: string,
  items: Array<{ account: Account; openTickets: number }>,
  unreadable: Array<{ account_id: string; reason: string }> = [],
): Row[] {
  return [
    ...items.map(({ account, openTickets }) => [
      runId,
      account.id,
      encodeScanAccount(account),
      openTickets,
      null,
    ]),
    ...unreadable.map((s) => [runId, s.account_id, null, 0, s.reason]),
  ];
}

/** Store input rows in one transaction. A re-run of the load keeps the first snapshot. */
export async function insertInputRows(db: Db, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .transaction()
    .execute((trx) =>
      insertRows(
        trx,
        "csm_scan_inputs",
        ["run_id", "account_id", "account", "open_tickets", "unreadable"],
        rows,
      ),
    );
}

export interface RowCounts {
  /** Accounts loaded for the scan. */
  total: number;
  scored: number;
  skipped: number;
  /** Loaded and not yet scored or skipped. */
  pending: number;
}

export async function countRows(db: Db, runId: string): Promise<RowCounts> {
  const [inputs, results] = await Promise.all([
    db
      .selectFrom("csm_scan_inputs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("run_id", "=", runId)
      .executeTakeFirst(),
    db
      .selectFrom("csm_scan_results")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("run_id", "=", runId)
      .groupBy("status")
      .execute(),
  ]);
  const counts: RowCounts = { total: Number(inputs?.n ?? 0), scored: 0, skipped: 0, pending: 0 };
  for (const r of results) counts[r.status as RowStatus] = Number(r.n);
  counts.pending = Math.max(0, counts.total - counts.scored - counts.skipped);
  return counts;
}

/**
 * The last account whose outcome is stored. Scoring walks the inputs in account-id order and stores each
 * page in one transaction, so everything up to here is done and a re-run continues after it.
 */
export async function lastOutcome(db: Db, runId: string): Promise<string> {
  const row = await db
    .selectFrom("csm_scan_results")
    .select((eb) => eb.fn.max("account_id").as("last"))
    .where("run_id", "=", runId)
    .executeTakeFirst();
  return row?.last ?? "";
}

export async function inputsPage(db: Db, runId: string, afterId: string, limit: number): Promise<InputRow[]> {
  const rows = await db
    .selectFrom("csm_scan_inputs")
    .select(["account_id", "account", "open_tickets", "unreadable"])
    .where("run_id", "=", runId)
    .where("account_id", ">", afterId)
    .orderBy("account_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account: r.account === null ? null : decodeScanAccount(r.account),
    open_tickets: r.open_tickets,
    unreadable: r.unreadable,
  }));
}

/** What the result rows show of an account besides its outcome. */
export interface AccountLabel {
  name: string;
  arr: number | null;
}

/** A page of outcomes as rows: a result row per account, a health-history row per scored account. */
export interface OutcomeRows {
  results: Row[];
  history: Row[];
}

export function outcomeRows(
  runId: string,
  scanAt: string,
  outcomes: AccountOutcome[],
  labels: ReadonlyMap<string, AccountLabel>,
  into: OutcomeRows = { results: [], history: [] },
): OutcomeRows {
  const label = (id: string): AccountLabel => labels.get(id) ?? { name: id, arr: null };
  const { results, history } = into;
  for (const o of outcomes) {
    const { name, arr } = label(o.account_id);
    if (o.kind === "scored") {
      results.push([
        runId,
        o.account_id,
        name,
        arr,
        "scored",
        null,
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
      ]);
      history.push([o.account_id, scanAt, o.score, o.rag, runId, encodeHealthDetail(o.detail)]);
    } else {
      results.push([runId, o.account_id, name, arr, "skipped", o.reason, ...SKIPPED_TAIL]);
    }
  }
  return into;
}

/**
 * Store outcome rows in one transaction. The unique (run_id, account_id) index on health_history and
 * the result's primary key make a re-run of the same rows a no-op.
 */
export async function insertOutcomeRows(db: Db, rows: OutcomeRows): Promise<void> {
  if (rows.results.length === 0 && rows.history.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, "csm_scan_results", RESULT_COLUMNS, rows.results);
    await insertRows(
      trx,
      "health_history",
      ["account_id", "at", "score", "rag", "run_id", "detail"],
      rows.history,
    );
  });
}

/**
 * Store a page of outcomes in one transaction: a small result row per account and, per scored account,
 * its health-history row with the detail. The unique (account_id, run_id) index on health_history and
 * the result's primary key make a re-run of the page a no-op.
 */
export async function saveOutcomes(
  db: Db,
  runId: string,
  scanAt: string,
  outcomes: AccountOutcome[],
  labels: ReadonlyMap<string, AccountLabel>,
): Promise<void> {
  await insertOutcomeRows(db, outcomeRows(runId, scanAt, outcomes, labels));
}

const RESULT_COLUMNS = [
  "run_id",
  "account_id",
  "account_name",
  "arr",
  "status",
  "skip_reason",
  "score",
  "rag",
  "churn_level",
  "severity",
  "previous_score",
  "previous_rag",
  "trend",
  "top_driver",
  "should_alert",
  "changed",
] as const;
/** A skipped row's values after skip_reason: no score, no flags. */
const SKIPPED_TAIL = [null, null, null, null, null, null, null, null, 0, 0] as const;

export interface ChangedRow {
  account_id: string;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  previous_score: number | null;
  previous_rag: Rag | null;
  trend: string;
}

const changedRows = (db: Db, runId: string) =>
  db
    .selectFrom("csm_scan_results")
    .where("run_id", "=", runId)
    .where("status", "=", "scored")
    .where("changed", "=", 1);

/**
 * Where persistScores resumes: the last account (in id order) whose records write was handled, written
 * or failed. Everything up to it is done; a re-run continues after it.
 */
export async function recordsThrough(db: Db, runId: string): Promise<string> {
  const row = await db
    .selectFrom("csm_scans")
    .select("records_through")
    .where("run_id", "=", runId)
    .executeTakeFirst();
  return row?.records_through ?? "";
}

/** Scored accounts whose values changed, after `afterId` in id order: the records writes still to do. */
export async function changedPage(
  db: Db,
  runId: string,
  afterId: string,
  limit: number,
): Promise<ChangedRow[]> {
  const rows = await changedRows(db, runId)
    .select(["account_id", "score", "rag", "churn_level", "previous_score", "previous_rag", "trend"])
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

/** How many changed accounts come after `afterId`. */
export async function countChangedAfter(db: Db, runId: string, afterId: string): Promise<number> {
  const row = await changedRows(db, runId)
    .where("account_id", ">", afterId)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * A page of records writes handled, in one transaction: the failed ones are marked on their result rows
 * (the written ones are not touched: the cursor says they are done) and the cursor moves to `throughId`.
 */
export async function recordsHandled(
  db: Db,
  runId: string,
  throughId: string,
  failed: string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const batch of batches(failed)) {
      await trx
        .updateTable("csm_scan_results")
        .set({ records_status: "failed" })
        .where("run_id", "=", runId)
        .where("account_id", "in", batch)
        .execute();
    }
    await trx
      .updateTable("csm_scans")
      .set({ records_through: throughId })
      .where("run_id", "=", runId)
      .execute();
  });
}

/** Accounts whose changed values could not be written to the records. */
export async function failedRecordWrites(db: Db, runId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("csm_scan_results")
    .select("account_id")
    .where("run_id", "=", runId)
    .where("records_status", "=", "failed")
    .orderBy("account_id")
    .execute();
  return rows.map((r) => r.account_id);
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
