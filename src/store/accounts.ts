import type { Kysely } from "kysely";
import type { Account, AccountStatus } from "../domain/types.js";
import type { Database } from "./schema.js";

/** One health-history point as the account view shows it; `detail` is still in its stored form. */
export interface HealthPoint {
  at: string;
  score: number;
  rag: string;
  run_id: string | null;
  detail: string | null;
}

/**
 * What the API reads about accounts from the service's own tables: pages of the embedded system of
 * record (the accounts table, in id order) and an account's health history.
 */
export class AccountReads {
  constructor(private readonly db: Kysely<Database>) {}

  /** Up to `limit` accounts with an id after `after`, and whether more follow. */
  async page(query: {
    status?: AccountStatus | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<{ accounts: Account[]; more: boolean }> {
    let q = this.db
      .selectFrom("accounts")
      .select(["id", "data"])
      .orderBy("id")
      .limit(query.limit + 1);
    if (query.after) q = q.where("id", ">", query.after);
    if (query.status) q = q.where("status", "=", query.status);
    const rows = await q.execute();
    return {
      accounts: rows.slice(0, query.limit).map((r) => JSON.parse(r.data) as Account),
      more: rows.length > query.limit,
    };
  }

  /** The account's health points at or after `since`, oldest first. */
  healthHistory(accountId: string, since: string): Promise<HealthPoint[]> {
    return this.db
      .selectFrom("health_history")
      .select(["at", "score", "rag", "run_id", "detail"])
      .where("account_id", "=", accountId)
      .where("at", ">=", since)
      .orderBy("at")
      .execute();
  }
}
