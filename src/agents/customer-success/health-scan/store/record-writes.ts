/**
 * The records writes of the scan's changed accounts: which are still to do (after the run's cursor) and
 * which failed.
 */
import type { ChurnLevel, Rag } from "../../../../domain/types.js";
import { batches, type Db } from "./rows.js";

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
