import { APIResponseError, isFullPage } from "@notionhq/client";
import type { Kysely } from "kysely";
import type { Clock } from "../../../clock.js";
import { type Account, OPEN_TICKET_STATUSES, type Ticket } from "../../../domain/types.js";
import { errorMessage } from "../../../errors.js";
import type { Logger } from "../../../logger.js";
import type { Database } from "../../../store/schema.js";
import {
  type AccountPage,
  type AccountPatch,
  type AccountQuery,
  type AccountWrite,
  type AccountWriteResult,
  type BodyBlock,
  type ExpansionInput,
  type ExpansionRecord,
  type OpportunityStatus,
  type QbrInput,
  type QbrRecord,
  type Reachability,
  type RecordsPort,
  type SubPage,
  UnusableAccountError,
  type WriteBacklog,
  type WriteOptions,
} from "../port.js";
import { fromNotionBlocks, type NotionBlockResponse, toNotionBlocks } from "./blocks.js";
import { listBlockChildren, type NotionApi } from "./client.js";
import { type ResolvedDataSource, resolveDataSource } from "./data-sources.js";
import { NotionConfigError } from "./errors.js";
import { inParallel } from "./in-parallel.js";
import { keyTarget, NotionOutbox, type OutboxEntry, type PageKind } from "./outbox.js";
import { PageKeys } from "./page-keys.js";
import {
  accountFromPage,
  accountPatchToProperties,
  DATA_SOURCES,
  type DataSourceKey,
  EXPANSION_PROPERTIES,
  expansionFromPage,
  expansionStatusToProperties,
  expansionToProperties,
  type PageLike,
  QBR_PROPERTIES,
  qbrFromPage,
  qbrToProperties,
  relationProblems,
  TICKET_PROPERTIES,
  ticketFromPage,
} from "./properties.js";
import { richText } from "./rich-text.js";
import { NotionWriter, type ReplayResult } from "./writer.js";

export interface NotionRecordsOptions {
  api: NotionApi;
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  /** Configured database (or data source) ids; accounts is required, the others as the agents need. */
  databases: Partial<Record<DataSourceKey, string>>;
  replayIntervalMs?: number;
  /**
   * Writes in flight at once (a batch of account writes, the outbox replay). The limiter sets the pace;
   * a few in flight keep Notion's latency from holding one-at-a-time writes below the rate.
   */
  writeConcurrency?: number;
}

const DEFAULT_WRITE_CONCURRENCY = 4;

const PENDING = "pending:";
type Filter = Record<string, unknown>;

const notFound = (err: unknown) =>
  APIResponseError.isAPIResponseError(err) &&
  (err.status === 404 || (err.status === 400 && err.code === "validation_error" && /id/i.test(err.message)));

/**
 * Notion as the system of record (ARCHITECTURE §5), through the data-sources API. Reads page through
 * every cursor; writes go through NotionWriter (ordered, idempotent, queued while Notion is down), and
 * reads show queued writes so the agents see what they wrote.
 */
export class NotionRecords implements RecordsPort {
  readonly kind = "notion" as const;
  readonly outbox: NotionOutbox;
  readonly writer: NotionWriter;
  private readonly pageKeys: PageKeys;
  private resolving: Promise<Map<DataSourceKey, ResolvedDataSource>> | null = null;

  constructor(private readonly o: NotionRecordsOptions) {
    if (!o.databases.accounts) throw new NotionConfigError("NOTION_ACCOUNTS_DB is not set");
    this.outbox = new NotionOutbox(o.db, o.clock);
    this.pageKeys = new PageKeys(o.db, o.clock);
    this.writer = new NotionWriter({
      api: o.api,
      outbox: this.outbox,
      pageKeys: this.pageKeys,
      clock: o.clock,
      log: o.log,
      replayIntervalMs: o.replayIntervalMs ?? 15_000,
      concurrency: o.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY,
      recordOf: (kind, page, provisional) => this.recordOf(kind, page, provisional),
    });
  }

  get api(): NotionApi {
    return this.o.api;
  }

