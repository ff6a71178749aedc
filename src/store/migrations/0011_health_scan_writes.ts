import type { Kysely, Migration } from "kysely";

/**
 * Less written per health scan (bench/health-scan.ts, 10,000 accounts), where every scan adds an entry per
 * account to each of health_history's indexes:
 * - health_history (account_id, at) carries score and rag, no longer run_id. A scan touches every leaf
 *   page of this index (one new entry per account, spread over all of them), so its entry size is what
 *   a scan pays: without the 40-character run id an entry is ~40% smaller. The trend read still answers
 *   from the index alone; only rows stamped with the scan's own instant are looked up to tell a re-run's
 *   own rows from another scan's (src/agents/customer-success/history.ts).
 * - csm_scans.records_through: the last account (in id order) whose records write has been handled, so
 *   persistScores resumes after it. It replaces marking every written account's result row, which
 *   rewrote the whole run's result rows once more per scan; only failed writes are still marked.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0011HealthScanWrites: Migration = {
  async up(db: Db) {
    await db.schema.dropIndex("health_history_account_at").ifExists().execute();
    await db.schema
      .createIndex("health_history_account_at")
      .on("health_history")
      .columns(["account_id", "at", "score", "rag"])
      .execute();
    await db.schema
      .alterTable("csm_scans")
      .addColumn("records_through", "text", (c) => c.notNull().defaultTo(""))
      .execute();
  },
};
