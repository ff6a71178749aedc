import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import { badRequest, conflict, invalid } from "../errors.js";
import type { Database } from "../store/schema.js";

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** Canonical JSON (sorted keys) so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (parts: unknown): string =>
  createHash("sha256").update(canonicalJson(parts)).digest("hex");

/**
 * Idempotency-Key per caller: same key and body -> the stored response; a different body -> 422;
 * the first request still in flight -> 409. A request that fails releases its key.
 */
export async function withIdempotency(
  db: Kysely<Database>,
  clock: Clock,
  caller: string,
  key: string | undefined,
  hash: string,
  handle: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!key) return { ...(await handle()), replayed: false };
  if (key.length > 200) throw badRequest("Idempotency-Key must be at most 200 characters");
  const inserted = await db
    .insertInto("api_idempotency")
    .values({
      caller,
      key,
      request_hash: hash,
      state: "in_flight",
      status_code: null,
      response: null,
      created_at: clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(["caller", "key"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const row = await db
      .selectFrom("api_idempotency")
      .selectAll()
      .where("caller", "=", caller)
      .where("key", "=", key)
      .executeTakeFirstOrThrow();
    if (row.request_hash !== hash) {
      throw invalid(
        "this Idempotency-Key was used with a different request body",
        undefined,
        "idempotency_key_reused",
      );
    }
    if (row.state !== "done") {
      throw conflict(
        "a request with this Idempotency-Key is still in flight",
        undefined,
        "idempotency_in_flight",
      );
    }
    return { statusCode: row.status_code ?? 200, body: JSON.parse(row.response ?? "null"), replayed: true };
  }
  try {
    const res = await handle();
    await db
      .updateTable("api_idempotency")
      .set({ state: "done", status_code: res.statusCode, response: JSON.stringify(res.body) })
      .where("caller", "=", caller)
      .where("key", "=", key)
      .execute();
    return { ...res, replayed: false };
  } catch (err) {
    await db.deleteFrom("api_idempotency").where("caller", "=", caller).where("key", "=", key).execute();
    throw err;
  }
}
