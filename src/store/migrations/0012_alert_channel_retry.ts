import type { Kysely, Migration } from "kysely";

/**
 * An alert whose channel failed (Slack down, Gmail refusing) is finished on a later scan: the alert
 * state remembers which channels failed, and the next scan that finds the account still at that risk
 * delivers the alert again under the same key, so only the failed channels run (each successful one is
 * remembered under `{key}:{channel}`). Null: nothing left to deliver.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0012AlertChannelRetry: Migration = {
  async up(db: Db) {
    await db.schema.alterTable("csm_alert_state").addColumn("failed_channels", "text").execute();
  },
};
