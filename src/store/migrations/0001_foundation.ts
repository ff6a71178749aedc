import { type Kysely, type Migration, sql } from "kysely";

/** The foundation's tables: event log, cursors, runs, idempotency, local records, outbox, alerts. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0001Foundation: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("events")
      .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("account_id", "text")
      .addColumn("run_id", "text")
      .addColumn("payload", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("events_type_seq").on("events").columns(["type", "seq"]).execute();
    await db.schema.createIndex("events_account_seq").on("events").columns(["account_id", "seq"]).execute();
    await db.schema.createIndex("events_run_seq").on("events").columns(["run_id", "seq"]).execute();

    await db.schema
      .createTable("subscriber_cursors")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("dead_letters")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("subscriber", "text", (c) => c.notNull())
      .addColumn("event_seq", "integer", (c) => c.notNull())
      .addColumn("error", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("runs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("agent_id", "text", (c) => c.notNull())
      .addColumn("task_type", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("input", "text", (c) => c.notNull())
      .addColumn("result", "text")
      .addColumn("error", "text")
      .addColumn("parent_run_id", "text")
      .addColumn("caller", "text")
      .addColumn("progress", "text")
      .addColumn("usage", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("started_at", "text")
      .addColumn("finished_at", "text")
      .execute();
    await db.schema.createIndex("runs_status").on("runs").columns(["status", "created_at"]).execute();
    await db.schema.createIndex("runs_parent").on("runs").column("parent_run_id").execute();
    await db.schema.createIndex("runs_created").on("runs").column("created_at").execute();

    await db.schema
      .createTable("api_idempotency")
      .addColumn("caller", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("request_hash", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("status_code", "integer")
      .addColumn("response", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("api_idempotency_pk", ["caller", "key"])
      .execute();

    await db.schema
      .createTable("side_effects")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("result", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("accounts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("tier", "text", (c) => c.notNull())
      .addColumn("arr", "real")
      .addColumn("renewal_date", "text")
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("tickets")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("tickets_account").on("tickets").column("account_id").execute();

    await db.schema
      .createTable("usage")
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("week_start", "text", (c) => c.notNull())
      .addColumn("active_users", "integer", (c) => c.notNull())
      .addColumn("events", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("usage_pk", ["account_id", "week_start"])
      .execute();

    await db.schema
      .createTable("health_history")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("score", "real", (c) => c.notNull())
      .addColumn("rag", "text", (c) => c.notNull())
      .addColumn("run_id", "text")
      .addColumn("detail", "text")
      .execute();
    await db.schema
      .createIndex("health_history_account_at")
      .on("health_history")
      .columns(["account_id", "at"])
      .execute();
    // One history row per account per scan run, so a resumed persist node cannot write twice.
    await sql`CREATE UNIQUE INDEX health_history_run ON health_history (account_id, run_id) WHERE run_id IS NOT NULL`.execute(
      db,
    );

    await db.schema
      .createTable("qbrs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("period", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("qbrs_account_period").on("qbrs").columns(["account_id", "period"]).execute();

    await db.schema
      .createTable("expansion_opportunities")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("expansion_account")
      .on("expansion_opportunities")
      .column("account_id")
      .execute();

    await db.schema
      .createTable("pages")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("parent_id", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("outbox_drafts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
      .addColumn("to_addr", "text", (c) => c.notNull())
      .addColumn("cc", "text")
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("text_body", "text", (c) => c.notNull())
      .addColumn("html_body", "text")
      .addColumn("account_id", "text")
      .addColumn("run_id", "text")
      .addColumn("kind", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("outbox_created").on("outbox_drafts").column("created_at").execute();

    await db.schema
      .createTable("alerts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
      .addColumn("channel", "text")
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("blocks", "text")
      .addColumn("account_id", "text")
      .addColumn("run_id", "text")
      .addColumn("delivered", "integer", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("alerts_created").on("alerts").column("created_at").execute();
  },
};
