import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import type { Database } from "./schema.js";

/** A caller's Idempotency-Key as stored: the request it was first used with and, once done, the answer. */
export interface IdempotencyEntry {
  request_hash: string;
  state: "in_flight" | "done";
  status_code: number | null;
  /** The stored answer's body as JSON text. */
  response: string | null;
}

/** The api_idempotency table: one row per caller and Idempotency-Key. */
export class ApiIdempotency {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Take the key for a request in flight; false when the caller already used it. */
  async claim(caller: string, key: string, requestHash: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto("api_idempotency")
      .values({
        caller,
        key,
        request_hash: requestHash,
        state: "in_flight",
        status_code: null,
        response: null,
        created_at: this.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(["caller", "key"]).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(caller: string, key: string): Promise<IdempotencyEntry> {
    const row = await this.db
      .selectFrom("api_idempotency")
      .select(["request_hash", "state", "status_code", "response"])
      .where("caller", "=", caller)
      .where("key", "=", key)
      .executeTakeFirstOrThrow();
    return { ...row, state: row.state === "done" ? "done" : "in_flight" };
  }

  /** Keep the answer, so a repeat of the request gets it back. */
  async complete(caller: string, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.db
      .updateTable("api_idempotency")
      .set({ state: "done", status_code: statusCode, response: JSON.stringify(body) })
      .where("caller", "=", caller)
      .where("key", "=", key)
      .execute();
  }

  /** Give the key back (the request failed): the caller may use it again. */
  async release(caller: string, key: string): Promise<void> {
    await this.db.deleteFrom("api_idempotency").where("caller", "=", caller).where("key", "=", key).execute();
  }
}
