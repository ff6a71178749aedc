import type { Kysely, Migration } from "kysely";

/**
 * The Notion records adapter's local state:
 * - notion_pages: the page made for each idempotency key, and how much of its body is appended, so a
 *   retried create continues that page instead of making a second one.
 * - notion_outbox: writes Notion did not take (outage, rate limit beyond the retry budget), replayed in
 *   order later so nothing is lost while Notion is down. `failed` rows are writes Notion refused for
 *   good (e.g. a property of the wrong type): kept for doctor and /readyz, never retried blindly.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0004Notion: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("notion_pages")
      .addColumn("idempotency_key", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull()) // qbr | expansion | sub_page
      .addColumn("page_id", "text")
      // Top-level body blocks appended so far, out of `total`.
      .addColumn("appended", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("state", "text", (c) => c.notNull()) // pending | created | complete
      .addColumn("record", "text") // the record returned to the caller (JSON)
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("notion_pages_page").on("notion_pages").column("page_id").execute();

    await db.schema
      .createTable("notion_outbox")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("op", "text", (c) => c.notNull())
      // The page the write is about: a Notion page id, or `key:<idempotency key>` for a page whose
      // create is itself still in the outbox.
      .addColumn("target", "text", (c) => c.notNull())
      .addColumn("idempotency_key", "text", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull()) // pending | failed
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("last_error", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("notion_outbox_state_id")
      .on("notion_outbox")
      .columns(["state", "id"])
      .execute();
    await db.schema.createIndex("notion_outbox_target").on("notion_outbox").column("target").execute();
  },
};
