import type { Kysely, Migration } from "kysely";

/**
 * The Customer Success health scan's working tables:
 * - csm_scan_results: one row per account per scan run, so a scan's bulk data lives in the store (keyed
 *   by run id) and its graph state holds only ids and counts; a crash resumes at a node boundary.
 * - csm_alert_state: per account, the last churn alert (level, when) and the last deferral, which decide
 *   whether an account is alerted again.
 * - csm_escalations: TAM escalations received over the bus, counted into the escalation signal.
 * - scheduler_jobs: the last scheduled time each job ran for, so a run missed while the service was down
 *   can be made up once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0002HealthScan: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("csm_scan_results")
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("scan_at", "text", (c) => c.notNull())
      .addColumn("account_name", "text", (c) => c.notNull())
      // The account as loaded (JSON) and its open-ticket count: what scoring reads, so the system of
      // record is read once per scan even when a node is re-run.
      .addColumn("account", "text", (c) => c.notNull())
      .addColumn("open_tickets", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull()) // loaded | scored | skipped
      .addColumn("skip_reason", "text")
      .addColumn("score", "real")
      .addColumn("rag", "text")
      .addColumn("churn_level", "text")
      .addColumn("severity", "integer")
      .addColumn("arr", "real")
      .addColumn("previous_score", "real")
      .addColumn("previous_rag", "text")
      .addColumn("trend", "text")
      .addColumn("top_driver", "text")
      .addColumn("should_alert", "integer", (c) => c.notNull().defaultTo(0))
      // 1 when score, RAG or churn level differ from what the records hold: only then are they written.
      .addColumn("changed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("records_status", "text") // written | failed (null: not written yet or unchanged)
      .addColumn("detail", "text")
      .addColumn("alert_status", "text") // selected | deferred | suppressed | raised
      .addColumn("alert_reason", "text")
      .addColumn("alert_key", "text")
      .addColumn("alert_rank", "integer")
      .addColumn("alert_result", "text")
      .addPrimaryKeyConstraint("csm_scan_results_pk", ["run_id", "account_id"])
      .execute();
    await db.schema
      .createIndex("csm_scan_results_run_status")
      .on("csm_scan_results")
      .columns(["run_id", "status"])
      .execute();
    await db.schema
      .createIndex("csm_scan_results_scan_at")
      .on("csm_scan_results")
      .column("scan_at")
      .execute();

    await db.schema
      .createTable("csm_alert_state")
      .addColumn("account_id", "text", (c) => c.primaryKey())
      .addColumn("last_level", "text")
      .addColumn("last_alerted_at", "text")
      .addColumn("last_key", "text")
      .addColumn("last_run_id", "text")
      .addColumn("deferred_level", "text")
      .addColumn("deferred_on", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("csm_escalations")
      .addColumn("event_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("tam_status", "text", (c) => c.notNull())
      .addColumn("tam_score", "real", (c) => c.notNull())
      .addColumn("run_id", "text")
      .execute();
    await db.schema
      .createIndex("csm_escalations_account_at")
      .on("csm_escalations")
      .columns(["account_id", "at"])
      .execute();

    await db.schema
      .createTable("scheduler_jobs")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("last_scheduled_at", "text", (c) => c.notNull())
      .addColumn("last_started_at", "text")
      .addColumn("last_finished_at", "text")
      .addColumn("last_error", "text")
      .execute();
  },
};
