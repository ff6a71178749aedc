/**
 * The expansion scan's rows (expansion_scan_candidates, expansion_scan_narrations), keyed by run id: one
 * row per account and opportunity type, moved through candidate -> suppressed | dropped | kept ->
 * recorded, then handed_off | deferred. Graph state holds only the scan instant and counts.
 */
import type { Kysely, Selectable } from "kysely";
import type { ExpansionCandidate } from "../../../domain/expansion.js";
import type { Database, ExpansionScanCandidatesTable } from "../../../store/schema.js";

type Db = Kysely<Database>;
export type CandidateRow = Selectable<ExpansionScanCandidatesTable>;

/** Scan rows are kept this long after their scan. */
export const EXPANSION_SCAN_RETENTION_DAYS = 14;

/** The instant an earlier detect of the run recorded: a re-run keeps it. */
export async function scanInstantOf(db: Db, runId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("expansion_scan_candidates")
    .select("scan_at")
    .where("run_id", "=", runId)
    .executeTakeFirst();
  return row?.scan_at;
}

export async function deleteScansBefore(db: Db, beforeIso: string): Promise<void> {
  await db.deleteFrom("expansion_scan_candidates").where("scan_at", "<", beforeIso).execute();
  await db.deleteFrom("expansion_scan_narrations").where("scan_at", "<", beforeIso).execute();
}

/** How the reason of a carried-over row starts (it is recorded already; it only competes for a hand-off). */
export const CARRIED_OVER = "carried over:";

export interface CarriedOpportunity {
  opportunity_id: string;
  talk_track: string;
  reason: string;
}

export const isCarriedOver = (row: Pick<CandidateRow, "reason">): boolean =>
  row.reason?.startsWith(CARRIED_OVER) ?? false;

export interface NewCandidateRow {
  account_id: string;
  account_name: string;
  csm_owner: string | null;
  candidate: ExpansionCandidate;
  rank_value: number;
  /** Set when an open opportunity of the same type exists. */
  suppressed: string | null;
  /** Set when an earlier scan's open opportunity of this type was never handed off: it competes again. */
  carried?: CarriedOpportunity | null;
}

export async function accountsWithRows(db: Db, runId: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("expansion_scan_candidates")
    .select("account_id")
    .distinct()
    .where("run_id", "=", runId)
    .where("account_id", "in", accountIds)
    .execute();
  return new Set(rows.map((r) => r.account_id));
}

export async function insertCandidates(
  db: Db,
  runId: string,
  scanAt: string,
  rows: NewCandidateRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 100) {
      await trx
        .insertInto("expansion_scan_candidates")
        .orIgnore()
        .values(
          rows.slice(i, i + 100).map((r) => ({
            run_id: runId,
            account_id: r.account_id,
            opportunity_type: r.candidate.opportunity_type,
            scan_at: scanAt,
            account_name: r.account_name,
            csm_owner: r.csm_owner,
            candidate: JSON.stringify(r.candidate),
            estimated_arr_impact: r.candidate.estimated_arr_impact,
            confidence: r.candidate.confidence,
            rank_value: r.rank_value,
            ...(r.carried
              ? {
                  status: "recorded",
                  reason: r.carried.reason,
                  opportunity_id: r.carried.opportunity_id,
                  talk_track: r.carried.talk_track,
                }
              : { status: r.suppressed ? "suppressed" : "candidate", reason: r.suppressed }),
          })),
        )
        .execute();
    }
  });
}

export const candidateOf = (row: Pick<CandidateRow, "candidate">): ExpansionCandidate =>
  JSON.parse(row.candidate) as ExpansionCandidate;

