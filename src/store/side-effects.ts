import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import type { Database } from "./schema.js";

/**
 * Remembers the result of a side effect under its idempotency key, so a re-run node (after a crash or
 * a resume) returns the first result instead of doing the effect again.
 */
export class SideEffects {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db
      .selectFrom("side_effects")
      .select("result")
      .where("key", "=", key)
      .executeTakeFirst();
    return row ? (JSON.parse(row.result ?? "null") as T) : undefined;
  }

  async put(key: string, kind: string, result: unknown): Promise<void> {
    await this.db
      .insertInto("side_effects")
      .values({
        key,
        kind,
        result: JSON.stringify(result ?? null),
        created_at: this.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
  }

  /** Run `effect` once per key; later calls (also concurrent ones) get the stored result. */
  async once<T>(key: string, kind: string, effect: () => Promise<T>): Promise<{ result: T; fresh: boolean }> {
    const pending = this.inFlight.get(key);
    if (pending) return { result: (await pending) as T, fresh: false };
    const existing = await this.get<T>(key);
    if (existing !== undefined) return { result: existing, fresh: false };
    const p = (async () => {
      const result = await effect();
      await this.put(key, kind, result);
      return result;
    })();
    this.inFlight.set(key, p);
    try {
      return { result: await p, fresh: true };
    } finally {
      this.inFlight.delete(key);
    }
  }
}
