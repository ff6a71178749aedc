/**
 * The health scan's first node: read the accounts (all, one, or those renewing soon) and their open-ticket
 * counts from the records port, page by page, into the scan's inputs. All remote reads happen here, so
 * the later nodes work from the store and a re-run never reads the system of record twice. Accounts the
 * records hold but cannot hand over (unreadable properties) are kept with the reason; scoring skips them.
 */
import { iterateAccountPages } from "../../../../adapters/records/account-pages.js";
import { type AccountPage, UnusableAccountError } from "../../../../adapters/records/port.js";
import { openTicketCounts } from "../../../../adapters/records/ticket-counts.js";
import { renewsWithin } from "../../../../domain/eligibility.js";
import type { AgentDeps } from "../../../deps.js";
import { SCAN_PAGE_SIZE, SCAN_WRITE_GROUP } from "../settings.js";
import { inputRows, insertInputRows, scanInstant } from "../store/inputs.js";
import { betweenPages, type Row } from "../store/rows.js";
import type { HealthScanNode, HealthScanTask } from "../task.js";

async function* accountsToScan(deps: AgentDeps, task: HealthScanTask): AsyncIterable<AccountPage> {
  if (task.account_id) {
    try {
      const account = await deps.records.getAccount(task.account_id);
      if (!account) throw new Error(`account ${task.account_id} not found`);
      yield { accounts: [account], skipped: [] };
    } catch (err) {
      if (!(err instanceof UnusableAccountError)) throw err;
      yield { accounts: [], skipped: [{ account_id: err.accountId, reason: err.reason }] };
    }
    return;
  }
  yield* iterateAccountPages(deps.records, { pageSize: SCAN_PAGE_SIZE });
}

export const loadAccounts =
  (deps: AgentDeps): HealthScanNode =>
  async (ctx) => {
    // The instant the scan judges "now" by: fixed on first entry, so a re-run judges by the same one.
    const scanAt = await scanInstant(deps.store.db, ctx.run_id, deps.clock.now());
    const now = new Date(scanAt);
    const within = ctx.task.renewal_within_days;
    let loaded = 0;
    // Rows of several pages stored in one transaction (SCAN_WRITE_GROUP); none is held across the end.
    let group: Row[] = [];
    for await (const page of accountsToScan(deps, ctx.task)) {
      const accounts =
        within === undefined ? page.accounts : page.accounts.filter((a) => renewsWithin(a, within, now));
      // With a renewal filter an unreadable account's renewal is unknown: it is not part of that scan.
      const unreadable = within === undefined ? page.skipped : [];
      const open = await openTicketCounts(
        deps.records,
        accounts.map((a) => a.id),
      );
      for (const row of inputRows(
        ctx.run_id,
        accounts.map((account) => ({ account, openTickets: open.get(account.id) ?? 0 })),
        unreadable,
      )) {
        group.push(row);
      }
      if (group.length >= SCAN_WRITE_GROUP) {
        await insertInputRows(deps.store.db, group);
        group = [];
      }
      loaded += accounts.length + unreadable.length;
      // The book's size is unknown until the last page: report what is loaded so far.
      if (accounts.length + unreadable.length > 0) {
        ctx.progress({ phase: "load_accounts", done: loaded, total: loaded });
      }
      await betweenPages();
    }
    await insertInputRows(deps.store.db, group);
    return { scratch: { scan_at: scanAt } };
  };
