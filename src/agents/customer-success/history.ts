/**
 * Reads of the store that scoring needs besides the account: its health history (for the trend and the
 * previous RAG) and the TAM escalations received over the bus. Batched per page of accounts.
 */
import { type Kysely, sql } from "kysely";
import { addDays } from "../../domain/calendar.js";
import { TREND_RULES } from "../../domain/health/trend.js";
import type { Rag } from "../../domain/types.js";
import type { Database } from "../../store/schema.js";
import type { AccountInputs, PreviousScan } from "./scoring.js";

/** Escalations count toward the signal for this long (the signal is "escalations in 90 days"). */
export const ESCALATION_WINDOW_DAYS = 90;

// SQLite's default limit on bound variables is far above this; chunks keep statements small.
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export interface HistoryOf {
  history: AccountInputs["history"];
  previous: PreviousScan | null;
}

/**
 * History of each account: the points of the trend window, and the latest point of all (the previous
 * scan, however old). Rows of `runId` are left out: on a re-run they are the scan being computed.
 */
export async function loadHistory(
  db: Kysely<Database>,
  accountIds: string[],
  runId: string,
  now: Date,
): Promise<Map<string, HistoryOf>> {
  const out = new Map<string, HistoryOf>(accountIds.map((id) => [id, { history: [], previous: null }]));
  const since = addDays(now, -TREND_RULES.slopeWindowDays).toISOString();
  const nowIso = now.toISOString();
  for (const ids of chunks(accountIds)) {
    // Points before this instant come from the (account_id, at, score, rag) index alone. Rows stamped
    // with this very instant are this run's own (a re-run) or, rarely, another scan's at the same
    // instant: only those few are read from the table, to tell them apart by run.
    const window = [
      ...(await db
        .selectFrom("health_history")
        .select(["account_id", "at", "score", "rag"])
        .where("account_id", "in", ids)
        .where("at", ">=", since)
        .where("at", "<", nowIso)
        .execute()),
      ...(await db
        .selectFrom("health_history")
        .select(["account_id", "at", "score", "rag"])
        .where("account_id", "in", ids)
        .where("at", "=", nowIso)
        .where((eb) => eb.or([eb("run_id", "is", null), eb("run_id", "!=", runId)]))
        .execute()),
    ];
    const latestInWindow = new Map<string, PreviousScan>();
    for (const r of window) {
      out.get(r.account_id)?.history.push({ at: r.at, score: r.score });
      const best = latestInWindow.get(r.account_id);
      if (!best || r.at > best.at)
        latestInWindow.set(r.account_id, { score: r.score, rag: r.rag as Rag, at: r.at });
    }
    for (const [id, previous] of latestInWindow) out.get(id)!.previous = previous;
    // The window ends now, so its latest point is the previous scan; only accounts without one look further back.
    const older = ids.filter((id) => !latestInWindow.has(id));
    if (older.length === 0) continue;
    const latest = await db
      .selectFrom("health_history as h")
      .select(["h.account_id", "h.score", "h.rag", "h.at"])
      .where("h.account_id", "in", older)
      .where(
        "h.at",
        "=",
        sql<string>`(SELECT MAX(x.at) FROM health_history x WHERE x.account_id = h.account_id
          AND x.at <= ${nowIso} AND (x.run_id IS NULL OR x.run_id != ${runId}))`,
      )
      .where((eb) => eb.or([eb("h.run_id", "is", null), eb("h.run_id", "!=", runId)]))
      .execute();
    for (const r of latest) {
      const entry = out.get(r.account_id);
      if (entry) entry.previous = { score: r.score, rag: r.rag as Rag, at: r.at };
    }
  }
  return out;
}

/** TAM escalations per account received within the escalation window before `now`. */
export async function countEscalations(
  db: Kysely<Database>,
  accountIds: string[],
  now: Date,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const since = addDays(now, -ESCALATION_WINDOW_DAYS).toISOString();
  for (const ids of chunks(accountIds)) {
    const rows = await db
      .selectFrom("csm_escalations")
      .select(["account_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("account_id", "in", ids)
      .where("at", ">=", since)
      .where("at", "<=", now.toISOString())
      .groupBy("account_id")
      .execute();
    for (const r of rows) out.set(r.account_id, Number(r.n));
  }
  return out;
}
