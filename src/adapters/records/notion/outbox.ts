import type { Kysely } from "kysely";
import type { Clock } from "../../../clock.js";
import type { Database } from "../../../store/schema.js";
import { chunks } from "../../chunks.js";
import type { NotionBlockRequest } from "./blocks.js";

export type PageKind = "qbr" | "expansion" | "sub_page";
export type Properties = Record<string, Record<string, unknown>>;
export type PageParent = { data_source_id: string } | { page_id: string };

/**
 * A Notion write, as the store performs it and as the outbox keeps it for replay. `fields` is the
 * same change in record terms, so reads can show a queued write before Notion has it.
 */
export type NotionWrite =
  | {
      op: "update_page";
      target: string;
      key: string;
      properties: Properties;
      fields: Record<string, unknown>;
    }
  | {
      op: "create_page";
      key: string;
      kind: PageKind;
      parent: PageParent;
      properties: Properties;
      blocks: NotionBlockRequest[];
      /** The record the caller got back (ids pending), for reads while the create is queued. */
      provisional: Record<string, unknown>;
    }
  | {
      op: "replace_page";
      target: string;
      key: string;
      kind: PageKind;
      properties: Properties | null;
      blocks: NotionBlockRequest[];
      provisional: Record<string, unknown>;
    };

export interface OutboxEntry {
  id: number;
  write: NotionWrite;
  attempts: number;
  last_error: string | null;
  created_at: string;
}

export interface OutboxStats {
  pending: number;
  failed: number;
  oldest_pending_at: string | null;
}

/** `key:<k>` names the page a queued create will make, before Notion has given it an id. */
export const keyTarget = (key: string): string => `key:${key}`;

/** The key a `key:<k>` target names; null when the target is a page id. */
export const keyOf = (target: string): string | null => (target.startsWith("key:") ? target.slice(4) : null);

export function targetOf(write: NotionWrite): string {
  return write.op === "create_page" ? keyTarget(write.key) : write.target;
}

/** The store-backed queue of Notion writes waiting to be replayed, oldest first. */
export class NotionOutbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async enqueue(write: NotionWrite, error: string): Promise<number> {
    const now = this.clock.now().toISOString();
    const row = await this.db
      .insertInto("notion_outbox")
      .values({
        op: write.op,
        target: targetOf(write),
        idempotency_key: write.key,
        payload: JSON.stringify(write),
        state: "pending",
        attempts: 1,
        last_error: error,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async hasPending(): Promise<boolean> {
    const row = await this.db
      .selectFrom("notion_outbox")
      .select("id")
      .where("state", "=", "pending")
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The oldest pending writes, oldest first. */
  async oldestPending(limit: number): Promise<OutboxEntry[]> {
    const rows = await this.db
      .selectFrom("notion_outbox")
      .selectAll()
      .where("state", "=", "pending")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }

  /** Pending writes about any of `targets`, oldest first (reads overlay them). */
  async pendingFor(targets: string[]): Promise<OutboxEntry[]> {
    if (targets.length === 0) return [];
    const out: OutboxEntry[] = [];
    for (const chunk of chunks(targets, 500)) {
      const rows = await this.db
        .selectFrom("notion_outbox")
        .selectAll()
        .where("state", "=", "pending")
        .where("target", "in", chunk)
        .orderBy("id")
        .execute();
      out.push(...rows.map(toEntry));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Pending creates of one kind (reads list them as provisional records). */
  async pendingCreates(kind: PageKind): Promise<OutboxEntry[]> {
    const rows = await this.db
      .selectFrom("notion_outbox")
      .selectAll()
      .where("state", "=", "pending")
      .where("op", "in", ["create_page", "replace_page"])
      .orderBy("id")
      .execute();
    return rows.map(toEntry).filter((e) => "kind" in e.write && e.write.kind === kind);
  }

  async done(id: number): Promise<void> {
    await this.db.deleteFrom("notion_outbox").where("id", "=", id).execute();
  }

  async attemptFailed(id: number, error: string): Promise<void> {
    await this.db
      .updateTable("notion_outbox")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        last_error: error,
        updated_at: this.clock.now().toISOString(),
      }))
      .where("id", "=", id)
      .execute();
  }

  /** Notion refused the write for good: keep it for a person, stop replaying it. */
  async markFailed(id: number, error: string): Promise<void> {
    await this.db
      .updateTable("notion_outbox")
      .set({ state: "failed", last_error: error, updated_at: this.clock.now().toISOString() })
      .where("id", "=", id)
      .execute();
  }

  /** A queued create got its page: later queued writes about it now name the page. */
  async retarget(from: string, to: string): Promise<void> {
    const rows = await this.db
      .selectFrom("notion_outbox")
      .select(["id", "payload"])
      .where("target", "=", from)
      .where("state", "=", "pending")
      .execute();
    for (const r of rows) {
      const write = JSON.parse(r.payload) as NotionWrite;
      if (write.op === "create_page") continue;
      write.target = to;
      await this.db
        .updateTable("notion_outbox")
        .set({ target: to, payload: JSON.stringify(write) })
        .where("id", "=", r.id)
        .execute();
    }
  }

  async stats(): Promise<OutboxStats> {
    const rows = await this.db
      .selectFrom("notion_outbox")
      .select((eb) => ["state", eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("oldest")])
      .groupBy("state")
      .execute();
    const pending = rows.find((r) => r.state === "pending");
    const failed = rows.find((r) => r.state === "failed");
    return {
      pending: Number(pending?.n ?? 0),
      failed: Number(failed?.n ?? 0),
      oldest_pending_at: (pending?.oldest as string | null | undefined) ?? null,
    };
  }

  async list(opts: { state?: "pending" | "failed"; limit: number }): Promise<OutboxEntry[]> {
    let q = this.db.selectFrom("notion_outbox").selectAll().orderBy("id").limit(opts.limit);
    if (opts.state) q = q.where("state", "=", opts.state);
    return (await q.execute()).map(toEntry);
  }
}

function toEntry(row: {
  id: number;
  payload: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
}): OutboxEntry {
  return {
    id: row.id,
    write: JSON.parse(row.payload) as NotionWrite,
    attempts: row.attempts,
    last_error: row.last_error,
    created_at: row.created_at,
  };
}
