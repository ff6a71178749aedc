import type { Kysely, Migration } from "kysely";

/**
 * The last value the playbook tick saw of each watched account field: a change of the
 * champion field between two ticks becomes an account.field_changed event, which fires the
 * champion_left trigger.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0008PlaybookFieldWatch: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("playbook_field_watch")
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("field", "text", (c) => c.notNull())
      .addColumn("value", "text")
      .addColumn("seen_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("playbook_field_watch_pk", ["account_id", "field"])
      .execute();
  },
};
