/** Expansion opportunities in SQLite: the record as JSON, with its account, type and status as columns. */
import { randomUUID } from "node:crypto";
import { notFound } from "../../../errors.js";
import { newExpansionRecord } from "../new-records.js";
import type { ExpansionInput, ExpansionRecord, OpportunityStatus, WriteOptions } from "../port.js";
import type { LocalContext } from "./context.js";

export async function list(ctx: LocalContext, accountId: string): Promise<ExpansionRecord[]> {
  const rows = await ctx.db
    .selectFrom("expansion_opportunities")
    .select("data")
    .where("account_id", "=", accountId)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => JSON.parse(r.data) as ExpansionRecord);
}

export async function create(
  ctx: LocalContext,
  input: ExpansionInput,
  opts: WriteOptions,
): Promise<ExpansionRecord> {
  const { result } = await ctx.effects.once(
    `records:expansion:${opts.idempotencyKey}`,
    "records.expansion",
    async () => {
      const now = ctx.clock.now().toISOString();
      const record = newExpansionRecord(input, `opp_${randomUUID()}`, now);
      await ctx.db
        .insertInto("expansion_opportunities")
        .values({
          id: record.id,
          account_id: record.account_id,
          type: record.type,
          status: record.status,
          data: JSON.stringify(record),
          created_at: now,
          updated_at: now,
        })
        .execute();
      return record;
    },
  );
  return result;
}

export async function setStatus(
  ctx: LocalContext,
  id: string,
  status: OpportunityStatus,
  _opts: WriteOptions,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("expansion_opportunities")
      .select("data")
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw notFound(`expansion opportunity ${id}`);
    const now = ctx.clock.now().toISOString();
    const record = { ...(JSON.parse(row.data) as ExpansionRecord), status, updated_at: now };
    await trx
      .updateTable("expansion_opportunities")
      .set({ status, data: JSON.stringify(record), updated_at: now })
      .where("id", "=", id)
      .execute();
  });
}
