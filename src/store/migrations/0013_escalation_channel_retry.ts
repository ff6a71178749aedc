import type { Kysely, Migration } from "kysely";

/**
 * The TAM side of 0012: an escalation whose channel failed is finished by a later scan that finds the
 * account at the same status within the repeat window, under its first key, so only the failed channels
 * run. The escalation state remembers them (JSON array; null when nothing is left to deliver).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0013EscalationChannelRetry: Migration = {
  async up(db: Db) {
    await db.schema.alterTable("tam_escalation_state").addColumn("failed_channels", "text").execute();
  },
};
