import type { Account, Ticket } from "../../domain/types.js";

/** Fields the agents write back to an account: the CSM's score, RAG, churn risk and scan time, the TAM's likewise. */
export type AccountPatch = Partial<
  Pick<
    Account,
    | "csm_health_score"
    | "csm_health_rag"
    | "churn_risk"
    | "csm_last_scan"
    | "health_score"
    | "health_status"
    | "last_health_scan"
  >
>;

export interface WriteOptions {
  /** Derived from run and subject; a retried write with the same key is applied once. */
  idempotencyKey: string;
}

/** One write of a batch (updateAccounts). */
export interface AccountWrite {
  id: string;
  patch: AccountPatch;
  idempotencyKey: string;
}

/** How one write of a batch ended: a failed write never fails the others. */
export interface AccountWriteResult {
  id: string;
  ok: boolean;
  error?: string;
}

export interface AccountQuery {
  status?: Account["status"][];
  ids?: string[];
  pageSize?: number;
}

export interface QbrRecord {
  id: string;
  account_id: string;
  name: string;
  quarter: string;
  health_score: number | null;
  status: "Draft" | "Ready";
  trigger: "quarterly" | "contract_proximity" | "manual";
  url: string | null;
  created_at: string;
  updated_at: string;
}

/** A block of page body, a small portable subset of Notion's block model. */
export type BodyBlock =
  | { type: "heading_1" | "heading_2" | "heading_3"; text: string }
  | { type: "paragraph"; text: string }
  | { type: "bulleted_list_item"; text: string }
  | { type: "callout"; text: string; emoji?: string }
  | { type: "divider" }
  | { type: "table"; rows: string[][]; has_column_header: boolean };

export interface QbrInput {
  account_id: string;
  name: string;
  quarter: string;
  health_score: number | null;
  trigger: QbrRecord["trigger"];
  body: BodyBlock[];
}

export const OPPORTUNITY_TYPES = ["seats", "module", "integration"] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];
export const OPPORTUNITY_STATUSES = ["New", "Dispatched", "Accepted", "Declined"] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export interface ExpansionRecord {
  id: string;
  account_id: string;
  name: string;
  type: OpportunityType;
  estimated_arr_impact: number;
  confidence: number;
  evidence: string;
  talk_track: string;
  status: OpportunityStatus;
  created_at: string;
  updated_at: string;
}

export type ExpansionInput = Omit<ExpansionRecord, "id" | "status" | "created_at" | "updated_at">;

export interface SubPage {
  id: string;
  parent_id: string;
  title: string;
  body: BodyBlock[];
  url: string | null;
  updated_at: string;
}

export interface Reachability {
  ok: boolean;
  detail: string;
}

/** An account the store holds but cannot hand over as an Account (e.g. a Notion property of the wrong type). */
export interface AccountSkip {
  account_id: string;
  reason: string;
}

/** One page of accounts, with the accounts of that page that were unusable and why. */
export interface AccountPage {
  accounts: Account[];
  skipped: AccountSkip[];
}

/** getAccount's answer for an account that exists but cannot be read as an Account. */
export class UnusableAccountError extends Error {
  override readonly name = "UnusableAccountError";
  constructor(
    readonly accountId: string,
    readonly reason: string,
  ) {
    super(`account ${accountId} is unusable: ${reason}`);
  }
}

/** Writes a remote store accepted but has not yet delivered (queued while the service is down). */
export interface WriteBacklog {
  pending: number;
  failed: number;
  oldest_pending_at: string | null;
}

/**
 * The system of record (Notion when configured, SQLite otherwise). Reads iterate in pages so a book of
 * any size streams; every write carries an idempotency key.
 */
export interface RecordsPort {
  readonly kind: "local" | "notion";
  iterateAccounts(query?: AccountQuery): AsyncIterable<Account[]>;
  /**
   * Like iterateAccounts, and also lists the accounts of each page that could not be read (with the
   * reason), so a scan can report them as skipped instead of silently missing them. Optional: callers
   * fall back to iterateAccounts (see iterateAccountPages in ./account-pages.ts).
   */
  iterateAccountPages?(query?: AccountQuery): AsyncIterable<AccountPage>;
  getAccount(id: string): Promise<Account | null>;
  updateAccount(id: string, patch: AccountPatch, opts: WriteOptions): Promise<void>;
  /**
   * Several account writes at once (a scan's changes). Optional: a store that can batch them (the local
   * one, in one transaction) implements it; callers go through updateAccounts in ./account-writes.ts,
   * which falls back to updateAccount one by one.
   */
  updateAccounts?(writes: AccountWrite[]): Promise<AccountWriteResult[]>;
  listTickets(accountId: string): Promise<Ticket[]>;
  /**
   * Tickets of many accounts at once (a scan reads them in one pass where the backend allows). With
   * `open_only`, only Open and Pending tickets (isOpenTicket): what the health scores count, and on Notion
   * a fraction of the pages to read.
   */
  listTicketsFor(accountIds: string[], opts?: { open_only?: boolean }): Promise<Map<string, Ticket[]>>;
  /**
   * Open (Open or Pending) tickets per account, every id present (0 when none). Optional: stores that
   * can count without handing over the tickets implement it; for the others see openTicketCounts in
   * ./ticket-counts.ts, which counts what listTicketsFor returns.
   */
  countOpenTicketsFor?(accountIds: string[]): Promise<Map<string, number>>;

  findQbr(accountId: string, quarter: string): Promise<QbrRecord | null>;
  /** Create a QBR page, or (with replaceId) rewrite that page's properties and body. */
  writeQbr(input: QbrInput, opts: WriteOptions & { replaceId?: string }): Promise<QbrRecord>;

  listExpansionOpportunities(accountId: string): Promise<ExpansionRecord[]>;
  createExpansionOpportunity(input: ExpansionInput, opts: WriteOptions): Promise<ExpansionRecord>;
  setExpansionStatus(id: string, status: OpportunityStatus, opts: WriteOptions): Promise<void>;

  /** A titled sub-page under an account (e.g. the TAM's Technical Relationship Profile). */
  findSubPage(accountId: string, title: string): Promise<SubPage | null>;
  writeSubPage(
    accountId: string,
    title: string,
    body: BodyBlock[],
    opts: WriteOptions & { replaceId?: string },
  ): Promise<SubPage>;

  ping(): Promise<Reachability>;
  /** Writes accepted but not yet delivered to a remote system of record (absent: none can be). */
  backlog?(): Promise<WriteBacklog>;
}
