import { type Kysely, type Migration, sql } from "kysely";

/**
 * The Customer Success health scan's working rows, reshaped for large books (bench/health-scan.ts scans
 * 10,000 accounts). Migration 0002 kept one wide row per account per scan: the loaded account (JSON), the
 * scoring detail (JSON) and the alert bookkeeping together, so every later step (scoring, marking records
 * written, alert decisions) rewrote kilobytes per account, and the detail was copied a second time into
 * health_history. Now:
 * - csm_scans: one row per scan run: the instant it judges by (a re-run node judges by the same one).
 * - csm_scan_inputs: what loadAccounts read from the records (account JSON, open-ticket count, or why
 *   the record was unreadable); written once, read by scoring and by the few accounts alerted.
 * - csm_scan_results: one small row per account per scan (score, RAG, churn, flags, alert decision),
 *   updated in place as the scan moves on. The scoring detail is stored once, in health_history.
 * The 0002 table held only transient rows (kept 14 days), so it is dropped rather than converted.
 *
 * health_history's indexes, which every scan writes 10,000 entries into:
 * - (account_id, at) also carries score, rag and run_id: a scan reads the trend window of every account
 *   (~5 points each), and a covering index answers that without reading the wide rows and their detail.
 * - the one-row-per-account-per-run unique index is keyed (run_id, account_id) instead of (account_id,
 *   run_id): a scan's entries then fill a few new pages at the end, where the other order scattered them
 *   over an index that grows with every scan (after a year of daily scans of 10,000 accounts, each scan
 *   would dirty some 10,000 of its pages, ~40 MB of writes, for one unique constraint).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0009CsmScanRows: Migration = {
  async up(db: Db) {
    await db.schema.dropTable("csm_scan_results").ifExists().execute();

    await db.schema
      .createTable("csm_scans")
      .addColumn("run_id", "text", (c) => c.primaryKey())
      .addColumn("scan_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("csm_scans_scan_at").on("csm_scans").column("scan_at").execute();

    await db.schema
      .createTable("csm_scan_inputs")
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("account", "text") // JSON; null when the record could not be read
      .addColumn("open_tickets", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("unreadable", "text") // why the record could not be read
      .addPrimaryKeyConstraint("csm_scan_inputs_pk", ["run_id", "account_id"])
      // The scan fields of an account are well under a kilobyte: clustered by (run, account) they fit
      // the primary-key b-tree without overflow pages, and no separate key index is kept.
      .modifyEnd(sql`without rowid`)
      .execute();

    // Small rows keyed by (run, account): WITHOUT ROWID keeps them in the primary-key b-tree itself, so a
    // run's rows are one contiguous range and no second index is maintained.
    await db.schema
      .createTable("csm_scan_results")
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("account_name", "text", (c) => c.notNull())
      .addColumn("arr", "real")
      .addColumn("status", "text", (c) => c.notNull()) // scored | skipped
      .addColumn("skip_reason", "text")
      .addColumn("score", "real")
      .addColumn("rag", "text")
      .addColumn("churn_level", "text")
      .addColumn("severity", "integer")
      .addColumn("previous_score", "real")
      .addColumn("previous_rag", "text")
      .addColumn("trend", "text")
      .addColumn("top_driver", "text")
      .addColumn("should_alert", "integer", (c) => c.notNull().defaultTo(0))
      // 1 when score, RAG or churn level differ from what the records hold: only then are they written.
      .addColumn("changed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("records_status", "text") // written | failed (null: not written yet or unchanged)
      .addColumn("alert_status", "text") // selected | deferred | suppressed | raised
      .addColumn("alert_reason", "text")
      .addColumn("alert_key", "text")
      .addColumn("alert_rank", "integer")
      .addColumn("alert_result", "text")
      .addPrimaryKeyConstraint("csm_scan_results_pk", ["run_id", "account_id"])
      .modifyEnd(sql`without rowid`)
      .execute();

    await db.schema.dropIndex("health_history_run").ifExists().execute();
    await sql`CREATE UNIQUE INDEX health_history_run ON health_history (run_id, account_id) WHERE run_id IS NOT NULL`.execute(
      db,
    );
    await db.schema.dropIndex("health_history_account_at").ifExists().execute();
    await db.schema
      .createIndex("health_history_account_at")
      .on("health_history")
      .columns(["account_id", "at", "score", "rag", "run_id"])
      .execute();
  },
};