/** Accounts whose candidates await narration, the most valuable first, a page at a time. */
export async function accountsToNarrate(db: Db, runId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("expansion_scan_candidates")
    .select(["account_id", (eb) => eb.fn.max("rank_value").as("best")])
    .where("run_id", "=", runId)
    .where("status", "=", "candidate")
    .groupBy("account_id")
    .orderBy("best", "desc")
    .orderBy("account_id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.account_id);
}

export async function candidatesOf(
  db: Db,
  runId: string,
  accountId: string,
  status: string,
): Promise<CandidateRow[]> {
  return db
    .selectFrom("expansion_scan_candidates")
    .selectAll()
    .where("run_id", "=", runId)
    .where("account_id", "=", accountId)
    .where("status", "=", status)
    .orderBy("rank_value", "desc")
    .execute();
}

export interface Narration {
  account_id: string;
  generated_by: "llm" | "template";
  fallback_reason: string | null;
  kept: Array<{ opportunity_type: string; talk_track: string }>;
  dropped: Array<{ opportunity_type: string; reason: string }>;
  /** What the model proposed without a detector's evidence: dropped, and counted. */
  unsupported: unknown[];
}

/** One account's narration in one transaction, so a re-run narrates only accounts not yet done. */
export async function saveNarration(db: Db, runId: string, scanAt: string, n: Narration): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const k of n.kept) {
      await trx
        .updateTable("expansion_scan_candidates")
        .set({ status: "kept", talk_track: k.talk_track, generated_by: n.generated_by })
        .where("run_id", "=", runId)
        .where("account_id", "=", n.account_id)
        .where("opportunity_type", "=", k.opportunity_type)
        .execute();
    }
    for (const d of n.dropped) {
      await trx
        .updateTable("expansion_scan_candidates")
        .set({ status: "dropped", reason: d.reason, generated_by: n.generated_by })
        .where("run_id", "=", runId)
        .where("account_id", "=", n.account_id)
        .where("opportunity_type", "=", d.opportunity_type)
        .execute();
    }
    await trx
      .insertInto("expansion_scan_narrations")
      .orIgnore()
      .values({
        run_id: runId,
        account_id: n.account_id,
        scan_at: scanAt,
        generated_by: n.generated_by,
        fallback_reason: n.fallback_reason,
        dropped: n.dropped.length,
        unsupported_dropped: n.unsupported.length,
        unsupported: n.unsupported.length > 0 ? JSON.stringify(n.unsupported) : null,
      })
      .execute();
  });
}

export async function rowsWithStatus(db: Db, runId: string, status: string): Promise<CandidateRow[]> {
  return db
    .selectFrom("expansion_scan_candidates")
    .selectAll()
    .where("run_id", "=", runId)
    .where("status", "=", status)
    .orderBy("rank_value", "desc")
    .orderBy("account_id")
    .orderBy("opportunity_type")
    .execute();
}

export async function markRecorded(
  db: Db,
  runId: string,
  row: CandidateRow,
  opportunityId: string,
): Promise<void> {
  await db
    .updateTable("expansion_scan_candidates")
    .set({ status: "recorded", opportunity_id: opportunityId })
    .where("run_id", "=", runId)
    .where("account_id", "=", row.account_id)
    .where("opportunity_type", "=", row.opportunity_type)
    .execute();
}

/** Hand-off decisions for every recorded row of the scan, in one transaction (a re-run keeps them). */
export async function decideHandoffs(db: Db, runId: string, max: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const undecided = await trx
      .selectFrom("expansion_scan_candidates")
      .select(["account_id", "opportunity_type"])
      .where("run_id", "=", runId)
      .where("status", "=", "recorded")
      .where("handoff", "is", null)
      .orderBy("rank_value", "desc")
      .orderBy("account_id")
      .orderBy("opportunity_type")
      .execute();
    if (undecided.length === 0) return;
    const already = await trx
      .selectFrom("expansion_scan_candidates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("run_id", "=", runId)
      .where("handoff", "=", "handed_off")
      .executeTakeFirst();
    let rank = Number(already?.n ?? 0);
    for (const r of undecided) {
      rank++;
      await trx
        .updateTable("expansion_scan_candidates")
        .set({ handoff: rank <= max ? "handed_off" : "deferred", handoff_rank: rank })
        .where("run_id", "=", runId)
        .where("account_id", "=", r.account_id)
        .where("opportunity_type", "=", r.opportunity_type)
        .execute();
    }
  });
}

export async function pendingHandoffs(db: Db, runId: string): Promise<CandidateRow[]> {
  return db
    .selectFrom("expansion_scan_candidates")
    .selectAll()
    .where("run_id", "=", runId)
    .where("handoff", "=", "handed_off")
    .where("handoff_event_id", "is", null)
    .orderBy("handoff_rank")
    .execute();
}

export async function markHandedOff(
  db: Db,
  runId: string,
  row: CandidateRow,
  receipt: { event_id: string; run_id: string },
): Promise<void> {
  await db
    .updateTable("expansion_scan_candidates")
    .set({ handoff_event_id: receipt.event_id, handoff_run_id: receipt.run_id })
    .where("run_id", "=", runId)
    .where("account_id", "=", row.account_id)
    .where("opportunity_type", "=", row.opportunity_type)
    .execute();
}

export async function allRows(db: Db, runId: string): Promise<CandidateRow[]> {
  return db
    .selectFrom("expansion_scan_candidates")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("rank_value", "desc")
    .orderBy("account_id")
    .execute();
}

export async function narrations(db: Db, runId: string) {
  return db.selectFrom("expansion_scan_narrations").selectAll().where("run_id", "=", runId).execute();
}
