/**
 * The TAM health scan's rows (tam_scan_results), keyed by run id: every node reads and writes its
 * accounts here, so graph state carries only the scan instant and counts, and a re-run node continues
 * where the crashed one stopped.
 */
import type { Kysely, Selectable } from "kysely";
import type { TamOutcomeDetail, TamScanOutcome } from "../../../domain/health/tam-scan.js";
import type { AlertChannel } from "../../../domain/notifications.js";
import {
  type DeferredEscalation,
  type EscalationState,
  type EscalationVerdict,
  TAM_STATUS_SEVERITY,
} from "../../../domain/tam-escalation.js";
import type { TamStatus } from "../../../domain/types.js";
import { parseJson } from "../../../store/db.js";
import type { Database, TamScanResultsTable } from "../../../store/schema.js";

type Db = Kysely<Database>;
export type TamRow = Selectable<TamScanResultsTable>;

export type TamRowDetail = TamOutcomeDetail;

export interface NewTamRow {
  account_id: string;
  account_name: string;
  arr: number | null;
  outcome: TamScanOutcome;
}

/** Scan rows are kept this long after their scan (operators read a run's rows after it). */
export const TAM_SCAN_RETENTION_DAYS = 14;

export async function deleteScansBefore(db: Db, beforeIso: string): Promise<void> {
  await db.deleteFrom("tam_scan_results").where("scan_at", "<", beforeIso).execute();
}

/** Which of these accounts already have a row in the run (a re-run of the score node keeps them). */
export async function accountsWithRows(db: Db, runId: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("tam_scan_results")
    .select("account_id")
    .where("run_id", "=", runId)
    .where("account_id", "in", accountIds)
    .execute();
  return new Set(rows.map((r) => r.account_id));
}

/** Insert a page of rows; rows a re-run already wrote are kept as they were. */
export async function insertRows(db: Db, runId: string, scanAt: string, rows: NewTamRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 100) {
      await trx
        .insertInto("tam_scan_results")
        .orIgnore()
        .values(
          rows.slice(i, i + 100).map((r) => {
            const base = {
              run_id: runId,
              account_id: r.account_id,
              scan_at: scanAt,
              account_name: r.account_name,
              arr: r.arr,
            };
            const o = r.outcome;
            if (o.kind === "skipped") return { ...base, status: "skipped", skip_reason: o.reason };
            return {
              ...base,
              status: "scored",
              score: o.score,
              health_status: o.status,
              previous_status: o.previous_status,
              open_tickets: o.open_tickets,
              aged_p1_p2: o.aged_p1_p2,
              escalate: o.escalate ? 1 : 0,
              detail: JSON.stringify(o.detail),
            };
          }),
        )
        .execute();
    }
  });
}

export async function countRows(db: Db, runId: string): Promise<{ scored: number; skipped: number }> {
  const rows = await db
    .selectFrom("tam_scan_results")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("run_id", "=", runId)
    .groupBy("status")
    .execute();
  const out = { scored: 0, skipped: 0 };
  for (const r of rows) if (r.status === "scored" || r.status === "skipped") out[r.status] = Number(r.n);
  return out;
}

/** Scored rows whose Health fields are not written yet, a page at a time. */
export async function unpersistedPage(
  db: Db,
  runId: string,
  afterId: string,
  limit: number,
): Promise<TamRow[]> {
  return db
    .selectFrom("tam_scan_results")
    .selectAll()
    .where("run_id", "=", runId)
    .where("status", "=", "scored")
    .where("records_status", "is", null)
    .where("account_id", ">", afterId)
    .orderBy("account_id")
    .limit(limit)
    .execute();
}

export async function setRecordsStatus(
  db: Db,
  runId: string,
  statuses: Array<{ account_id: string; status: "written" | "failed" }>,
): Promise<void> {
  if (statuses.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const s of statuses) {
      await trx
        .updateTable("tam_scan_results")
        .set({ records_status: s.status })
        .where("run_id", "=", runId)
        .where("account_id", "=", s.account_id)
        .execute();
    }
  });
}

/** Rows the rules want escalated that have no escalation decision yet. */
export async function undecidedEscalations(db: Db, runId: string): Promise<TamRow[]> {
  return db
    .selectFrom("tam_scan_results")
    .selectAll()
    .where("run_id", "=", runId)
    .where("escalate", "=", 1)
    .where("escalation_status", "is", null)
    .execute();
}

/** All decisions of a scan in one transaction, so a re-run never selects a second set. */
export async function decideEscalations(
  db: Db,
  runId: string,
  decisions: EscalationVerdict[],
): Promise<void> {
  if (decisions.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const d of decisions) {
      await trx
        .updateTable("tam_scan_results")
        .set({
          escalation_status: d.status,
          escalation_reason: d.reason,
          escalation_key: d.key,
          escalation_rank: d.rank,
        })
        .where("run_id", "=", runId)
        .where("account_id", "=", d.account_id)
        .execute();
    }
  });
}

