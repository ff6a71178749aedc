/** The scan's outcomes: a result row per account (csm_scan_results) and each scored account's history. */
import { encodeHealthDetail } from "../../../../store/health-detail.js";
import { type AccountOutcome, trendLabel } from "../../scoring.js";
import { type Db, insertRows, type Row } from "./rows.js";

export type RowStatus = "scored" | "skipped";

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
