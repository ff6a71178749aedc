import type { Kysely } from "kysely";
import type { Clock } from "../../../clock.js";
import type { Database } from "../../../store/schema.js";
import { keyOf, type PageKind } from "./outbox.js";

/**
 * The page made for each idempotency key, and how far its body got. A retried create finds the page
 * here and continues it, so Notion never gets a second page for the same key.
 *   pending:  queued in the outbox, no page yet
 *   created:  the page exists; `appended` of `total` top-level body blocks are in it
 *   complete: done; `record` is what the caller got back
 * `create_sent_at` is when a pages.create was last sent for the key: set with no page id, the answer of
 * that create was lost and Notion may have made the page anyway.
 */
export interface PageKeyRow {
  idempotency_key: string;
  kind: PageKind;
  page_id: string | null;
  appended: number;
  total: number;
  state: "pending" | "created" | "complete";
  record: string | null;
  create_sent_at: string | null;
}

export class PageKeys {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async get(key: string): Promise<PageKeyRow | null> {
    const row = await this.db
      .selectFrom("notion_pages")
      .select([
        "idempotency_key",
        "kind",
        "page_id",
        "appended",
        "total",
        "state",
        "record",
        "create_sent_at",
      ])
      .where("idempotency_key", "=", key)
      .executeTakeFirst();
    return (row as PageKeyRow | undefined) ?? null;
  }

  /** The page a write's target names: a queued create's key (`key:<k>`) names the page it made, once it has one. */
  async pageOf(target: string): Promise<string> {
    const key = keyOf(target);
    if (key === null) return target;
    return (await this.get(key))?.page_id ?? target;
  }

  /** Of these page ids, those some key already owns. */
  async owned(pageIds: string[]): Promise<Set<string>> {
    if (pageIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom("notion_pages")
      .select("page_id")
      .where("page_id", "in", pageIds)
      .execute();
    return new Set(rows.map((r) => r.page_id!));
  }

  /** Insert or update the key's row with the given fields. */
  async put(key: string, kind: PageKind, fields: Partial<Omit<PageKeyRow, "idempotency_key" | "kind">>) {
    const now = this.clock.now().toISOString();
    await this.db
      .insertInto("notion_pages")
      .values({
        idempotency_key: key,
        kind,
        page_id: fields.page_id ?? null,
        appended: fields.appended ?? 0,
        total: fields.total ?? 0,
        state: fields.state ?? "pending",
        record: fields.record ?? null,
        create_sent_at: fields.create_sent_at ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("idempotency_key").doUpdateSet({ ...fields, updated_at: now }))
      .execute();
  }
}
