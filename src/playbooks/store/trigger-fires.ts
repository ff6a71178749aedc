import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, PlaybookTriggerFiresTable } from "../../store/schema.js";

/**
 * What each trigger firing did, per playbook, customer and fire key (the event id, the anchor date,
 * the condition and day): a redelivered event or the next tick finds the key and does not start the
 * playbook twice.
 */

export type FireOutcome = "started" | "suppressed" | "duplicate";
export type TriggerFire = Selectable<PlaybookTriggerFiresTable>;

export class TriggerFireRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(playbookId: string, accountId: string, fireKey: string): Promise<TriggerFire | null> {
    const row = await this.db
      .selectFrom("playbook_trigger_fires")
      .selectAll()
      .where("playbook_id", "=", playbookId)
      .where("account_id", "=", accountId)
      .where("fire_key", "=", fireKey)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Record (or overwrite) what a firing did. */
  async record(fire: {
    playbook_id: string;
    account_id: string;
    fire_key: string;
    outcome: FireOutcome;
    execution_id: string | null;
    blocked_by: string | null;
    at: string;
  }): Promise<void> {
    const { outcome, execution_id, blocked_by, at } = fire;
    await this.db
      .insertInto("playbook_trigger_fires")
      .values(fire)
      .onConflict((oc) =>
        oc
          .columns(["playbook_id", "account_id", "fire_key"])
          .doUpdateSet({ outcome, execution_id, blocked_by, at }),
      )
      .execute();
  }

  /** Did a firing whose key starts with `keyPrefix` start this playbook for this customer after `since`? */
  async startedSince(
    playbookId: string,
    accountId: string,
    keyPrefix: string,
    since: string,
  ): Promise<boolean> {
    const row = await this.db
      .selectFrom("playbook_trigger_fires")
      .select("at")
      .where("playbook_id", "=", playbookId)
      .where("account_id", "=", accountId)
      .where(sql<boolean>`substr(fire_key, 1, ${keyPrefix.length}) = ${keyPrefix}`)
      .where("outcome", "=", "started")
      .where("at", ">", since)
      .executeTakeFirst();
    return row !== undefined;
  }
}
