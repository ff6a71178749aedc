import type { Kysely, Migration } from "kysely";

/**
 * QBR generation's working table: one row per generate_qbr run, holding what its nodes hand
 * each other (the gathered facts, the composed sections, the rendered body, the page written). Graph
 * state keeps only the run id, and a crash resumes at a node boundary without gathering again. The CLI
 * reads the body back to print the QBR as Markdown whichever records backend wrote it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0006QbrDrafts: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("qbr_drafts")
      .addColumn("run_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("period", "text", (c) => c.notNull())
      .addColumn("trigger", "text", (c) => c.notNull())
      .addColumn("facts", "text", (c) => c.notNull())
      .addColumn("sections", "text")
      .addColumn("generated_by", "text")
      .addColumn("fallback_reason", "text")
      .addColumn("body", "text")
      .addColumn("qbr_id", "text")
      .addColumn("qbr_url", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("qbr_drafts_created").on("qbr_drafts").column("created_at").execute();
    await db.schema
      .createIndex("qbr_drafts_account_period")
      .on("qbr_drafts")
      .columns(["account_id", "period"])
      .execute();
  },
};
