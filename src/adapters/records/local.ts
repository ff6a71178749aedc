import { randomUUID } from "node:crypto";
import { CompiledQuery, type Kysely, sql } from "kysely";
import type { Clock } from "../../clock.js";
import { type Account, OPEN_TICKET_STATUSES, type Ticket } from "../../domain/types.js";
import type { Database } from "../../store/schema.js";
import type { SideEffects } from "../../store/side-effects.js";
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
  RecordsPort,
  SubPage,
  WriteOptions,
} from "./port.js";

const patchTexts = new Map<string, string>();

/**
 * The statement that sets `keys` in the data of `rows` accounts, the values as parameters (the write
 * time first, then per row the id and the values in key order). Built once per key list and row count:
 * Kysely's template would build and compile a node per value, which on a 10,000-account scan costs as
 * much as the update itself.
 */
function patchText(keys: string[], rows: number): string {
  const cacheKey = `${keys.join(",")}x${rows}`;
  let text = patchTexts.get(cacheKey);
  if (text === undefined) {
    for (const k of keys) {
      // Keys are AccountPatch field names; anything else would be spliced into a JSON path.
      if (!/^[a-z][a-z0-9_]*$/.test(k)) throw new Error(`not an account field: ${JSON.stringify(k)}`);
    }
    const setters = keys.map((k, i) => `'$.${k}', v.column${i + 2}`).join(", ");
    const tuple = `(${Array(keys.length + 1)
      .fill("?")
      .join(", ")})`;
    text =
      `UPDATE accounts SET data = ${keys.length > 0 ? `json_set(data, ${setters})` : "data"}, updated_at = ? ` +
      `FROM (VALUES ${Array(rows).fill(tuple).join(", ")}) AS v WHERE accounts.id = v.column1`;
    patchTexts.set(cacheKey, text);
  }
  return text;
}

/** A patch value as SQLite takes it: booleans as 0/1, like Kysely's template. */
const sqlValue = (v: unknown): unknown => (typeof v === "boolean" ? (v ? 1 : 0) : v);

