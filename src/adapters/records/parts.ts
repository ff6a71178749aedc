import type { Account, Ticket } from "../../domain/types.js";
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
  SubPage,
  WriteOptions,
} from "./port.js";

type ReplaceOptions = WriteOptions & { replaceId?: string };

/**
 * The parts of a records store, one module per kind of record, each a set of functions over the store's
 * context (its connection and helpers). Both stores have the same parts: ./local/ and ./notion/.
 */
export interface RecordParts<C> {
  accounts: {
    iteratePages(ctx: C, query?: AccountQuery): AsyncIterable<AccountPage>;
    get(ctx: C, id: string): Promise<Account | null>;
    update(ctx: C, id: string, patch: AccountPatch, opts: WriteOptions): Promise<void>;
    updateMany(ctx: C, writes: AccountWrite[]): Promise<AccountWriteResult[]>;
  };
  tickets: {
    listFor(ctx: C, accountIds: string[], opts?: { open_only?: boolean }): Promise<Map<string, Ticket[]>>;
  };
  qbrs: {
    find(ctx: C, accountId: string, quarter: string): Promise<QbrRecord | null>;
    write(ctx: C, input: QbrInput, opts: ReplaceOptions): Promise<QbrRecord>;
  };
  expansion: {
    list(ctx: C, accountId: string): Promise<ExpansionRecord[]>;
    create(ctx: C, input: ExpansionInput, opts: WriteOptions): Promise<ExpansionRecord>;
    setStatus(ctx: C, id: string, status: OpportunityStatus, opts: WriteOptions): Promise<void>;
  };
  subPages: {
    find(ctx: C, accountId: string, title: string): Promise<SubPage | null>;
    write(
      ctx: C,
      accountId: string,
      title: string,
      body: BodyBlock[],
      opts: ReplaceOptions,
    ): Promise<SubPage>;
  };
}

/**
 * The records port over a store's parts: each call goes to its part with the store's context. A store
 * adds what is its own (iterateAccounts, ping, bulk loads, the outbox).
 */
export abstract class RecordsFromParts<C> {
  constructor(
    protected readonly ctx: C,
    private readonly parts: RecordParts<C>,
  ) {}

  iterateAccountPages(query: AccountQuery = {}): AsyncIterable<AccountPage> {
    return this.parts.accounts.iteratePages(this.ctx, query);
  }

  getAccount(id: string): Promise<Account | null> {
    return this.parts.accounts.get(this.ctx, id);
  }

  updateAccount(id: string, patch: AccountPatch, opts: WriteOptions): Promise<void> {
    return this.parts.accounts.update(this.ctx, id, patch, opts);
  }

  /** A scan's account writes: the local store in one transaction, Notion a few in flight. */
  updateAccounts(writes: AccountWrite[]): Promise<AccountWriteResult[]> {
    return this.parts.accounts.updateMany(this.ctx, writes);
  }

  listTicketsFor(accountIds: string[], opts: { open_only?: boolean } = {}): Promise<Map<string, Ticket[]>> {
    return this.parts.tickets.listFor(this.ctx, accountIds, opts);
  }

  findQbr(accountId: string, quarter: string): Promise<QbrRecord | null> {
    return this.parts.qbrs.find(this.ctx, accountId, quarter);
  }

  writeQbr(input: QbrInput, opts: ReplaceOptions): Promise<QbrRecord> {
    return this.parts.qbrs.write(this.ctx, input, opts);
  }

  listExpansionOpportunities(accountId: string): Promise<ExpansionRecord[]> {
    return this.parts.expansion.list(this.ctx, accountId);
  }

  createExpansionOpportunity(input: ExpansionInput, opts: WriteOptions): Promise<ExpansionRecord> {
    return this.parts.expansion.create(this.ctx, input, opts);
  }

  setExpansionStatus(id: string, status: OpportunityStatus, opts: WriteOptions): Promise<void> {
    return this.parts.expansion.setStatus(this.ctx, id, status, opts);
  }

  findSubPage(accountId: string, title: string): Promise<SubPage | null> {
    return this.parts.subPages.find(this.ctx, accountId, title);
  }

  writeSubPage(accountId: string, title: string, body: BodyBlock[], opts: ReplaceOptions): Promise<SubPage> {
    return this.parts.subPages.write(this.ctx, accountId, title, body, opts);
  }
}
