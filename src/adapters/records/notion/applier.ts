import { isFullPage } from "@notionhq/client";
import type { Clock } from "../../../clock.js";
import type { Logger } from "../../../logger.js";
import { batchBlocks, type NotionBlockRequest } from "./blocks.js";
import { listBlockChildren, type NotionApi } from "./client.js";
import { classifyNotionError } from "./errors.js";
import {
  keyOf,
  keyTarget,
  type NotionOutbox,
  type NotionWrite,
  type PageKind,
  type Properties,
} from "./outbox.js";
import type { PageKeys } from "./page-keys.js";
import type { PageLike } from "./property-values.js";

/** Turns the page Notion made (or rewrote) into the record the caller gets back. */
export type RecordOf = (kind: PageKind, page: PageLike, provisional: Record<string, unknown>) => unknown;

export interface NotionApplierOptions {
  api: NotionApi;
  outbox: NotionOutbox;
  pageKeys: PageKeys;
  clock: Clock;
  log: Logger;
  recordOf: RecordOf;
}

/** A page's title property in a write, and its plain text; null when it has none. */
function titleOf(properties: Properties): { property: string; text: string } | null {
  for (const [property, value] of Object.entries(properties)) {
    const items = (value as { title?: Array<{ text?: { content?: string }; plain_text?: string }> }).title;
    if (Array.isArray(items)) {
      return { property, text: items.map((t) => t.text?.content ?? t.plain_text ?? "").join("") };
    }
  }
  return null;
}

/** A queued write names a page whose create never produced one: it cannot be applied. */
export class MissingPageError extends Error {
  override readonly name = "MissingPageError";
}

/**
 * Performs one write against Notion (retries inside the client). A create or rewrite records its
 * progress per key as it goes (page made, body blocks appended), so an attempt after a failure continues
 * the same page instead of making another.
 */
export class NotionApplier {
  constructor(private readonly o: NotionApplierOptions) {}

  async apply(write: NotionWrite): Promise<void> {
    switch (write.op) {
      case "update_page": {
        const pageId = await this.resolveTarget(write.target);
        await this.o.api.call(
          "pages.update",
          (c) => c.pages.update({ page_id: pageId, properties: write.properties as never }),
          { idempotent: true },
        );
        return;
      }
      case "create_page":
        return this.createPage(write);
      case "replace_page":
        return this.replacePage(write);
    }
  }

  private async resolveTarget(target: string): Promise<string> {
    const pageId = await this.o.pageKeys.pageOf(target);
    if (keyOf(pageId) !== null) {
      throw new MissingPageError(`the page for ${target} was never created`);
    }
    return pageId;
  }

  private async createPage(write: Extract<NotionWrite, { op: "create_page" }>): Promise<void> {
    const batches = batchBlocks(write.blocks);
    const known = await this.o.pageKeys.get(write.key);
    if (known?.state === "complete") return;
    let pageId = known?.page_id ?? null;
    let appended = known?.appended ?? 0;
    let page: PageLike | null = null;
    const first = batches[0] ?? [];
    if (!pageId && known?.create_sent_at) {
      // An earlier create's answer was lost (5xx, timeout): Notion may have made the page. Adopt it.
      const made = await this.findLostCreate(write, known.create_sent_at);
      if (made) {
        pageId = made;
        appended = first.length;
        await this.rememberPage(write, pageId, appended);
        this.o.log.warn(
          { key: write.key, page_id: pageId },
          "notion create answered with an error had made the page: continuing it",
        );
      }
    }
    if (!pageId) {
      await this.o.pageKeys.put(write.key, write.kind, { create_sent_at: this.o.clock.now().toISOString() });
      const created = await this.o.api.call(
        "pages.create",
        (c) =>
          c.pages.create({
            parent: write.parent,
            properties: write.properties as never,
            ...(first.length > 0 ? { children: first as never } : {}),
          }),
        // A 5xx on create may hide a page Notion made: not sent again (the outbox replays it later).
        { idempotent: false },
      );
      pageId = created.id;
      page = isFullPage(created) ? (created as unknown as PageLike) : null;
      appended = first.length;
      // Remembered before anything else can fail, so a retry continues this page.
      await this.rememberPage(write, pageId, appended);
    }
    await this.appendFrom(pageId, write.blocks, appended, write.key, write.kind);
    await this.complete(write, pageId, page);
  }

  /** The key's page is done: the record the caller gets back is kept with it (read from Notion if need be). */
  private async complete(
    write: Extract<NotionWrite, { op: "create_page" | "replace_page" }>,
    pageId: string,
    page: PageLike | null,
  ): Promise<void> {
    const final =
      page ??
      ((await this.o.api.call("pages.retrieve", (c) => c.pages.retrieve({ page_id: pageId }), {
        idempotent: true,
        read: true,
      })) as unknown as PageLike);
    await this.o.pageKeys.put(write.key, write.kind, {
      state: "complete",
      record: JSON.stringify(this.o.recordOf(write.kind, final, write.provisional)),
    });
  }

