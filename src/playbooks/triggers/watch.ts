import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { Account } from "../../domain/types.js";
import type { EventBus } from "../../events/bus.js";
import type { Database } from "../../store/schema.js";

/**
 * Watches account fields that people change in the system of record (the champion, in Notion) and
 * turns a change between two playbook ticks into an `account.field_changed` event, which is what the
 * champion_left trigger listens to. The first sighting of an account only records its value: a watch
 * owes nothing to history it never saw.
 */
export const WATCHED_FIELDS = ["champion"] as const satisfies readonly (keyof Account)[];

const normalise = (v: unknown): unknown => (typeof v === "string" && v.trim() === "" ? null : (v ?? null));

export class FieldWatch {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Compare one page of accounts with what was last seen; returns how many changes were published. */
  async observe(accounts: readonly Account[]): Promise<number> {
    if (accounts.length === 0) return 0;
    const rows = await this.db
      .selectFrom("playbook_field_watch")
      .selectAll()
      .where(
        "account_id",
        "in",
        accounts.map((a) => a.id),
      )
      .execute();
    const seen = new Map(rows.map((r) => [`${r.account_id}:${r.field}`, r.value]));
    const now = this.clock.now().toISOString();
    let changes = 0;
    for (const account of accounts) {
      for (const field of WATCHED_FIELDS) {
        const value = normalise(account[field]);
        const json = value === null ? null : JSON.stringify(value);
        const key = `${account.id}:${field}`;
        const known = seen.has(key);
        const before = seen.get(key) ?? null;
        if (known && before === json) continue;
        // Publish, then record: a crash in between repeats the notice on the next tick rather than lose
        // it (a repeat cannot start a second execution while the first runs).
        if (known) {
          changes++;
          await this.bus.publish("account.field_changed", {
            source: "playbooks",
            account_id: account.id,
            payload: { field, old_value: before === null ? null : JSON.parse(before), new_value: value },
          });
        }
        await this.db
          .insertInto("playbook_field_watch")
          .values({ account_id: account.id, field, value: json, seen_at: now })
          .onConflict((oc) => oc.columns(["account_id", "field"]).doUpdateSet({ value: json, seen_at: now }))
          .execute();
      }
    }
    return changes;
  }
}
