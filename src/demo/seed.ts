import type { Kysely } from "kysely";
import { chunks } from "../adapters/chunks.js";
import type { LocalRecords } from "../adapters/records/local.js";
import type { Clock } from "../clock.js";
import type { Database } from "../store/schema.js";
import { generateDemoBook } from "./book.js";

export interface SeedResult {
  accounts: number;
  tickets: number;
  usage: number;
  health_history: number;
}

/**
 * Load the demo book into an empty local store (never over existing records). Returns null when the
 * store already holds accounts, unless `force` adds a fresh book (benches).
 */
export async function seedDemoBook(
  db: Kysely<Database>,
  records: LocalRecords,
  clock: Clock,
  opts: { accounts: number; seed?: number; force?: boolean },
): Promise<SeedResult | null> {
  if (!opts.force && (await records.countAccounts()) > 0) return null;
  const book = generateDemoBook({ accounts: opts.accounts, seed: opts.seed ?? 42, now: clock.now() });
  await records.loadBook(book.accounts, book.tickets);
  await db.transaction().execute(async (trx) => {
    for (const chunk of chunks(book.usage, 400)) await trx.insertInto("usage").values(chunk).execute();
    for (const chunk of chunks(book.health_history, 300)) {
      await trx
        .insertInto("health_history")
        .values(
          chunk.map((h) => ({
            account_id: h.account_id,
            at: h.at,
            score: h.score,
            rag: h.rag,
            run_id: h.run_id,
            detail: null,
          })),
        )
        .execute();
    }
  });
  return {
    accounts: book.accounts.length,
    tickets: book.tickets.length,
    usage: book.usage.length,
    health_history: book.health_history.length,
  };
}
