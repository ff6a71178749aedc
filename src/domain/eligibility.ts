/**
 * Which accounts a scan covers. An account a scan does not cover is skipped with the reason, and a skip
 * for this reason is no gap in the scan (it does not lower the result's confidence).
 */
import { daysUntil } from "./calendar.js";
import type { Account, AccountStatus } from "./types.js";

/** Churned customers are gone: scoring them would only raise alerts nobody can act on. */
export const SKIP_CHURNED = "status is Churned: not scored";

/** Why the CSM health scan does not score the account, or null when it does. */
export const healthScanIneligibility = (account: Pick<Account, "status">): string | null =>
  account.status === "Churned" ? SKIP_CHURNED : null;

/** Technical health is watched while the product is live or being rolled out. */
export const TAM_SCANNED_STATUSES: readonly AccountStatus[] = Object.freeze(["Active", "Onboarding"]);

/** Why the TAM health scan does not score the account, or null when it does. */
export const tamScanIneligibility = (account: Pick<Account, "status">): string | null =>
  TAM_SCANNED_STATUSES.includes(account.status) ? null : `status is ${account.status}: not scanned`;

/** The contract check's filter: a renewal date known, not passed, and at most `days` away. */
export function renewsWithin(account: Pick<Account, "renewal_date">, days: number, now: Date): boolean {
  const left = daysUntil(account.renewal_date, now);
  return left !== null && left >= 0 && left <= days;
}
