/** Tickets in SQLite: the record as JSON, with its account and status as columns to filter and count by. */
import { type Kysely, sql } from "kysely";
import { OPEN_TICKET_STATUSES, type Ticket } from "../../../domain/types.js";
import type { Database } from "../../../store/schema.js";
import { chunks } from "../../chunks.js";
import type { LocalContext } from "./context.js";

export async function list(ctx: LocalContext, accountId: string): Promise<Ticket[]> {
  const rows = await ctx.db
    .selectFrom("tickets")
    .select("data")
    .where("account_id", "=", accountId)
    .execute();
  return rows.map((r) => JSON.parse(r.data) as Ticket);
}

export async function listFor(
  ctx: LocalContext,
  accountIds: string[],
  opts: { open_only?: boolean } = {},
): Promise<Map<string, Ticket[]>> {
  const out = new Map<string, Ticket[]>(accountIds.map((id) => [id, []]));
  for (const chunk of chunks(accountIds, 500)) {
    let q = ctx.db.selectFrom("tickets").select("data").where("account_id", "in", chunk);
    if (opts.open_only) q = q.where("status", "in", OPEN_TICKET_STATUSES);
    const rows = await q.execute();
    for (const r of rows) {
      const t = JSON.parse(r.data) as Ticket;
      out.get(t.account_id)?.push(t);
    }
  }
  return out;
}

/** Counted in SQL over the status column: a scan needs the numbers, not the tickets. */
export async function countOpenFor(ctx: LocalContext, accountIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(accountIds.map((id) => [id, 0]));
  for (const chunk of chunks(accountIds, 500)) {
    const rows = await ctx.db
      .selectFrom("tickets")
      .select(["account_id", sql<number>`count(*)`.as("n")])
      .where("account_id", "in", chunk)
      .where("status", "in", OPEN_TICKET_STATUSES)
      .groupBy("account_id")
      .execute();
    for (const r of rows) out.set(r.account_id, Number(r.n));
  }
  return out;
}

/** Bulk insert (inside the caller's transaction), 300 tickets a statement. */
export async function insert(db: Kysely<Database>, tickets: Ticket[]): Promise<void> {
  for (const chunk of chunks(tickets, 300)) {
    await db
      .insertInto("tickets")
      .values(
        chunk.map((t) => ({
          id: t.id,
          account_id: t.account_id,
          status: t.status,
          data: JSON.stringify(t),
        })),
      )
      .execute();
  }
}