export async function rowsWithEscalation(db: Db, runId: string, status: string): Promise<TamRow[]> {
  return db
    .selectFrom("tam_scan_results")
    .selectAll()
    .where("run_id", "=", runId)
    .where("escalation_status", "=", status)
    .orderBy("escalation_rank")
    .orderBy("account_id")
    .execute();
}

export async function markRaised(db: Db, runId: string, accountId: string, result: unknown): Promise<void> {
  await db
    .updateTable("tam_scan_results")
    .set({ escalation_status: "raised", escalation_result: JSON.stringify(result) })
    .where("run_id", "=", runId)
    .where("account_id", "=", accountId)
    .execute();
}

export async function summaryRows(db: Db, runId: string, limit: number): Promise<TamRow[]> {
  return db
    .selectFrom("tam_scan_results")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("status")
    .orderBy("score")
    .orderBy("account_id")
    .limit(limit)
    .execute();
}

export const rowDetail = (row: Pick<TamRow, "detail">): TamRowDetail =>
  row.detail ? (JSON.parse(row.detail) as TamRowDetail) : { penalties: [], escalation_reasons: [] };

/** The last escalation of each account, for de-duplication and for finishing its failed channels. */
export async function escalationStates(db: Db, accountIds: string[]): Promise<Map<string, EscalationState>> {
  const out = new Map<string, EscalationState>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom("tam_escalation_state")
      .select(["account_id", "last_status", "last_escalated_at", "last_key", "failed_channels"])
      .where("account_id", "in", accountIds.slice(i, i + 500))
      .execute();
    for (const r of rows)
      out.set(r.account_id, {
        last_status: r.last_status as TamStatus,
        last_escalated_at: r.last_escalated_at,
        last_key: r.last_key,
        failed_channels: parseJson<AlertChannel[] | null>(r.failed_channels, null),
      });
  }
  return out;
}

/**
 * An escalation went out (at least one channel): start its repeat window and remember the channels
 * still to deliver. Finishing an earlier escalation (`retry`, same key) only updates what is left.
 */
export async function recordEscalation(
  db: Db,
  s: {
    account_id: string;
    status: TamStatus;
    score: number;
    at: string;
    key: string;
    run_id: string;
    failed: AlertChannel[];
    retry?: boolean;
  },
): Promise<void> {
  const failed = s.failed.length > 0 ? JSON.stringify(s.failed) : null;
  if (s.retry) {
    await db
      .updateTable("tam_escalation_state")
      .set({ failed_channels: failed, updated_at: s.at })
      .where("account_id", "=", s.account_id)
      .where("last_key", "=", s.key)
      .execute();
    return;
  }
  const values = {
    account_id: s.account_id,
    last_status: s.status,
    last_score: s.score,
    last_escalated_at: s.at,
    last_key: s.key,
    last_run_id: s.run_id,
    updated_at: s.at,
    failed_channels: failed,
  };
  await db
    .insertInto("tam_escalation_state")
    .values(values)
    .onConflict((oc) => oc.column("account_id").doUpdateSet(values))
    .execute();
}

/**
 * Per account, the latest escalation an earlier scan deferred, when no escalation was raised for the
 * account since: it competes again (see stillDue in domain/tam-escalation.ts).
 */
export async function pendingDeferrals(
  db: Db,
  runId: string,
  accountIds: string[],
): Promise<Map<string, DeferredEscalation>> {
  const out = new Map<string, DeferredEscalation>();
  const seen = new Set<string>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom("tam_scan_results as r")
      .leftJoin("tam_escalation_state as s", "s.account_id", "r.account_id")
      .select(["r.account_id", "r.health_status", "r.scan_at", "r.detail", "s.last_escalated_at"])
      .where("r.run_id", "!=", runId)
      .where("r.escalation_status", "=", "deferred")
      .where("r.account_id", "in", accountIds.slice(i, i + 500))
      .orderBy("r.scan_at", "desc")
      .execute();
    for (const r of rows) {
      if (seen.has(r.account_id)) continue; // latest first
      seen.add(r.account_id);
      if (r.last_escalated_at !== null && r.last_escalated_at >= r.scan_at) continue; // raised since
      out.set(r.account_id, {
        status: r.health_status as TamStatus,
        scan_at: r.scan_at,
        reasons: rowDetail(r).escalation_reasons,
      });
    }
  }
  return out;
}

/** Per account, the worst status at which another scan deferred its escalation since `sinceIso`. */
export async function deferredSince(
  db: Db,
  runId: string,
  accountIds: string[],
  sinceIso: string,
): Promise<Map<string, TamStatus>> {
  const out = new Map<string, TamStatus>();
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom("tam_scan_results")
      .select(["account_id", "health_status"])
      .where("run_id", "!=", runId)
      .where("escalation_status", "=", "deferred")
      .where("scan_at", ">=", sinceIso)
      .where("account_id", "in", accountIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const status = r.health_status as TamStatus;
      const known = out.get(r.account_id);
      if (!known || TAM_STATUS_SEVERITY[status] > TAM_STATUS_SEVERITY[known]) out.set(r.account_id, status);
    }
  }
  return out;
}
