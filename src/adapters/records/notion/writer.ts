import { isFullPage } from "@notionhq/client";
import type { Clock } from "../../../clock.js";
import { errorMessage } from "../../../errors.js";
import type { Logger } from "../../../logger.js";
import { batchBlocks, type NotionBlockRequest } from "./blocks.js";
import { listBlockChildren, type NotionApi } from "./client.js";
import { classifyNotionError } from "./errors.js";
import { inParallel } from "./in-parallel.js";
import {
  keyTarget,
  type NotionOutbox,
  type NotionWrite,
  type OutboxEntry,
  type PageKind,
  type Properties,
  targetOf,
} from "./outbox.js";
import type { PageKeys } from "./page-keys.js";
import type { PageLike } from "./properties.js";

/** Turns the page Notion made (or rewrote) into the record the caller gets back. */
export type RecordOf = (kind: PageKind, page: PageLike, provisional: Record<string, unknown>) => unknown;

export interface NotionWriterOptions {
  api: NotionApi;
  outbox: NotionOutbox;
  pageKeys: PageKeys;
  clock: Clock;
  log: Logger;
  recordOf: RecordOf;
  /** How often the outbox is replayed while it holds writes. */
  replayIntervalMs: number;
  /** Queued writes replayed at once (about different pages; one page's writes stay in order). */
  concurrency?: number;
}

export type SubmitOutcome = "done" | "queued";

export interface ReplayResult {
  replayed: number;
  failed: number;
  remaining: number;
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
class MissingPageError extends Error {
  override readonly name = "MissingPageError";
}

/**
 * The write path: a write goes to Notion directly unless writes are already queued (then it queues
 * behind them, so writes about a page are applied in order); one that fails for a reason a later try
 * may get past (rate limit beyond the budget, outage) is queued and replayed. Writes Notion refuses
 * (validation) are thrown to the caller.
 */
export class NotionWriter {
  private readonly locks = new Map<string, Promise<unknown>>();
  private replaying: Promise<ReplayResult> | null = null;
  private nextReplayAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(private readonly o: NotionWriterOptions) {}

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => void this.replayIfDue(), this.o.replayIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.replaying?.catch(() => undefined);
  }

  async submit(write: NotionWrite): Promise<SubmitOutcome> {
    const target = write.op === "create_page" ? keyTarget(write.key) : write.target;
    return this.withLock(target, async () => {
      if (await this.o.outbox.hasPending()) {
        await this.queue(write, "queued behind earlier writes");
        return "queued";
      }
      try {
        await this.execute(write);
        return "done";
      } catch (err) {
        const f = classifyNotionError(err);
        if (f.kind === "permanent") throw err;
        await this.queue(write, `${f.status ?? f.code ?? "error"}: ${f.message}`);
        this.nextReplayAt = this.o.clock.now().getTime() + this.o.replayIntervalMs;
        this.o.log.warn({ op: write.op, key: write.key, status: f.status }, "notion write queued for replay");
        return "queued";
      }
    });
  }

  /** Replay queued writes in order until the queue is empty or Notion fails again. */
  replay(): Promise<ReplayResult> {
    if (this.replaying) return this.replaying;
    this.replaying = this.replayLoop().finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayIfDue(): Promise<void> {
    if (this.replaying || this.stopping) return;
    if (this.o.clock.now().getTime() < this.nextReplayAt) return;
    if (!(await this.o.outbox.hasPending())) return;
    await this.replay().catch((err: unknown) => this.o.log.error({ err }, "notion outbox replay crashed"));
  }

  /**
   * Batches of the oldest queued writes: writes about one page in order, different pages in parallel
   * (the limiter sets the pace). Once Notion fails again no further write is started, and the replay
   * ends after the batch; a write Notion refuses is set aside and the rest go on.
   */
  private async replayLoop(): Promise<ReplayResult> {
    const result: ReplayResult = { replayed: 0, failed: 0, remaining: 0 };
    const concurrency = this.o.concurrency ?? 1;
    let stalled = false;
    while (!this.stopping && !stalled) {
      const batch = await this.o.outbox.oldestPending(concurrency * 8);
      if (batch.length === 0) break;
      const byTarget = new Map<string, OutboxEntry[]>();
      for (const e of batch) {
        const target = await this.pageOf(targetOf(e.write));
        byTarget.set(target, [...(byTarget.get(target) ?? []), e]);
      }
      await inParallel([...byTarget.values()], concurrency, async (entries) => {
        for (const entry of entries) {
          if (this.stopping || stalled) return;
          if ((await this.replayOne(entry, result)) === "stalled") stalled = true;
        }
      });
    }
    result.remaining = (await this.o.outbox.stats()).pending;
    return result;
  }

  /** The page a target names: a queued create's key names the page it made, once it has one. */
  private async pageOf(target: string): Promise<string> {
    if (!target.startsWith("key:")) return target;
    return (await this.o.pageKeys.get(target.slice(4)))?.page_id ?? target;
  }

  private async replayOne(entry: OutboxEntry, result: ReplayResult): Promise<"ok" | "stalled"> {
    try {
      await this.execute(entry.write);
      await this.o.outbox.done(entry.id);
      result.replayed++;
      return "ok";
    } catch (err) {
      const f = err instanceof MissingPageError ? null : classifyNotionError(err);
      const message = errorMessage(err);
      if (f && f.kind !== "permanent") {
        await this.o.outbox.attemptFailed(entry.id, `${f.status ?? f.code ?? "error"}: ${message}`);
        this.nextReplayAt = this.o.clock.now().getTime() + this.o.replayIntervalMs;
        return "stalled";
      }
      await this.o.outbox.markFailed(entry.id, message);
      result.failed++;
      this.o.log.error({ op: entry.write.op, key: entry.write.key, err: message }, "notion write refused");
      return "ok";
    }
  }

  private async queue(write: NotionWrite, reason: string): Promise<void> {
    if (write.op !== "update_page") {
      const known = await this.o.pageKeys.get(write.key);
      if (!known)
        await this.o.pageKeys.put(write.key, write.kind, {
          state: "pending",
          record: JSON.stringify(write.provisional),
        });
    }
    await this.o.outbox.enqueue(write, reason);
  }

  private async withLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(target) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(target, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(target) === tail) this.locks.delete(target);
    }
  }

  /** Perform one write against Notion (retries inside the client). */
  async execute(write: NotionWrite): Promise<void> {
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
    if (!target.startsWith("key:")) return target;
    const known = await this.o.pageKeys.get(target.slice(4));
    if (!known?.page_id) throw new MissingPageError(`the page for ${target} was never created`);
    return known.page_id;
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
    if (!page) {
      const id = pageId;
      const got = await this.o.api.call("pages.retrieve", (c) => c.pages.retrieve({ page_id: id }), {
        idempotent: true,
        read: true,
      });
      page = got as unknown as PageLike;
    }
    await this.o.pageKeys.put(write.key, write.kind, {
      state: "complete",
      record: JSON.stringify(this.o.recordOf(write.kind, page, write.provisional)),
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
    if (!page) {
      page = (await this.o.api.call("pages.retrieve", (c) => c.pages.retrieve({ page_id: pageId }), {
        idempotent: true,
        read: true,
      })) as unknown as PageLike;
    }
    await this.o.pageKeys.put(write.key, write.kind, {
      state: "complete",
      record: JSON.stringify(this.o.recordOf(write.kind, page, write.provisional)),
    });
  }

  /** Ids of a block's children, every page of them. */
  async childIds(blockId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const blocks of listBlockChildren(this.o.api, blockId)) ids.push(...blocks.map((b) => b.id));
    return ids;
  }
}
