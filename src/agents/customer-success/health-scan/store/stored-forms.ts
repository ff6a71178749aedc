/**
 * How a health scan stores the account snapshot of each scan input row: its SCAN_ACCOUNT_FIELDS values
 * as a JSON array, in that order, instead of a keyed object (about 40% smaller; every scan writes one
 * per account). Readers decode to the same ScanAccount; keyed rows decode as they are. The scoring
 * detail of health-history rows has its stored form in src/store/health-detail.ts.
 */

import { SCAN_ACCOUNT_FIELDS, type ScanAccount } from "../../scoring.js";

/** The account snapshot of a scan input row: its SCAN_ACCOUNT_FIELDS values, in that order. */
export function encodeScanAccount(account: ScanAccount): string {
  return JSON.stringify(SCAN_ACCOUNT_FIELDS.map((field) => account[field] ?? null));
}

export function decodeScanAccount(text: string): ScanAccount {
  const parsed = JSON.parse(text) as unknown[] | ScanAccount;
  if (!Array.isArray(parsed)) return parsed;
  const out: Record<string, unknown> = {};
  SCAN_ACCOUNT_FIELDS.forEach((field, i) => {
    out[field] = parsed[i] ?? null;
  });
  return out as ScanAccount;
}