  /** The page a create made for its key, with `appended` body blocks in it; queued writes now name it. */
  private async rememberPage(
    write: Extract<NotionWrite, { op: "create_page" }>,
    pageId: string,
    appended: number,
  ): Promise<void> {
    await this.o.pageKeys.put(write.key, write.kind, {
      page_id: pageId,
      appended,
      total: write.blocks.length,
      state: "created",
    });
    await this.o.outbox.retarget(keyTarget(write.key), pageId);
  }

  /**
   * A page Notion made for this create although its answer was lost: under the same parent, with the
   * same title, created since the create was sent (a minute earlier, for clock skew), and not a page
   * another key owns. The earliest such page, or null.
   */
  private async findLostCreate(
    write: Extract<NotionWrite, { op: "create_page" }>,
    sentAt: string,
  ): Promise<string | null> {
    const found = titleOf(write.properties);
    if (found === null) return null;
    const title = found.text;
    const since = new Date(Date.parse(sentAt) - 60_000).toISOString();
    const candidates: Array<{ id: string; created_time: string }> = [];
    if ("data_source_id" in write.parent) {
      const dataSourceId = write.parent.data_source_id;
      const res = await this.o.api.call(
        "dataSources.query",
        (c) =>
          c.dataSources.query({
            data_source_id: dataSourceId,
            filter: {
              and: [
                { property: found.property, title: { equals: title } },
                { timestamp: "created_time", created_time: { on_or_after: since } },
              ],
            } as never,
            page_size: 100,
          }),
        { idempotent: true, read: true },
      );
      for (const r of res.results as Array<{ id: string; created_time?: string }>) {
        candidates.push({ id: r.id, created_time: r.created_time ?? "" });
      }
    } else {
      for await (const blocks of listBlockChildren(this.o.api, write.parent.page_id)) {
        for (const b of blocks as Array<{
          id: string;
          type: string;
          created_time?: string;
          child_page?: { title?: string };
        }>) {
          if (b.type === "child_page" && b.child_page?.title === title && (b.created_time ?? "") >= since) {
            candidates.push({ id: b.id, created_time: b.created_time ?? "" });
          }
        }
      }
    }
    const owned = await this.o.pageKeys.owned(candidates.map((c) => c.id));
    const free = candidates
      .filter((c) => !owned.has(c.id))
      .sort((a, b) => a.created_time.localeCompare(b.created_time));
    return free[0]?.id ?? null;
  }

  /** Append body blocks from index `from` on, in batches within Notion's limits, recording progress. */
  private async appendFrom(
    pageId: string,
    blocks: readonly NotionBlockRequest[],
    from: number,
    key: string,
    kind: PageKind,
  ): Promise<void> {
    const rest = blocks.slice(from);
    let appended = from;
    for (const batch of batchBlocks(rest)) {
      await this.o.api.call(
        "blocks.children.append",
        (c) => c.blocks.children.append({ block_id: pageId, children: batch as never }),
        { idempotent: false },
      );
      appended += batch.length;
      await this.o.pageKeys.put(key, kind, { appended });
    }
  }

  private async replacePage(write: Extract<NotionWrite, { op: "replace_page" }>): Promise<void> {
    const known = await this.o.pageKeys.get(write.key);
    if (known?.state === "complete") return;
    const pageId = await this.resolveTarget(write.target);
    let page: PageLike | null = null;
    if (write.properties) {
      const updated = await this.o.api.call(
        "pages.update",
        (c) => c.pages.update({ page_id: pageId, properties: write.properties as never }),
        { idempotent: true },
      );
      page = updated as unknown as PageLike;
    }
    // The old body goes first; a replay after a partial rewrite starts over and converges.
    for (const id of await this.childIds(pageId)) {
      await this.o.api
        .call("blocks.delete", (c) => c.blocks.delete({ block_id: id }), { idempotent: true })
        .catch((err: unknown) => {
          // Already gone (an earlier attempt deleted it): that is the goal.
          if (classifyNotionError(err).status !== 404) throw err;
        });
    }
    await this.o.pageKeys.put(write.key, write.kind, {
      page_id: pageId,
      appended: 0,
      total: write.blocks.length,
      state: "created",
    });
    await this.appendFrom(pageId, write.blocks, 0, write.key, write.kind);
    await this.complete(write, pageId, page);
  }

  /** Ids of a block's children, every page of them. */
  private async childIds(blockId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const blocks of listBlockChildren(this.o.api, blockId)) ids.push(...blocks.map((b) => b.id));
    return ids;
  }
}
