import type { Insertable, Kysely } from "kysely";
import type { Database } from "../store/schema.js";

/** Tables of the local outboxes, one row per idempotency key. */
type KeyedTable = "alerts" | "outbox_drafts";

/** Inserts the row unless its idempotency key has one already; either way, the id of the key's row. */
export async function insertOnce<T extends KeyedTable>(
  db: Kysely<Database>,
  table: T,
  row: Insertable<Database[T]> & { id: string; idempotency_key: string },
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto(table)
    .values(row)
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { id: row.id, created: true };
  const existing = await db
    .selectFrom(table as KeyedTable)
    .select("id")
    .where("idempotency_key", "=", row.idempotency_key)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