  /** The configured database (or data source) ids, by data source. */
  get databases(): Readonly<Partial<Record<DataSourceKey, string>>> {
    return this.o.databases;
  }

  /** Resolve the configured databases to data sources (boot) and start replaying the outbox. */
  async start(): Promise<void> {
    this.writer.start();
    try {
      await this.dataSources();
    } catch (err) {
      // Notion may be down at boot: the service still starts; reads retry resolution, doctor explains.
      this.o.log.warn({ err: (err as Error).message }, "notion data sources not resolved at boot");
    }
  }

  async close(): Promise<void> {
    await this.writer.stop();
  }

  /** The configured data sources, resolved once (a failed resolution is tried again on next use). */
  dataSources(): Promise<Map<DataSourceKey, ResolvedDataSource>> {
    if (!this.resolving) {
      this.resolving = (async () => {
        const out = new Map<DataSourceKey, ResolvedDataSource>();
        for (const key of Object.keys(DATA_SOURCES) as DataSourceKey[]) {
          const id = this.o.databases[key];
          if (id) out.set(key, await resolveDataSource(this.o.api, key, id));
        }
        // A relation pointing at another data source than ours would make every filter by it match nothing.
        const targets = Object.fromEntries([...out].map(([k, ds]) => [k, ds.data_source_id]));
        for (const [key, ds] of out) ds.problems.push(...relationProblems(key, ds.relations, targets));
        return out;
      })();
      this.resolving.catch(() => {
        this.resolving = null;
      });
    }
    return this.resolving;
  }

  private async source(key: DataSourceKey): Promise<ResolvedDataSource> {
    const ds = (await this.dataSources()).get(key);
    if (!ds) throw new NotionConfigError(`${DATA_SOURCES[key].env} is not set`);
    return ds;
  }

  // ---- queries ------------------------------------------------------------------------------------

  /** Every page of a data source query, following next_cursor until has_more is false. */
  private async *query(
    key: DataSourceKey,
    opts: { filter?: Filter; sorts?: unknown[]; pageSize?: number } = {},
  ): AsyncIterable<PageLike[]> {
    const ds = await this.source(key);
    let cursor: string | undefined;
    do {
      const start = cursor;
      const res = await this.o.api.call(
        "data_sources.query",
        (c) =>
          c.dataSources.query({
            data_source_id: ds.data_source_id,
            page_size: Math.min(100, Math.max(1, opts.pageSize ?? 100)),
            ...(opts.filter ? { filter: opts.filter as never } : {}),
            ...(opts.sorts ? { sorts: opts.sorts as never } : {}),
            ...(start ? { start_cursor: start } : {}),
          }),
        { idempotent: true, read: true },
      );
      yield res.results.filter((r) => r.object === "page" && isFullPage(r)) as unknown as PageLike[];
      cursor = res.has_more ? (res.next_cursor ?? undefined) : undefined;
    } while (cursor);
  }

  private async selectFilter(key: DataSourceKey, property: string, values: string[]): Promise<Filter> {
    const type = (await this.source(key)).schema[property] === "status" ? "status" : "select";
    const one = (v: string) => ({ property, [type]: { equals: v } });
    return values.length === 1 ? one(values[0]!) : { or: values.map(one) };
  }

