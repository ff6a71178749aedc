/** Titled sub-pages under an account page (e.g. the TAM's Technical Relationship Profile), body and all. */
import type { BodyBlock, SubPage, WriteOptions } from "../port.js";
import { fromNotionBlocks, type NotionBlockResponse } from "./blocks.js";
import { listBlockChildren } from "./client.js";
import type { NotionContext } from "./context.js";
import { latestQueued, notionUrl, PENDING, writePage } from "./page-writes.js";
import { richText } from "./rich-text.js";

const normalizeTime = (t: unknown): string =>
  typeof t === "string" && Number.isFinite(Date.parse(t)) ? new Date(t).toISOString() : "";

/** The latest sub-page of that title; one still queued counts. */
export async function find(ctx: NotionContext, accountId: string, title: string): Promise<SubPage | null> {
  const queued = await latestQueued<SubPage>(
    ctx,
    "sub_page",
    (p) => p.parent_id === accountId && p.title === title,
  );
  if (queued) return queued;
  if (accountId.startsWith(PENDING)) return null;
  const child = await findChildPage(ctx, accountId, title);
  if (!child) return null;
  return {
    id: child.id,
    parent_id: accountId,
    title,
    body: await readBody(ctx, child.id),
    url: notionUrl(child.id),
    updated_at: normalizeTime(child.last_edited_time),
  };
}

async function findChildPage(
  ctx: NotionContext,
  parentId: string,
  title: string,
): Promise<NotionBlockResponse | null> {
  for await (const blocks of listBlockChildren(ctx.api, parentId)) {
    const hit = blocks.find(
      (b) => b.type === "child_page" && (b.child_page as { title?: string } | undefined)?.title === title,
    );
    if (hit) return hit;
  }
  return null;
}

/** A page's body as BodyBlocks (tables read their rows too). */
export async function readBody(ctx: NotionContext, pageId: string): Promise<BodyBlock[]> {
  const all: NotionBlockResponse[] = [];
  for await (const blocks of listBlockChildren(ctx.api, pageId)) all.push(...blocks);
  return fromNotionBlocks(all, async (tableId) => {
    const rows: NotionBlockResponse[] = [];
    for await (const r of listBlockChildren(ctx.api, tableId)) rows.push(...r);
    return rows;
  });
}

export async function write(
  ctx: NotionContext,
  accountId: string,
  title: string,
  body: BodyBlock[],
  opts: WriteOptions & { replaceId?: string },
): Promise<SubPage> {
  const key = `sub_page:${opts.idempotencyKey}`;
  const known = await ctx.pageKeys.get(key);
  if (known?.state === "complete" && known.record) return JSON.parse(known.record) as SubPage;
  const replaceId = opts.replaceId ?? (await find(ctx, accountId, title))?.id;
  const provisional: SubPage = {
    id: replaceId ?? `${PENDING}${key}`,
    parent_id: accountId,
    title,
    body,
    url: replaceId && !replaceId.startsWith(PENDING) ? notionUrl(replaceId) : null,
    updated_at: ctx.clock.now().toISOString(),
  };
  return writePage<SubPage>(ctx, key, "sub_page", provisional, {
    properties: { title: { title: richText(title) } },
    body,
    parent: { page_id: accountId },
    ...(replaceId ? { replaceId } : {}),
  });
}
