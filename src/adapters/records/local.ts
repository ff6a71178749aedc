import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { Account, Ticket } from "../../domain/types.js";
import type { Database } from "../../store/schema.js";
import type { SideEffects } from "../../store/side-effects.js";
import * as accounts from "./local/accounts.js";
import type { LocalContext } from "./local/context.js";
import * as expansion from "./local/expansion.js";
import * as qbrs from "./local/qbrs.js";
import * as subPages from "./local/sub-pages.js";
import * as tickets from "./local/tickets.js";
import type {
  AccountPage,
  AccountPatch,
  AccountQuery,
  AccountWrite,
  AccountWriteResult,
  BodyBlock,
  ExpansionInput,
  ExpansionRecord,
  OpportunityStatus,
  QbrInput,
  QbrRecord,
  Reachability,
  RecordsPort,
  SubPage,
  WriteOptions,
} from "./port.js";

/**
 * The embedded system of record: SQLite tables with the shapes of the Notion data sources. Each kind of
 * record has its module under ./local/; this class wires them to the port.
 */
export class LocalRecords implements RecordsPort {
  readonly kind = "local" as const;
  private readonly ctx: LocalContext;

  constructor(db: Kysely<Database>, effects: SideEffects, clock: Clock) {
    this.ctx = { db, effects, clock };
  }

  async *iterateAccounts(query: AccountQuery = {}): AsyncIterable<Account[]> {
    for await (const page of this.iterateAccountPages(query)) yield page.accounts;
  }

  /** Accounts page by page; a row whose stored JSON cannot be read is listed as skipped, not thrown. */
  iterateAccountPages(query: AccountQuery = {}): AsyncIterable<AccountPage> {
    return accounts.iteratePages(this.ctx, query);
  }

  getAccount(id: string): Promise<Account | null> {
    return accounts.get(this.ctx, id);
  }

  updateAccount(id: string, patch: AccountPatch, opts: WriteOptions): Promise<void> {
    return accounts.update(this.ctx, id, patch, opts);
  }

  /** A batch of account writes in one transaction, fields set in place. */
  updateAccounts(writes: AccountWrite[]): Promise<AccountWriteResult[]> {
    return accounts.updateMany(this.ctx, writes);
  }

  listTickets(accountId: string): Promise<Ticket[]> {
    return tickets.list(this.ctx, accountId);
  }

  listTicketsFor(accountIds: string[], opts: { open_only?: boolean } = {}): Promise<Map<string, Ticket[]>> {
    return tickets.listFor(this.ctx, accountIds, opts);
  }

  countOpenTicketsFor(accountIds: string[]): Promise<Map<string, number>> {
    return tickets.countOpenFor(this.ctx, accountIds);
  }

  findQbr(accountId: string, quarter: string): Promise<QbrRecord | null> {
    return qbrs.find(this.ctx, accountId, quarter);
  }

  writeQbr(input: QbrInput, opts: WriteOptions & { replaceId?: string }): Promise<QbrRecord> {
    return qbrs.write(this.ctx, input, opts);
  }

  /** The stored body of a QBR (the local store keeps it; Notion keeps it as page blocks). */
  getQbrBody(id: string): Promise<BodyBlock[] | null> {
    return qbrs.body(this.ctx, id);
  }

  listExpansionOpportunities(accountId: string): Promise<ExpansionRecord[]> {
    return expansion.list(this.ctx, accountId);
  }

  createExpansionOpportunity(input: ExpansionInput, opts: WriteOptions): Promise<ExpansionRecord> {
    return expansion.create(this.ctx, input, opts);
  }

  setExpansionStatus(id: string, status: OpportunityStatus, opts: WriteOptions): Promise<void> {
    return expansion.setStatus(this.ctx, id, status, opts);
  }

  findSubPage(accountId: string, title: string): Promise<SubPage | null> {
    return subPages.find(this.ctx, accountId, title);
  }

  writeSubPage(
    accountId: string,
    title: string,
    body: BodyBlock[],
    opts: WriteOptions & { replaceId?: string },
  ): Promise<SubPage> {
    return subPages.write(this.ctx, accountId, title, body, opts);
  }

  async ping(): Promise<Reachability> {
    return { ok: true, detail: `SQLite records, ${await this.countAccounts()} accounts` };
  }

  /** Bulk load (demo book, benches): one transaction. */
  async loadBook(book: Account[], bookTickets: Ticket[]): Promise<void> {
    const now = this.ctx.clock.now().toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      await accounts.insert(trx, book, now);
      await tickets.insert(trx, bookTickets);
    });
  }

  countAccounts(): Promise<number> {
    return accounts.count(this.ctx);
  }
}
