/** The scan's instant and its inputs (csm_scan_inputs): what loadAccounts read, stored once. */
import type { Account } from "../../../../domain/types.js";
import type { ScanAccount } from "../../scoring.js";
import { type Db, insertRows, type Row } from "./rows.js";
import { decodeScanAccount, encodeScanAccount } from "./stored-forms.js";

/**
 * Start (or resume) the scan of a run: its instant is fixed by the first call, so a re-run node judges
 * by the same "now" and computes the same scores.
 */
export async function scanInstant(db: Db, runId: string, now: Date): Promise<string> {
  await db.insertInto("csm_scans").orIgnore().values({ run_id: runId, scan_at: now.toISOString() }).execute();
  const row = await db
    .selectFrom("csm_scans")
    .select("scan_at")
    .where("run_id", "=", runId)
    .executeTakeFirstOrThrow();
  return row.scan_at;
}

export interface InputRow {
  account_id: string;
  /** Null when the records could not hand the account over (`unreadable` says why). */
  account: ScanAccount | null;
  open_tickets: number;
  unreadable: string | null;
}

/** The csm_scan_inputs rows of a page of loaded accounts (see insertInputRows). */
export function inputRows(
  runId: string,
  items: Array<{ account: Account; openTickets: number }>,
  unreadable: Array<{ account_id: string; reason: string }> = [],
): Row[] {
  return [
    ...items.map(({ account, openTickets }) => [
      runId,
      account.id,
      encodeScanAccount(account),
      openTickets,
      null,
    ]),
    ...unreadable.map((s) => [runId, s.account_id, null, 0, s.reason]),
  ];
}

/** Store input rows in one transaction. A re-run of the load keeps the first snapshot. */
export async function insertInputRows(db: Db, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .transaction()
    .execute((trx) =>
      insertRows(
        trx,
        "csm_scan_inputs",
        ["run_id", "account_id", "account", "open_tickets", "unreadable"],
        rows,
      ),
    );
}

export async function inputsPage(db: Db, runId: string, afterId: string, limit: number): Promise<InputRow[]> {
  const rows = await db
    .selectFrom("csm_scan_inputs")
    .select(["account_id", "account", "open_tickets", "unreadable"])
    .where("run_id", "=", runId)
    .where("account_id", ">", afterId)
    .orderBy("account_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    account_id: r.account_id,
    account: r.account === null ? null : decodeScanAccount(r.account),
    open_tickets: r.open_tickets,
    unreadable: r.unreadable,
  }));
}
