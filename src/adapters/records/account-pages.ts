import type { AccountPage, AccountQuery, RecordsPort } from "./port.js";

/**
 * Pages of accounts with the unusable ones listed, from any records port: stores that can tell which
 * accounts they could not read implement iterateAccountPages; for the others every account is usable.
 * A scan reads accounts through this and reports `skipped` entries as skipped with their reason.
 */
export async function* iterateAccountPages(
  records: RecordsPort,
  query: AccountQuery = {},
): AsyncIterable<AccountPage> {
  if (records.iterateAccountPages) {
    yield* records.iterateAccountPages(query);
    return;
  }
  for await (const accounts of records.iterateAccounts(query)) yield { accounts, skipped: [] };
}
