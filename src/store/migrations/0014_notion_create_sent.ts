import type { Kysely, Migration } from "kysely";

/**
 * notion_pages.create_sent_at: when a pages.create for the key was last sent. A create whose answer is
 * lost (a 5xx or a timeout after Notion made the page) leaves it set with no page id; the replay then
 * looks for a page Notion made for it since that instant before creating another.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0014NotionCreateSent: Migration = {
  async up(db: Db) {
    await db.schema.alterTable("notion_pages").addColumn("create_sent_at", "text").execute();
  },
};