  private async retrievePage(id: string): Promise<(PageLike & { parent?: Record<string, unknown> }) | null> {
    try {
      const page = await this.o.api.call("pages.retrieve", (c) => c.pages.retrieve({ page_id: id }), {
        idempotent: true,
        read: true,
      });
      if (!isFullPage(page) || page.in_trash) return null;
      return page as unknown as PageLike & { parent?: Record<string, unknown> };
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }

  // ---- accounts -----------------------------------------------------------------------------------

  async *iterateAccounts(query: AccountQuery = {}): AsyncIterable<Account[]> {
    for await (const page of this.iterateAccountPages(query)) {
      for (const s of page.skipped) this.o.log.warn(s, "notion account skipped");
      yield page.accounts;
    }
  }

  async *iterateAccountPages(query: AccountQuery = {}): AsyncIterable<AccountPage> {
    const pageSize = Math.min(100, query.pageSize ?? 100);
    if (query.ids) {
      for (let i = 0; i < query.ids.length; i += pageSize) {
        const pages: PageLike[] = [];
        for (const id of query.ids.slice(i, i + pageSize)) {
          const page = await this.accountPage(id);
          if (page) pages.push(page);
        }
        const mapped = await this.mapAccounts(pages);
        if (query.status?.length) {
          mapped.accounts = mapped.accounts.filter((a) => query.status!.includes(a.status));
        }
        yield mapped;
      }
      return;
    }
    const filter = query.status?.length
      ? await this.selectFilter("accounts", "Status", query.status)
      : undefined;
    for await (const pages of this.query("accounts", { pageSize, ...(filter ? { filter } : {}) })) {
      yield await this.mapAccounts(pages);
    }
  }

  private async mapAccounts(pages: PageLike[]): Promise<AccountPage> {
    const out: AccountPage = { accounts: [], skipped: [] };
    for (const page of pages) {
      const m = accountFromPage(page);
      if (m.ok) out.accounts.push(m.value);
      else out.skipped.push({ account_id: page.id, reason: `Notion: ${m.problems.join("; ")}` });
    }
    await this.overlayAccounts(out.accounts);
    return out;
  }

  /** Queued account writes, applied over what Notion returned (read your own writes during an outage). */
  private async overlayAccounts(accounts: Account[]): Promise<void> {
    if (accounts.length === 0) return;
    const pending = await this.outbox.pendingFor(accounts.map((a) => a.id));
    if (pending.length === 0) return;
    const byId = new Map(accounts.map((a) => [a.id, a]));
    for (const e of pending) {
      if (e.write.op !== "update_page") continue;
      const account = byId.get(e.write.target);
      if (account) Object.assign(account, e.write.fields);
    }
  }

  private async accountPage(id: string): Promise<PageLike | null> {
    const page = await this.retrievePage(id);
    if (!page) return null;
    const ds = await this.source("accounts");
    const parent = page.parent as { data_source_id?: string; database_id?: string } | undefined;
    if (parent?.data_source_id !== ds.data_source_id && parent?.database_id !== ds.database_id) return null;
    return page;
  }

  async getAccount(id: string): Promise<Account | null> {
    if (id.startsWith(PENDING)) return null;
    const page = await this.accountPage(id);
    if (!page) return null;
    const mapped = await this.mapAccounts([page]);
    const skipped = mapped.skipped[0];
    if (skipped) throw new UnusableAccountError(id, skipped.reason);
    return mapped.accounts[0] ?? null;
  }

  async updateAccount(id: string, patch: AccountPatch, opts: WriteOptions): Promise<void> {
    const ds = await this.source("accounts");
    const properties = accountPatchToProperties(patch, ds.schema);
    if (Object.keys(properties).length === 0) return;
    try {
      await this.writer.submit({
        op: "update_page",
        target: id,
        key: opts.idempotencyKey,
        properties,
        fields: { ...patch },
      });
    } catch (err) {
      if (notFound(err)) throw new Error(`account ${id} not found`);
      throw err;
    }
  }

  /** A scan's account writes, a few in flight (each one ordered, idempotent and queued like updateAccount). */
  async updateAccounts(writes: AccountWrite[]): Promise<AccountWriteResult[]> {
    return inParallel(
      writes,
      this.o.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY,
      async (w): Promise<AccountWriteResult> => {
        try {
          await this.updateAccount(w.id, w.patch, { idempotencyKey: w.idempotencyKey });
          return { id: w.id, ok: true };
        } catch (err) {
          return { id: w.id, ok: false, error: errorMessage(err) };
        }
      },
    );
  }

  // ---- tickets ------------------------------------------------------------------------------------

  async listTickets(accountId: string): Promise<Ticket[]> {
    return (await this.listTicketsFor([accountId])).get(accountId) ?? [];
  }

  async listTicketsFor(
    accountIds: string[],
    opts: { open_only?: boolean } = {},
  ): Promise<Map<string, Ticket[]>> {
    const out = new Map<string, Ticket[]>(accountIds.map((id) => [id, []]));
    const property = TICKET_PROPERTIES.account_id[0];
    // Two levels of nesting at most (Notion's limit): and[ or[accounts], or[statuses] ].
    const openFilter = {
      or: OPEN_TICKET_STATUSES.map((s) => ({ property: TICKET_PROPERTIES.status[0], select: { equals: s } })),
    };
    // One query per 100 accounts (a filter array holds at most 100 conditions), every page of it.
    for (let i = 0; i < accountIds.length; i += 100) {
      const chunk = accountIds.slice(i, i + 100).filter((id) => !id.startsWith(PENDING));
      if (chunk.length === 0) continue;
      const one = (id: string) => ({ property, relation: { contains: id } });
      const byAccount = chunk.length === 1 ? one(chunk[0]!) : { or: chunk.map(one) };
      const filter = opts.open_only ? { and: [byAccount, openFilter] } : byAccount;
      for await (const pages of this.query("tickets", { filter })) {
        for (const page of pages) {
          const m = ticketFromPage(page);
          if (!m.ok) {
            this.o.log.warn({ ticket_id: page.id, problems: m.problems }, "notion ticket skipped");
            continue;
          }
          out.get(m.value.account_id)?.push(m.value);
        }
      }
    }
    return out;
  }

  // ---- QBRs ---------------------------------------------------------------------------------------

  async findQbr(accountId: string, quarter: string): Promise<QbrRecord | null> {
    const queued = (await this.outbox.pendingCreates("qbr"))
      .map((e) => provisionalOf<QbrRecord>(e))
      .filter((r) => r.account_id === accountId && r.quarter === quarter);
    if (queued.length > 0) return queued[queued.length - 1]!;
    if (accountId.startsWith(PENDING)) return null;
    const filter = {
      and: [
        { property: QBR_PROPERTIES.account_id[0], relation: { contains: accountId } },
        { property: QBR_PROPERTIES.quarter[0], rich_text: { equals: quarter } },
      ],
    };
    const sorts = [{ timestamp: "created_time", direction: "descending" }];
    for await (const pages of this.query("qbrs", { filter, sorts, pageSize: 1 })) {
      const page = pages[0];
      if (!page) return null;
      const m = qbrFromPage(page);
      if (!m.ok) throw new NotionConfigError(`QBR ${page.id}: ${m.problems.join("; ")}`);
      return m.value;
    }
    return null;
  }

  async writeQbr(input: QbrInput, opts: WriteOptions & { replaceId?: string }): Promise<QbrRecord> {
    const key = `qbr:${opts.idempotencyKey}`;
    const now = this.o.clock.now().toISOString();
    const provisional: QbrRecord = {
      id: opts.replaceId ?? `${PENDING}${key}`,
      account_id: input.account_id,
      name: input.name,
      quarter: input.quarter,
      health_score: input.health_score,
      status: "Draft",
      trigger: input.trigger,
      url: null,
      created_at: now,
      updated_at: now,
    };
    const ds = await this.source("qbrs");
    const properties = qbrToProperties(input, ds.schema);
    return this.writePage<QbrRecord>(key, "qbr", provisional, {
      properties,
      body: input.body,
      parent: { data_source_id: ds.data_source_id },
      ...(opts.replaceId ? { replaceId: opts.replaceId } : {}),
    });
  }

  /** Create (or rewrite) a page once per key; a queued write answers with the provisional record. */
  private async writePage<T>(
    key: string,
    kind: PageKind,
    provisional: T & { id: string },
    spec: {
      properties: Record<string, Record<string, unknown>>;
      body: BodyBlock[];
      parent: { data_source_id: string } | { page_id: string };
      replaceId?: string;
    },
  ): Promise<T> {
    const known = await this.pageKeys.get(key);
    if (known?.state === "complete" && known.record) return JSON.parse(known.record) as T;
    if (known?.state === "pending" && known.record && (await this.outbox.hasPending())) {
      return JSON.parse(known.record) as T;
    }
    const blocks = toNotionBlocks(spec.body);
    const record = provisional as unknown as Record<string, unknown>;
    const outcome = spec.replaceId
      ? await this.writer.submit({
          op: "replace_page",
          target: spec.replaceId.startsWith(PENDING)
            ? keyTarget(spec.replaceId.slice(PENDING.length))
            : spec.replaceId,
          key,
          kind,
          properties: spec.properties,
          blocks,
          provisional: record,
        })
      : await this.writer.submit({
          op: "create_page",
          key,
          kind,
          parent: spec.parent,
          properties: spec.properties,
          blocks,
          provisional: record,
        });
    const after = await this.pageKeys.get(key);
    if (outcome === "done" && after?.record) return JSON.parse(after.record) as T;
    // Queued: the page id is known if the create got that far before Notion failed.
    return (after?.page_id ? { ...provisional, id: after.page_id } : provisional) as T;
  }

  private recordOf(kind: PageKind, page: PageLike, provisional: Record<string, unknown>): unknown {
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

  // ---- expansion opportunities --------------------------------------------------------------------

  async listExpansionOpportunities(accountId: string): Promise<ExpansionRecord[]> {
    const out: ExpansionRecord[] = [];
    if (!accountId.startsWith(PENDING)) {
      const filter = { property: EXPANSION_PROPERTIES.account_id[0], relation: { contains: accountId } };
      const sorts = [{ timestamp: "created_time", direction: "ascending" }];
      for await (const pages of this.query("expansion", { filter, sorts })) {
        for (const page of pages) {
          const m = expansionFromPage(page);
          if (m.ok) out.push(m.value);
          else this.o.log.warn({ page_id: page.id, problems: m.problems }, "notion opportunity skipped");
        }
      }
    }
    const queued = (await this.outbox.pendingCreates("expansion"))
      .map((e) => provisionalOf<ExpansionRecord>(e))
      .filter((r) => r.account_id === accountId && !out.some((o) => o.id === r.id));
    out.push(...queued);
    // Queued status changes show as made.
    const updates = await this.outbox.pendingFor(out.map((r) => toTarget(r.id)));
    for (const e of updates) {
      if (e.write.op !== "update_page") continue;
      const target = e.write.target;
      const rec = out.find((r) => toTarget(r.id) === target);
      if (rec) Object.assign(rec, e.write.fields);
    }
    return out;
  }

  async createExpansionOpportunity(input: ExpansionInput, opts: WriteOptions): Promise<ExpansionRecord> {
    const key = `expansion:${opts.idempotencyKey}`;
    const now = this.o.clock.now().toISOString();
    const provisional: ExpansionRecord = {
      ...input,
      id: `${PENDING}${key}`,
      status: "New",
      created_at: now,
      updated_at: now,
    };
    const ds = await this.source("expansion");
    return this.writePage<ExpansionRecord>(key, "expansion", provisional, {
      properties: expansionToProperties(input, ds.schema),
      body: [],
      parent: { data_source_id: ds.data_source_id },
    });
  }

  async setExpansionStatus(id: string, status: OpportunityStatus, opts: WriteOptions): Promise<void> {
    const ds = await this.source("expansion");
    let target = toTarget(id);
    if (target.startsWith("key:")) {
      const known = await this.pageKeys.get(target.slice(4));
      if (known?.page_id) target = known.page_id;
    }
    try {
      await this.writer.submit({
        op: "update_page",
        target,
        key: opts.idempotencyKey,
        properties: expansionStatusToProperties(status, ds.schema),
        fields: { status, updated_at: this.o.clock.now().toISOString() },
      });
    } catch (err) {
      if (notFound(err)) throw new Error(`expansion opportunity ${id} not found`);
      throw err;
    }
  }

  // ---- sub-pages ----------------------------------------------------------------------------------

  async findSubPage(accountId: string, title: string): Promise<SubPage | null> {
    const queued = (await this.outbox.pendingCreates("sub_page"))
      .map((e) => provisionalOf<SubPage>(e))
      .filter((p) => p.parent_id === accountId && p.title === title);
    if (queued.length > 0) return queued[queued.length - 1]!;
    if (accountId.startsWith(PENDING)) return null;
    const child = await this.findChildPage(accountId, title);
    if (!child) return null;
    return {
      id: child.id,
      parent_id: accountId,
      title,
      body: await this.readBody(child.id),
      url: notionUrl(child.id),
      updated_at: normalizeTime(child.last_edited_time),
    };
  }

  private async findChildPage(parentId: string, title: string): Promise<NotionBlockResponse | null> {
    for await (const blocks of this.children(parentId)) {
      const hit = blocks.find(
        (b) => b.type === "child_page" && (b.child_page as { title?: string } | undefined)?.title === title,
      );
      if (hit) return hit;
    }
    return null;
  }

  private children(blockId: string): AsyncIterable<NotionBlockResponse[]> {
    return listBlockChildren(this.o.api, blockId);
  }

  /** A page's body as BodyBlocks (tables read their rows too). */
  async readBody(pageId: string): Promise<BodyBlock[]> {
    const all: NotionBlockResponse[] = [];
    for await (const blocks of this.children(pageId)) all.push(...blocks);
    return fromNotionBlocks(all, async (tableId) => {
      const rows: NotionBlockResponse[] = [];
      for await (const r of this.children(tableId)) rows.push(...r);
      return rows;
    });
  }

  async writeSubPage(
    accountId: string,
    title: string,
    body: BodyBlock[],
    opts: WriteOptions & { replaceId?: string },
  ): Promise<SubPage> {
    const key = `sub_page:${opts.idempotencyKey}`;
    const known = await this.pageKeys.get(key);
    if (known?.state === "complete" && known.record) return JSON.parse(known.record) as SubPage;
    const replaceId = opts.replaceId ?? (await this.findSubPage(accountId, title))?.id;
    const provisional: SubPage = {
      id: replaceId ?? `${PENDING}${key}`,
      parent_id: accountId,
      title,
      body,
      url: replaceId && !replaceId.startsWith(PENDING) ? notionUrl(replaceId) : null,
      updated_at: this.o.clock.now().toISOString(),
    };
    const props = { title: { title: richText(title) } };
    return this.writePage<SubPage>(key, "sub_page", provisional, {
      properties: props,
      body,
      parent: { page_id: accountId },
      ...(replaceId ? { replaceId } : {}),
    });
  }

  // ---- health -------------------------------------------------------------------------------------

  async ping(): Promise<Reachability> {
    try {
      const sources = await this.dataSources();
      await this.o.api.call("users.me", (c) => c.users.me({}), { idempotent: true, read: true });
      const backlog = await this.backlog();
      const broken = [...sources.values()].filter((s) => s.problems.length > 0).map((s) => s.title);
      return {
        ok: broken.length === 0,
        detail:
          `Notion, ${sources.size} data sources` +
          (broken.length > 0 ? `, schema problems in ${broken.join(", ")}` : "") +
          `, outbox ${backlog.pending} pending, ${backlog.failed} failed`,
      };
    } catch (err) {
      return { ok: false, detail: `Notion unreachable: ${(err as Error).message}` };
    }
  }

  backlog(): Promise<WriteBacklog> {
    return this.outbox.stats();
  }

  /** Replay queued writes now (tests, the CLI); the writer also does this on its own timer. */
  replayOutbox(): Promise<ReplayResult> {
    return this.writer.replay();
  }
}

function provisionalOf<T>(e: OutboxEntry): T {
  return ("provisional" in e.write ? e.write.provisional : {}) as T;
}

/** A record id as an outbox target: provisional ids name the key of the queued create. */
const toTarget = (id: string): string => (id.startsWith(PENDING) ? keyTarget(id.slice(PENDING.length)) : id);

const notionUrl = (id: string): string => `https://www.notion.so/${id.replace(/-/g, "")}`;

const normalizeTime = (t: unknown): string =>
  typeof t === "string" && Number.isFinite(Date.parse(t)) ? new Date(t).toISOString() : "";
