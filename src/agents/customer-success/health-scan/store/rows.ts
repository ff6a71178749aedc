/**
 * The health scan's bulk rows, keyed by run id: the graph state carries only ids and counts, so every
 * node reads and writes its accounts in the store, page by page, in batched transactions.
 * - csm_scans: the instant the run judges by, and where the records writes got to.
 * - csm_scan_inputs: what loadAccounts read (the account's scan fields, see stored-forms.ts; open
 *   tickets), written once (inputs.ts).
 * - csm_scan_results: one small row per account (score, churn, flags, alert decision), updated in place
 *   as the scan moves on (outcomes.ts, record-writes.ts, alerts.ts, summary.ts).
 * The scoring detail is written once, to health_history, in the same transaction as the result row, so
 * the wide JSON is never rewritten or copied as the scan moves on.
 *
 * This module holds what the stages share: the bulk insert and the turn between pages.
 */
import { setImmediate } from "node:timers/promises";
import { CompiledQuery, type Kysely } from "kysely";
import { multiRowInsertText } from "../../../../store/bulk-sql.js";
import type { Database } from "../../../../store/schema.js";

export type Db = Kysely<Database>;

/** A row's values, in its statement's column order. */
export type Row = Array<string | number | null>;

/**
 * The store answers synchronously (better-sqlite3), so a scan's awaits never let other work run: without
 * a turn of the event loop between pages, a 10,000-account scan would hold off the API, the WebSocket
 * streams and the scheduler for its whole length.
 */
export const betweenPages = (): Promise<void> => setImmediate();

/** Rows a statement when updating in bulk. */
const BATCH = 500;

export function* batches<T>(items: readonly T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Row counts a bulk insert statement is built for: full batches, then tens, then ones. A fixed set of
 * statement texts per table keeps the store's prepared-statement cache small whatever the page sizes.
 */
const INSERT_SIZES = [100, 10, 1] as const;

/** INSERT OR IGNORE of many rows (tuples in `columns` order), as parameters of fixed statement texts. */
export async function insertRows<T extends keyof Database & string>(
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
