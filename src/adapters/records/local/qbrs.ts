/** QBRs in SQLite: the record and its body as JSON, one row per QBR. */
import { randomUUID } from "node:crypto";
import { qbrRecord } from "../new-records.js";
import type { BodyBlock, QbrInput, QbrRecord, WriteOptions } from "../port.js";
import type { LocalContext } from "./context.js";

/** The account's latest QBR of the quarter. */
export async function find(ctx: LocalContext, accountId: string, quarter: string): Promise<QbrRecord | null> {
  const row = await ctx.db
    .selectFrom("qbrs")
    .select("data")
    .where("account_id", "=", accountId)
    .where("period", "=", quarter)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return row ? (JSON.parse(row.data) as QbrRecord) : null;
}

export async function write(
  ctx: LocalContext,
  input: QbrInput,
  opts: WriteOptions & { replaceId?: string },
): Promise<QbrRecord> {
  const { result } = await ctx.effects.once(`records:qbr:${opts.idempotencyKey}`, "records.qbr", async () => {
    const now = ctx.clock.now().toISOString();
    const existing = opts.replaceId
      ? await ctx.db.selectFrom("qbrs").select("data").where("id", "=", opts.replaceId).executeTakeFirst()
      : undefined;
    const prev = existing ? (JSON.parse(existing.data) as QbrRecord) : undefined;
    const id = prev?.id ?? `qbr_${randomUUID()}`;
    const record = qbrRecord(input, {
      id,
      url: `local://qbrs/${id}`,
      created_at: prev?.created_at ?? now,
      updated_at: now,
    });
    const values = {
      id,
      account_id: input.account_id,
      period: input.quarter,
      data: JSON.stringify(record),
      body: JSON.stringify(input.body),
      created_at: record.created_at,
      updated_at: now,
    };
    await ctx.db
      .insertInto("qbrs")
      .values(values)
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ data: values.data, body: values.body, updated_at: now }),
      )
      .execute();
    return record;
  });
  return result;
}

/** The stored body of a QBR (the local store keeps it; Notion keeps it as page blocks). */
export async function body(ctx: LocalContext, id: string): Promise<BodyBlock[] | null> {
  const row = await ctx.db.selectFrom("qbrs").select("body").where("id", "=", id).executeTakeFirst();
  return row ? (JSON.parse(row.body) as BodyBlock[]) : null;
}
