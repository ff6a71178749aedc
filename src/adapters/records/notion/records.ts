import type { Kysely } from "kysely";
import type { Clock } from "../../../clock.js";
import type { Account, Ticket } from "../../../domain/types.js";
import type { Logger } from "../../../logger.js";
import type { Database } from "../../../store/schema.js";
import { RecordsFromParts } from "../parts.js";
import type { AccountQuery, BodyBlock, Reachability, RecordsPort, WriteBacklog } from "../port.js";
import * as accounts from "./accounts.js";
import type { NotionApi } from "./client.js";
import type { NotionContext } from "./context.js";
import type { ResolvedDataSource } from "./data-sources.js";
import { NotionConfigError } from "./errors.js";
import * as expansion from "./expansion.js";
import { NotionOutbox } from "./outbox.js";
import { PageKeys } from "./page-keys.js";
import { recordOf } from "./page-writes.js";
import type { DataSourceKey } from "./properties.js";
import * as qbrs from "./qbrs.js";
import { NotionReader } from "./reader.js";
import * as subPages from "./sub-pages.js";
import * as tickets from "./tickets.js";
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

/**
 * Notion as the system of record, through the data-sources API. Reads page through every cursor; writes
 * go through NotionWriter (ordered, idempotent, queued while Notion is down), and reads show queued
 * writes so the agents see what they wrote. Each kind of record has its module in this folder.
 */
export class NotionRecords extends RecordsFromParts<NotionContext> implements RecordsPort {
  readonly kind = "notion" as const;
  readonly outbox: NotionOutbox;
  readonly writer: NotionWriter;

  constructor(private readonly o: NotionRecordsOptions) {
    if (!o.databases.accounts) throw new NotionConfigError("NOTION_ACCOUNTS_DB is not set");
    const writeConcurrency = o.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY;
    const pageKeys = new PageKeys(o.db, o.clock);
    const outbox = new NotionOutbox(o.db, o.clock);
    const writer = new NotionWriter({
      api: o.api,
      outbox,
      pageKeys,
      clock: o.clock,
      log: o.log,
      replayIntervalMs: o.replayIntervalMs ?? 15_000,
      concurrency: writeConcurrency,
      recordOf,
    });
    const reader = new NotionReader(o.api, o.databases);
    const ctx = {
      api: o.api,
      clock: o.clock,
      log: o.log,
      reader,
      writer,
      outbox,
      pageKeys,
      writeConcurrency,
    };
    super(ctx, { accounts, tickets, qbrs, expansion, subPages });
    this.outbox = outbox;
    this.writer = writer;
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
    return this.ctx.reader.dataSources();
  }

  async *iterateAccounts(query: AccountQuery = {}): AsyncIterable<Account[]> {
    for await (const page of this.iterateAccountPages(query)) {
      for (const s of page.skipped) this.o.log.warn(s, "notion account skipped");
      yield page.accounts;
    }
  }

  async listTickets(accountId: string): Promise<Ticket[]> {
    return (await this.listTicketsFor([accountId])).get(accountId) ?? [];
  }

  /** A page's body as BodyBlocks (tables read their rows too). */
  readBody(pageId: string): Promise<BodyBlock[]> {
    return subPages.readBody(this.ctx, pageId);
  }

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