/** The embedded system of record: SQLite tables with the shapes of the Notion data sources. */
export class LocalRecords implements RecordsPort {
  readonly kind = "local" as const;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly effects: SideEffects,
    private readonly clock: Clock,
  ) {}

  async *iterateAccounts(query: AccountQuery = {}): AsyncIterable<Account[]> {
    for await (const page of this.iterateAccountPages(query)) yield page.accounts;
  }

  /** Accounts page by page; a row whose stored JSON cannot be read is listed as skipped, not thrown. */
  async *iterateAccountPages(query: AccountQuery = {}): AsyncIterable<AccountPage> {
    const pageSize = query.pageSize ?? 500;
    let after = "";
    for (;;) {
      let q = this.db
        .selectFrom("accounts")
        .select(["id", "data"])
        .where("id", ">", after)
        .orderBy("id")
        .limit(pageSize);
      if (query.status && query.status.length > 0) q = q.where("status", "in", query.status);
      if (query.ids) {
        if (query.ids.length === 0) return;
        q = q.where("id", "in", query.ids);
      }
      const rows = await q.execute();
      if (rows.length === 0) return;
      const page: AccountPage = { accounts: [], skipped: [] };
      for (const r of rows) {
        try {
          page.accounts.push(JSON.parse(r.data) as Account);
        } catch (err) {
          page.skipped.push({
            account_id: r.id,
            reason: `stored record unreadable: ${(err as Error).message}`,
          });
        }
      }
      yield page;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async getAccount(id: string): Promise<Account | null> {
    const row = await this.db.selectFrom("accounts").select("data").where("id", "=", id).executeTakeFirst();
    return row ? (JSON.parse(row.data) as Account) : null;
  }

  async updateAccount(id: string, patch: AccountPatch, _opts: WriteOptions): Promise<void> {
    // Setting fields is idempotent by nature; the key matters for remote stores.
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("accounts").select("data").where("id", "=", id).executeTakeFirst();
      if (!row) throw new Error(`account ${id} not found`);
      const next = { ...(JSON.parse(row.data) as Account), ...patch };
      await trx
        .updateTable("accounts")
        .set({ data: JSON.stringify(next), updated_at: this.clock.now().toISOString() })
        .where("id", "=", id)
        .execute();
    });
  }

  /**
   * A batch of account writes in one transaction: one commit for a page of a scan's changes. Fields are
   * set in place with json_set, a hundred accounts a statement, so the stored records are not read,
   * parsed and rewritten in JavaScript.
   */
  async updateAccounts(writes: AccountWrite[]): Promise<AccountWriteResult[]> {
    if (writes.length === 0) return [];
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const existing = new Set<string>();
      for (let i = 0; i < writes.length; i += 500) {
        const ids = writes.slice(i, i + 500).map((w) => w.id);
        for (const r of await trx.selectFrom("accounts").select("id").where("id", "in", ids).execute()) {
          existing.add(r.id);
        }
      }
      // Writes setting the same fields share a statement shape.
      const groups = new Map<string, Array<{ id: string; values: unknown[] }>>();
      for (const w of writes) {
        if (!existing.has(w.id)) continue;
        const keys = Object.keys(w.patch).filter((k) => w.patch[k as keyof AccountPatch] !== undefined);
        const group = groups.get(keys.join(",")) ?? [];
        group.push({ id: w.id, values: keys.map((k) => w.patch[k as keyof AccountPatch]) });
        groups.set(keys.join(","), group);
      }
      for (const [keyList, group] of groups) {
        const keys = keyList === "" ? [] : keyList.split(",");
        for (let i = 0; i < group.length; i += 100) {
          const chunk = group.slice(i, i + 100);
          const params: unknown[] = [now];
          for (const g of chunk) params.push(g.id, ...g.values.map(sqlValue));
          await trx.executeQuery(CompiledQuery.raw(patchText(keys, chunk.length), params));
        }
      }
      return writes.map((w) =>
        existing.has(w.id)
          ? { id: w.id, ok: true }
          : { id: w.id, ok: false, error: `account ${w.id} not found` },
      );
    });
  }

  async listTickets(accountId: string): Promise<Ticket[]> {
    const rows = await this.db
      .selectFrom("tickets")
      .select("data")
      .where("account_id", "=", accountId)
      .execute();
    return rows.map((r) => JSON.parse(r.data) as Ticket);
  }

  async listTicketsFor(
    accountIds: string[],
    opts: { open_only?: boolean } = {},
  ): Promise<Map<string, Ticket[]>> {
    const out = new Map<string, Ticket[]>(accountIds.map((id) => [id, []]));
    for (let i = 0; i < accountIds.length; i += 500) {
      const chunk = accountIds.slice(i, i + 500);
      let q = this.db.selectFrom("tickets").select("data").where("account_id", "in", chunk);
      if (opts.open_only) q = q.where("status", "in", OPEN_TICKET_STATUSES);
      const rows = await q.execute();
      for (const r of rows) {
        const t = JSON.parse(r.data) as Ticket;
        out.get(t.account_id)?.push(t);
      }
    }
    return out;
  }

  /** Counted in SQL over the status column: a scan needs the numbers, not the tickets. */
  async countOpenTicketsFor(accountIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(accountIds.map((id) => [id, 0]));
    for (let i = 0; i < accountIds.length; i += 500) {
      const rows = await this.db
        .selectFrom("tickets")
        .select(["account_id", sql<number>`count(*)`.as("n")])
        .where("account_id", "in", accountIds.slice(i, i + 500))
        .where("status", "in", OPEN_TICKET_STATUSES)
        .groupBy("account_id")
        .execute();
      for (const r of rows) out.set(r.account_id, Number(r.n));
    }
    return out;
  }

  async findQbr(accountId: string, quarter: string): Promise<QbrRecord | null> {
    const row = await this.db
      .selectFrom("qbrs")
      .select("data")
      .where("account_id", "=", accountId)
      .where("period", "=", quarter)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as QbrRecord) : null;
  }

  async writeQbr(input: QbrInput, opts: WriteOptions & { replaceId?: string }): Promise<QbrRecord> {
    const { result } = await this.effects.once(
      `records:qbr:${opts.idempotencyKey}`,
      "records.qbr",
      async () => {
        const now = this.clock.now().toISOString();
        const existing = opts.replaceId
          ? await this.db
              .selectFrom("qbrs")
              .select("data")
              .where("id", "=", opts.replaceId)
              .executeTakeFirst()
          : undefined;
        const prev = existing ? (JSON.parse(existing.data) as QbrRecord) : undefined;
        const id = prev?.id ?? `qbr_${randomUUID()}`;
        const record: QbrRecord = {
          id,
          account_id: input.account_id,
          name: input.name,
          quarter: input.quarter,
          health_score: input.health_score,
          status: "Draft",
          trigger: input.trigger,
          url: `local://qbrs/${id}`,
          created_at: prev?.created_at ?? now,
          updated_at: now,
        };
        const values = {
          id,
          account_id: input.account_id,
          period: input.quarter,
          data: JSON.stringify(record),
          body: JSON.stringify(input.body),
          created_at: record.created_at,
          updated_at: now,
        };
        await this.db
          .insertInto("qbrs")
          .values(values)
          .onConflict((oc) =>
            oc.column("id").doUpdateSet({ data: values.data, body: values.body, updated_at: now }),
          )
          .execute();
        return record;
      },
    );
    return result;
  }

  /** The stored body of a QBR (the local store keeps it; Notion keeps it as page blocks). */
  async getQbrBody(id: string): Promise<BodyBlock[] | null> {
    const row = await this.db.selectFrom("qbrs").select("body").where("id", "=", id).executeTakeFirst();
    return row ? (JSON.parse(row.body) as BodyBlock[]) : null;
  }

  async listExpansionOpportunities(accountId: string): Promise<ExpansionRecord[]> {
    const rows = await this.db
      .selectFrom("expansion_opportunities")
      .select("data")
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .execute();
    return rows.map((r) => JSON.parse(r.data) as ExpansionRecord);
  }

  async createExpansionOpportunity(input: ExpansionInput, opts: WriteOptions): Promise<ExpansionRecord> {
    const { result } = await this.effects.once(
      `records:expansion:${opts.idempotencyKey}`,
      "records.expansion",
      async () => {
        const now = this.clock.now().toISOString();
        const record: ExpansionRecord = {
          ...input,
          id: `opp_${randomUUID()}`,
          status: "New",
          created_at: now,
          updated_at: now,
        };
        await this.db
          .insertInto("expansion_opportunities")
          .values({
            id: record.id,
            account_id: record.account_id,
            type: record.type,
            status: record.status,
            data: JSON.stringify(record),
            created_at: now,
            updated_at: now,
          })
          .execute();
        return record;
      },
    );
    return result;
  }

  async setExpansionStatus(id: string, status: OpportunityStatus, _opts: WriteOptions): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("expansion_opportunities")
        .select("data")
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) throw new Error(`expansion opportunity ${id} not found`);
      const now = this.clock.now().toISOString();
      const record = { ...(JSON.parse(row.data) as ExpansionRecord), status, updated_at: now };
      await trx
        .updateTable("expansion_opportunities")
        .set({ status, data: JSON.stringify(record), updated_at: now })
        .where("id", "=", id)
        .execute();
    });
  }

  async findSubPage(accountId: string, title: string): Promise<SubPage | null> {
    const row = await this.db
      .selectFrom("pages")
      .selectAll()
      .where("parent_id", "=", accountId)
      .where("title", "=", title)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      parent_id: row.parent_id,
      title: row.title,
      body: JSON.parse(row.body) as BodyBlock[],
      url: `local://pages/${row.id}`,
      updated_at: row.updated_at,
    };
  }

  async writeSubPage(
    accountId: string,
    title: string,
    body: BodyBlock[],
    opts: WriteOptions & { replaceId?: string },
  ): Promise<SubPage> {
    const now = this.clock.now().toISOString();
    const id = opts.replaceId ?? (await this.findSubPage(accountId, title))?.id ?? `page_${randomUUID()}`;
    await this.db
      .insertInto("pages")
      .values({ id, parent_id: accountId, title, body: JSON.stringify(body), updated_at: now })
      .onConflict((oc) => oc.column("id").doUpdateSet({ title, body: JSON.stringify(body), updated_at: now }))
      .execute();
    return { id, parent_id: accountId, title, body, url: `local://pages/${id}`, updated_at: now };
  }

  async ping() {
    const row = await this.db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    return { ok: true, detail: `SQLite records, ${Number(row?.n ?? 0)} accounts` };
  }

  /** Bulk load (demo book, benches): one transaction. */
  async loadBook(accounts: Account[], tickets: Ticket[]): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < accounts.length; i += 200) {
        await trx
          .insertInto("accounts")
          .values(
            accounts.slice(i, i + 200).map((a) => ({
              id: a.id,
              name: a.name,
              status: a.status,
              tier: a.tier,
              arr: a.arr,
              renewal_date: a.renewal_date,
              data: JSON.stringify(a),
              updated_at: now,
            })),
          )
          .execute();
      }
      for (let i = 0; i < tickets.length; i += 300) {
        await trx
          .insertInto("tickets")
          .values(
            tickets.slice(i, i + 300).map((t) => ({
              id: t.id,
              account_id: t.account_id,
              status: t.status,
              data: JSON.stringify(t),
            })),
          )
          .execute();
      }
    });
  }

  async countAccounts(): Promise<number> {
    const row = await this.db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
