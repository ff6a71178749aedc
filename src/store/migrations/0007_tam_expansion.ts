import type { Kysely, Migration } from "kysely";

/**
 * Working tables of the TAM health scan and the expansion scan. Like the CSM scan, each scan
 * keeps its bulk rows here keyed by run id, so graph state holds only ids and counts and a crash resumes
 * at a node boundary:
 * - tam_scan_results: one row per account per TAM scan (score, status, escalation decision and outcome).
 * - tam_escalation_state: per account, the last escalation (status, when), which decides whether an
 *   account is escalated again (only on a worse status or after ALERT_REPEAT_DAYS).
 * - expansion_scan_candidates: one row per account and opportunity type per expansion scan: the
 *   detector's candidate with its evidence, then what the model, the records and the hand-off made of it.
 * - expansion_scan_narrations: per account and scan, who wrote the talk tracks and how many opportunities
 *   the model proposed without evidence (dropped, and counted in the result).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0007TamExpansion: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("tam_scan_results")
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("scan_at", "text", (c) => c.notNull())
      .addColumn("account_name", "text", (c) => c.notNull())
      .addColumn("arr", "real")
      .addColumn("status", "text", (c) => c.notNull()) // scored | skipped
      .addColumn("skip_reason", "text")
      .addColumn("score", "real")
      .addColumn("health_status", "text")
      .addColumn("previous_status", "text")
      .addColumn("open_tickets", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("aged_p1_p2", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("detail", "text") // penalties, escalation reasons, tickets summary (JSON)
      .addColumn("escalate", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("records_status", "text") // written | failed
      .addColumn("escalation_status", "text") // selected | deferred | suppressed | raised
      .addColumn("escalation_reason", "text")
      .addColumn("escalation_key", "text")
      .addColumn("escalation_rank", "integer")
      .addColumn("escalation_result", "text")
      .addPrimaryKeyConstraint("tam_scan_results_pk", ["run_id", "account_id"])
      .execute();
    await db.schema
      .createIndex("tam_scan_results_scan_at")
      .on("tam_scan_results")
      .column("scan_at")
      .execute();

    await db.schema
      .createTable("tam_escalation_state")
      .addColumn("account_id", "text", (c) => c.primaryKey())
      .addColumn("last_status", "text", (c) => c.notNull())
      .addColumn("last_score", "real", (c) => c.notNull())
      .addColumn("last_escalated_at", "text", (c) => c.notNull())
      .addColumn("last_key", "text", (c) => c.notNull())
      .addColumn("last_run_id", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("expansion_scan_candidates")
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("opportunity_type", "text", (c) => c.notNull())
      .addColumn("scan_at", "text", (c) => c.notNull())
      .addColumn("account_name", "text", (c) => c.notNull())
      .addColumn("csm_owner", "text")
      .addColumn("candidate", "text", (c) => c.notNull()) // the detector's candidate (JSON)
      .addColumn("estimated_arr_impact", "real", (c) => c.notNull())
      .addColumn("confidence", "real", (c) => c.notNull())
      .addColumn("rank_value", "real", (c) => c.notNull())
      // candidate -> suppressed (open one exists) | dropped (by the model) | kept -> recorded
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("talk_track", "text")
      .addColumn("generated_by", "text")
      .addColumn("opportunity_id", "text")
      .addColumn("handoff", "text") // handed_off | deferred
      .addColumn("handoff_rank", "integer")
      .addColumn("handoff_event_id", "text")
      .addColumn("handoff_run_id", "text")
      .addPrimaryKeyConstraint("expansion_scan_candidates_pk", ["run_id", "account_id", "opportunity_type"])
      .execute();
    await db.schema
      .createIndex("expansion_scan_candidates_scan_at")
      .on("expansion_scan_candidates")
      .column("scan_at")
      .execute();

    await db.schema
      .createTable("expansion_scan_narrations")
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("scan_at", "text", (c) => c.notNull())
      .addColumn("generated_by", "text", (c) => c.notNull())
      .addColumn("fallback_reason", "text")
      .addColumn("dropped", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("unsupported_dropped", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("unsupported", "text") // what the model proposed without evidence (JSON)
      .addPrimaryKeyConstraint("expansion_scan_narrations_pk", ["run_id", "account_id"])
      .execute();
  },
};
