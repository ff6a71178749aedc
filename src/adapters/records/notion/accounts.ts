/** Accounts in Notion: read page by page with the queued writes over them, and written back by the agents. */
import type { Account } from "../../../domain/types.js";
import { errorMessage, notFound } from "../../../errors.js";
import { chunks } from "../../chunks.js";
import {
  type AccountPage,
  type AccountPatch,
  type AccountQuery,
  type AccountWrite,
  type AccountWriteResult,
  UnusableAccountError,
  type WriteOptions,
} from "../port.js";
import type { NotionContext } from "./context.js";
import { isMissingPage } from "./errors.js";
import { inParallel } from "./in-parallel.js";
import { accountFromPage, accountPatchToProperties } from "./page-records.js";
import { PENDING } from "./page-writes.js";
import type { PageLike } from "./property-values.js";

export async function* iteratePages(
  ctx: NotionContext,
  query: AccountQuery = {},
): AsyncIterable<AccountPage> {
  const pageSize = Math.min(100, query.pageSize ?? 100);
  if (query.ids) {
    for (const ids of chunks(query.ids, pageSize)) {
      const pages: PageLike[] = [];
      for (const id of ids) {
        const page = await accountPage(ctx, id);
        if (page) pages.push(page);
      }
      const mapped = await mapAccounts(ctx, pages);
      if (query.status?.length) {
        mapped.accounts = mapped.accounts.filter((a) => query.status!.includes(a.status));
      }
      yield mapped;
    }
    return;
  }
  const filter = query.status?.length
    ? await ctx.reader.selectFilter("accounts", "Status", query.status)
    : undefined;
  for await (const pages of ctx.reader.query("accounts", { pageSize, ...(filter ? { filter } : {}) })) {
    yield await mapAccounts(ctx, pages);
  }
}

async function mapAccounts(ctx: NotionContext, pages: PageLike[]): Promise<AccountPage> {
  const out: AccountPage = { accounts: [], skipped: [] };
  for (const page of pages) {
    const m = accountFromPage(page);
    if (m.ok) out.accounts.push(m.value);
    else out.skipped.push({ account_id: page.id, reason: `Notion: ${m.problems.join("; ")}` });
  }
  await overlayAccounts(ctx, out.accounts);
  return out;
}

/** Queued account writes, applied over what Notion returned (read your own writes during an outage). */
async function overlayAccounts(ctx: NotionContext, accounts: Account[]): Promise<void> {
  if (accounts.length === 0) return;
  const pending = await ctx.outbox.pendingFor(accounts.map((a) => a.id));
  if (pending.length === 0) return;
  const byId = new Map(accounts.map((a) => [a.id, a]));
  for (const e of pending) {
    if (e.write.op !== "update_page") continue;
    const account = byId.get(e.write.target);
    if (account) Object.assign(account, e.write.fields);
  }
}

/** The page of an account: a page of the Accounts data source, else null. */
async function accountPage(ctx: NotionContext, id: string): Promise<PageLike | null> {
  const page = await ctx.reader.retrievePage(id);
  if (!page) return null;
  const ds = await ctx.reader.source("accounts");
  const parent = page.parent as { data_source_id?: string; database_id?: string } | undefined;
  if (parent?.data_source_id !== ds.data_source_id && parent?.database_id !== ds.database_id) return null;
  return page;
}

export async function get(ctx: NotionContext, id: string): Promise<Account | null> {
  if (id.startsWith(PENDING)) return null;
  const page = await accountPage(ctx, id);
  if (!page) return null;
  const mapped = await mapAccounts(ctx, [page]);
  const skipped = mapped.skipped[0];
  if (skipped) throw new UnusableAccountError(id, skipped.reason);
  return mapped.accounts[0] ?? null;
}

export async function update(
  ctx: NotionContext,
  id: string,
  patch: AccountPatch,
  opts: WriteOptions,
): Promise<void> {
  const ds = await ctx.reader.source("accounts");
  const properties = accountPatchToProperties(patch, ds.schema);
  if (Object.keys(properties).length === 0) return;
  try {
    await ctx.writer.submit({
      op: "update_page",
      target: id,
      key: opts.idempotencyKey,
      properties,
      fields: { ...patch },
    });
  } catch (err) {
    if (isMissingPage(err)) throw notFound(`account ${id}`);
    throw err;
  }
}

/** A scan's account writes, a few in flight (each one ordered, idempotent and queued like update). */
export function updateMany(ctx: NotionContext, writes: AccountWrite[]): Promise<AccountWriteResult[]> {
  return inParallel(writes, ctx.writeConcurrency, async (w): Promise<AccountWriteResult> => {
    try {
      await update(ctx, w.id, w.patch, { idempotencyKey: w.idempotencyKey });
      return { id: w.id, ok: true };
    } catch (err) {
      return { id: w.id, ok: false, error: errorMessage(err) };
    }
  });
}
