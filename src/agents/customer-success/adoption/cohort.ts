/**
 * The book's adoption cohort (domain/adoption.ts CohortSnapshot), read from the system of record once and
 * shared: a quarterly QBR job assesses every account against the same book, and reading the whole book
 * per account would make the job quadratic. The snapshot is kept for COHORT_TTL_MS of the runtime's
 * clock; concurrent callers share one load.
 */
import type { Kysely } from "kysely";
import type { RecordsPort } from "../../../adapters/records/port.js";
import type { Clock } from "../../../clock.js";
import { type AdoptionPeer, CohortBuilder, type CohortSnapshot } from "../../../domain/adoption.js";
import type { Rag } from "../../../domain/types.js";
import type { Database } from "../../../store/schema.js";

export const COHORT_TTL_MS = 10 * 60_000;

interface Cached {
  loadedAt: number;
  snapshot: Promise<CohortSnapshot>;
}

// Keyed by the records port: each runtime (and each test's) has its own book.
const cache = new WeakMap<RecordsPort, Cached>();

/** The latest RAG of every account in the health history (the scan's, or the demo book's). */
export async function latestRags(db: Kysely<Database>): Promise<Map<string, Rag>> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("health_history")
        .select((e) => [
          "account_id",
          "rag",
          e.fn
            .agg<number>("row_number")
            .over((o) => o.partitionBy("account_id").orderBy("at", "desc"))
            .as("rn"),
        ])
        .as("h"),
    )
    .select(["h.account_id", "h.rag"])
    .where("h.rn", "=", 1)
    .execute();
  return new Map(rows.map((r) => [r.account_id, r.rag as Rag]));
}

async function loadCohort(records: RecordsPort, db: Kysely<Database>): Promise<CohortSnapshot> {
  const rags = await latestRags(db);
  const builder = new CohortBuilder();
  for await (const page of records.iterateAccounts()) {
    for (const a of page) {
      const peer: AdoptionPeer = {
        id: a.id,
        tier: a.tier,
        status: a.status,
        feature_adoption: a.feature_adoption,
        features_used: a.features_used ?? [],
        rag: a.csm_health_rag ?? rags.get(a.id) ?? null,
      };
      builder.add(peer);
    }
  }
  return builder.build();
}

export interface CohortDeps {
  records: RecordsPort;
  clock: Clock;
  store: { db: Kysely<Database> };
}

export function getCohort(deps: CohortDeps): Promise<CohortSnapshot> {
  const now = deps.clock.now().getTime();
  const hit = cache.get(deps.records);
  if (hit && now - hit.loadedAt >= 0 && now - hit.loadedAt < COHORT_TTL_MS) return hit.snapshot;
  const snapshot = loadCohort(deps.records, deps.store.db);
  const entry = { loadedAt: now, snapshot };
  cache.set(deps.records, entry);
  // A failed load is not kept: the next caller tries again.
  snapshot.catch(() => {
    if (cache.get(deps.records) === entry) cache.delete(deps.records);
  });
  return snapshot;
}

/** Forget the snapshot (after a bulk change of the book, e.g. a re-seed). */
export function invalidateCohort(records: RecordsPort): void {
  cache.delete(records);
}
