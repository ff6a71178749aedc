import { errorMessage } from "../../errors.js";
import type { AccountWrite, AccountWriteResult, RecordsPort } from "./port.js";

/**
 * Account writes as a batch on any records port: one call (one transaction) where the store batches,
 * otherwise updateAccount per write, each failure reported and never stopping the rest.
 */
export async function updateAccounts(
  records: RecordsPort,
  writes: AccountWrite[],
): Promise<AccountWriteResult[]> {
  if (records.updateAccounts) return records.updateAccounts(writes);
  const results: AccountWriteResult[] = [];
  for (const w of writes) {
    try {
      await records.updateAccount(w.id, w.patch, { idempotencyKey: w.idempotencyKey });
      results.push({ id: w.id, ok: true });
    } catch (err) {
      results.push({ id: w.id, ok: false, error: errorMessage(err) });
    }
  }
  return results;
}
