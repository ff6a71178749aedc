/** Accounts in SQLite: the record as JSON, with the columns the queries filter on beside it. */
import { CompiledQuery, type Kysely } from "kysely";
import type { Account } from "../../../domain/types.js";
import { notFound } from "../../../errors.js";
import type { Database } from "../../../store/schema.js";
import { chunks } from "../../chunks.js";
import type {
  AccountPage,
  AccountPatch,
  AccountQuery,
  AccountWrite,
  AccountWriteResult,
  WriteOptions,
} from "../port.js";
import type { LocalContext } from "./context.js";

const patchTexts = new Map<string, string>();

/**
 * The statement that sets `keys` in the data of `rows` accounts, the values as parameters (the write
 * time first, then per row the id and the values in key order). Built once per key list and row count:
 * Kysely's template would build and compile a node per value, which on a 10,000-account scan costs as
 * much as the update itself.
 */
function patchText(keys: string[], rows: number): string {
  const cacheKey = `${keys.join(",")}x${rows}`;
  let text = patchTexts.get(cacheKey);
  if (text === undefined) {
    for (const k of keys) {
      // Keys are AccountPatch field names; anything else would be spliced into a JSON path.
      if (!/^[a-z][a-z0-9_]*$/.test(k)) throw new Error(`not an account field: ${JSON.stringify(k)}`);
    }
    const setters = keys.map((k, i) => `'$.${k}', v.column${i + 2}`).join(", ");
    const tuple = `(${Array(keys.length + 1)
      .fill("?")
      .join(", ")})`;
    text =
      `UPDATE accounts SET data = ${keys.length > 0 ? `json_set(data, ${setters})` : "data"}, updated_at = ? ` +
      `FROM (VALUES ${Array(rows).fill(tuple).join(", ")}) AS v WHERE accounts.id = v.column1`;
    patchTexts.set(cacheKey, text);
  }
  return text;
}

/** A patch value as SQLite takes it: booleans as 0/1, like Kysely's template. */
const sqlValue = (v: unknown): unknown => (typeof v === "boolean" ? (v ? 1 : 0) : v);

/** Accounts page by page; a row whose stored JSON cannot be read is listed as skipped, not thrown. */
export async function* iteratePages(ctx: LocalContext, query: AccountQuery = {}): AsyncIterable<AccountPage> {
  const pageSize = query.pageSize ?? 500;
  let after = "";
  for (;;) {
    let q = ctx.db
      .selectFrom("accounts")
      .select(["id", "data"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(pageSize);
    if (query.status && query.status.length > 0) q = q.where("status", "in", query.status);
    if (query.ids) {
      if (query.ids.length === 0) return;
      q = q.where("id", "in", query.ids);
    }
    const rows = await q.execute();
    if (rows.length === 0) return;
    const page: AccountPage = { accounts: [], skipped: [] };
    for (const r of rows) {
      try {
        page.accounts.push(JSON.parse(r.data) as Account);
      } catch (err) {
        page.skipped.push({
          account_id: r.id,
          reason: `stored record unreadable: ${(err as Error).message}`,
        });
      }
    }
    yield page;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function get(ctx: LocalContext, id: string): Promise<Account | null> {
  const row = await ctx.db.selectFrom("accounts").select("data").where("id", "=", id).executeTakeFirst();
  return row ? (JSON.parse(row.data) as Account) : null;
}

export async function update(
  ctx: LocalContext,
  id: string,
  patch: AccountPatch,
  _opts: WriteOptions,
): Promise<void> {
  // Setting fields is idempotent by nature; the key matters for remote stores.
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("accounts").select("data").where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound(`account ${id}`);
    const next = { ...(JSON.parse(row.data) as Account), ...patch };
    await trx
      .updateTable("accounts")
      .set({ data: JSON.stringify(next), updated_at: ctx.clock.now().toISOString() })
      .where("id", "=", id)
      .execute();
  });
}

/**
 * A batch of account writes in one transaction: one commit for a page of a scan's changes. Fields are
 * set in place with json_set, a hundred accounts a statement, so the stored records are not read,
 * parsed and rewritten in JavaScript.
 */
export async function updateMany(ctx: LocalContext, writes: AccountWrite[]): Promise<AccountWriteResult[]> {
  if (writes.length === 0) return [];
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const existing = new Set<string>();
    for (const chunk of chunks(writes, 500)) {
      const ids = chunk.map((w) => w.id);
      for (const r of await trx.selectFrom("accounts").select("id").where("id", "in", ids).execute()) {
        existing.add(r.id);
      }
    }
    // Writes setting the same fields share a statement shape.
    const groups = new Map<string, Array<{ id: string; values: unknown[] }>>();
    for (const w of writes) {
      if (!existing.has(w.id)) continue;
      const keys = Object.keys(w.patch).filter((k) => w.patch[k as keyof AccountPatch] !== undefined);
      const group = groups.get(keys.join(",")) ?? [];
      group.push({ id: w.id, values: keys.map((k) => w.patch[k as keyof AccountPatch]) });
      groups.set(keys.join(","), group);
    }
    for (const [keyList, group] of groups) {
      const keys = keyList === "" ? [] : keyList.split(",");
      for (const chunk of chunks(group, 100)) {
        const params: unknown[] = [now];
        for (const g of chunk) params.push(g.id, ...g.values.map(sqlValue));
        await trx.executeQuery(CompiledQuery.raw(patchText(keys, chunk.length), params));
      }
    }
    return writes.map((w) =>
      existing.has(w.id)
        ? { id: w.id, ok: true }
        : { id: w.id, ok: false, error: `account ${w.id} not found` },
    );
  });
}

/** Bulk insert (inside the caller's transaction), 200 accounts a statement. */
export async function insert(db: Kysely<Database>, accounts: Account[], now: string): Promise<void> {
  for (const chunk of chunks(accounts, 200)) {
    await db
      .insertInto("accounts")
      .values(
        chunk.map((a) => ({
          id: a.id,
          name: a.name,
          status: a.status,
          tier: a.tier,
          arr: a.arr,
          renewal_date: a.renewal_date,
          data: JSON.stringify(a),
          updated_at: now,
        })),
      )
      .execute();
  }
}

export async function count(ctx: LocalContext): Promise<number> {
  const row = await ctx.db
    .selectFrom("accounts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
