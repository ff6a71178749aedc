/**
 * The latest health score and RAG of the customers on a queue page, from the store's health history
 * (every scan writes it, whichever records store holds the account), so a task card shows the
 * customer's health without a read per card.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../store/schema.js";

export interface CustomerHealth {
  score: number;
  rag: string;
  /** When the score was taken. */
  at: string;
}

export async function latestHealth(
  db: Kysely<Database>,
  customerIds: readonly string[],
): Promise<Map<string, CustomerHealth>> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return new Map();
  // Per customer, the newest entry: one probe of the (account_id, at, score, rag) index each.
  const rows = await db
    .selectFrom("health_history as h")
    .select(["h.account_id", "h.score", "h.rag", "h.at"])
    .where("h.account_id", "in", ids)
    .where(
      "h.at",
      "=",
      sql<string>`(SELECT MAX(h2.at) FROM health_history h2 WHERE h2.account_id = h.account_id)`,
    )
    .execute();
  return new Map(rows.map((r) => [r.account_id, { score: r.score, rag: r.rag, at: r.at }]));
}
