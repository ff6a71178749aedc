/**
 * Pages the store creates (QBRs, expansion opportunities, sub-pages): each is made once per idempotency
 * key. While its create is queued the caller holds a provisional record whose id names the key
 * (`pending:<key>`); reads show it, and later writes about it follow the page once Notion has made it.
 */
import type { BodyBlock } from "../port.js";
import { toNotionBlocks } from "./blocks.js";
import type { NotionContext } from "./context.js";
import { keyTarget, type OutboxEntry, type PageKind, type PageParent, type Properties } from "./outbox.js";
import { expansionFromPage, qbrFromPage } from "./page-records.js";
import type { PageLike } from "./property-values.js";

/** The id prefix of a record whose page Notion has not made yet. */
export const PENDING = "pending:";

/** A record id as an outbox target: provisional ids name the key of the queued create. */
export const toTarget = (id: string): string =>
  id.startsWith(PENDING) ? keyTarget(id.slice(PENDING.length)) : id;

export const notionUrl = (id: string): string => `https://www.notion.so/${id.replace(/-/g, "")}`;

/** The record a queued create answered with. */
export function provisionalOf<T>(e: OutboxEntry): T {
  return ("provisional" in e.write ? e.write.provisional : {}) as T;
}

/** The provisional records of the queued creates of one kind that `match`, oldest first. */
export async function queuedCreates<T>(
  ctx: NotionContext,
  kind: PageKind,
  match: (record: T) => boolean,
): Promise<T[]> {
  return (await ctx.outbox.pendingCreates(kind)).map((e) => provisionalOf<T>(e)).filter(match);
}

/** The latest queued create of one kind that matches, or null. */
export async function latestQueued<T>(
  ctx: NotionContext,
  kind: PageKind,
  match: (record: T) => boolean,
): Promise<T | null> {
  return (await queuedCreates(ctx, kind, match)).at(-1) ?? null;
}

export interface PageSpec {
  properties: Properties;
  body: BodyBlock[];
  parent: PageParent;
  replaceId?: string;
}

/** Create (or rewrite) a page once per key; a queued write answers with the provisional record. */
export async function writePage<T>(
  ctx: NotionContext,
  key: string,
  kind: PageKind,
  provisional: T & { id: string },
  spec: PageSpec,
): Promise<T> {
  const known = await ctx.pageKeys.get(key);
  if (known?.state === "complete" && known.record) return JSON.parse(known.record) as T;
  if (known?.state === "pending" && known.record && (await ctx.outbox.hasPending())) {
    return JSON.parse(known.record) as T;
  }
  const blocks = toNotionBlocks(spec.body);
  const record = provisional as unknown as Record<string, unknown>;
  const outcome = spec.replaceId
    ? await ctx.writer.submit({
        op: "replace_page",
        target: toTarget(spec.replaceId),
        key,
        kind,
        properties: spec.properties,
        blocks,
        provisional: record,
      })
    : await ctx.writer.submit({
        op: "create_page",
        key,
        kind,
        parent: spec.parent,
        properties: spec.properties,
        blocks,
        provisional: record,
      });
  const after = await ctx.pageKeys.get(key);
  if (outcome === "done" && after?.record) return JSON.parse(after.record) as T;
  // Queued: the page id is known if the create got that far before Notion failed.
  return (after?.page_id ? { ...provisional, id: after.page_id } : provisional) as T;
}

/** The record a caller gets back for the page Notion made (or rewrote) for it. */
export function recordOf(kind: PageKind, page: PageLike, provisional: Record<string, unknown>): unknown {
  switch (kind) {
    case "qbr": {
      const m = qbrFromPage(page);
      return m.ok ? m.value : { ...provisional, id: page.id, url: page.url ?? null };
    }
    case "expansion": {
      const m = expansionFromPage(page);
      return m.ok ? m.value : { ...provisional, id: page.id };
    }
    case "sub_page":
      return {
        ...provisional,
        id: page.id,
        url: page.url ?? notionUrl(page.id),
        updated_at: page.last_edited_time ?? provisional.updated_at,
      };
  }
}
