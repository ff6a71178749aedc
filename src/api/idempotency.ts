import { createHash } from "node:crypto";
import { badRequest, conflict, invalid } from "../errors.js";
import type { ApiIdempotency } from "../store/api-idempotency.js";

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
  keys: ApiIdempotency,
  caller: string,
  key: string | undefined,
  hash: string,
  handle: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!key) return { ...(await handle()), replayed: false };
  if (key.length > 200) throw badRequest("Idempotency-Key must be at most 200 characters");
  if (!(await keys.claim(caller, key, hash))) {
    const entry = await keys.get(caller, key);
    if (entry.request_hash !== hash) {
      throw invalid(
        "this Idempotency-Key was used with a different request body",
        undefined,
        "idempotency_key_reused",
      );
    }
    if (entry.state !== "done") {
      throw conflict(
        "a request with this Idempotency-Key is still in flight",
        undefined,
        "idempotency_in_flight",
      );
    }
    return {
      statusCode: entry.status_code ?? 200,
      body: JSON.parse(entry.response ?? "null"),
      replayed: true,
    };
  }
  try {
    const res = await handle();
    await keys.complete(caller, key, res.statusCode, res.body);
    return { ...res, replayed: false };
  } catch (err) {
    await keys.release(caller, key);
    throw err;
  }
}
