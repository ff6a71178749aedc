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
import { RecordsFromParts } from "./parts.js";
import type { AccountQuery, BodyBlock, Reachability, RecordsPort } from "./port.js";

/**
 * The embedded system of record: SQLite tables with the shapes of the Notion data sources. Each kind of
 * record has its module under ./local/.
 */
export class LocalRecords extends RecordsFromParts<LocalContext> implements RecordsPort {
  readonly kind = "local" as const;

  constructor(db: Kysely<Database>, effects: SideEffects, clock: Clock) {
    super({ db, effects, clock }, { accounts, tickets, qbrs, expansion, subPages });
  }

  async *iterateAccounts(query: AccountQuery = {}): AsyncIterable<Account[]> {
    for await (const page of this.iterateAccountPages(query)) yield page.accounts;
  }

  listTickets(accountId: string): Promise<Ticket[]> {
    return tickets.list(this.ctx, accountId);
  }

  /** Counted in SQL: a scan needs the numbers, not the tickets. */
  countOpenTicketsFor(accountIds: string[]): Promise<Map<string, number>> {
    return tickets.countOpenFor(this.ctx, accountIds);
  }

  /** The stored body of a QBR (the local store keeps it; Notion keeps it as page blocks). */
  getQbrBody(id: string): Promise<BodyBlock[] | null> {
    return qbrs.body(this.ctx, id);
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
