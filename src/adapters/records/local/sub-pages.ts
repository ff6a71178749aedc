/** Titled sub-pages under an account, in SQLite: title and body as JSON, keyed by their parent account. */
import { randomUUID } from "node:crypto";
import type { BodyBlock, SubPage, WriteOptions } from "../port.js";
import type { LocalContext } from "./context.js";

export async function find(ctx: LocalContext, accountId: string, title: string): Promise<SubPage | null> {
  const row = await ctx.db
    .selectFrom("pages")
    .selectAll()
    .where("parent_id", "=", accountId)
    .where("title", "=", title)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    parent_id: row.parent_id,
    title: row.title,
    body: JSON.parse(row.body) as BodyBlock[],
    url: `local://pages/${row.id}`,
    updated_at: row.updated_at,
  };
}

export async function write(
  ctx: LocalContext,
  accountId: string,
  title: string,
  body: BodyBlock[],
  opts: WriteOptions & { replaceId?: string },
): Promise<SubPage> {
  const now = ctx.clock.now().toISOString();
  const id = opts.replaceId ?? (await find(ctx, accountId, title))?.id ?? `page_${randomUUID()}`;
  await ctx.db
    .insertInto("pages")
    .values({ id, parent_id: accountId, title, body: JSON.stringify(body), updated_at: now })
    .onConflict((oc) => oc.column("id").doUpdateSet({ title, body: JSON.stringify(body), updated_at: now }))
    .execute();
  return { id, parent_id: accountId, title, body, url: `local://pages/${id}`, updated_at: now };
}
