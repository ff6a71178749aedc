/**
 * The health scan's second node: score every loaded account with the domain rules (health, trend, churn), page by page, and
 * store each outcome: a result row per account and, per scored account, its health-history row with the
 * breakdown (one per account per scan). An account with unusable signals, or whose record could not be
 * read, is skipped with its reason; one account's failure never stops the scan.
 */
import { errorMessage } from "../../../../errors.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { countEscalations, loadHistory } from "../../history.js";
import { type AccountOutcome, scoreAccount } from "../../scoring.js";
import { csmSettings } from "../../settings.js";
import { SCAN_PAGE_SIZE, SCAN_WRITE_GROUP } from "../settings.js";
import { inputsPage } from "../store/inputs.js";
import {
  type AccountLabel,
  countRows,
  insertOutcomeRows,
  lastOutcome,
  type OutcomeRows,
  outcomeRows,
} from "../store/outcomes.js";
import { betweenPages } from "../store/rows.js";
import type { HealthScanNode } from "../task.js";

export const scoreAccounts =
  (deps: AgentDeps): HealthScanNode =>
  async (ctx) => {
    const db = deps.store.db;
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    const now = new Date(scanAt);
    const settings = csmSettings(deps.config);
    const counts = await countRows(db, ctx.run_id);
    let done = counts.scored + counts.skipped;
    // Pages are stored whole and in account-id order: a re-run continues after the last stored outcome.
    let after = await lastOutcome(db, ctx.run_id);
    // Whole pages, in account-id order, stored SCAN_WRITE_GROUP accounts per transaction.
    let group: OutcomeRows = { results: [], history: [] };
    for (;;) {
      const rows = await inputsPage(db, ctx.run_id, after, SCAN_PAGE_SIZE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.account_id;
      const ids = rows.filter((r) => r.account !== null).map((r) => r.account_id);
      const [history, escalations] = await Promise.all([
        loadHistory(db, ids, ctx.run_id, now),
        countEscalations(db, ids, now),
      ]);
      const labels = new Map<string, AccountLabel>();
      const outcomes: AccountOutcome[] = rows.map((r) => {
        if (r.account === null) {
          return {
            kind: "skipped",
            account_id: r.account_id,
            reason: `unreadable record: ${r.unreadable ?? "unknown reason"}`,
          };
        }
        labels.set(r.account_id, { name: r.account.name, arr: r.account.arr });
        const h = history.get(r.account_id);
        try {
          return scoreAccount(
            {
              account: r.account,
              openTickets: r.open_tickets,
              extraEscalations: escalations.get(r.account_id) ?? 0,
              history: h?.history ?? [],
              previous: h?.previous ?? null,
            },
            now,
            settings,
          );
        } catch (err) {
          return {
            kind: "skipped",
            account_id: r.account_id,
            reason: `scoring failed: ${errorMessage(err)}`,
          };
        }
      });
      outcomeRows(ctx.run_id, scanAt, outcomes, labels, group);
      if (group.results.length >= SCAN_WRITE_GROUP) {
        await insertOutcomeRows(db, group);
        group = { results: [], history: [] };
      }
      done += rows.length;
      ctx.progress({ phase: "score_accounts", done, total: counts.total });
      await betweenPages();
    }
    await insertOutcomeRows(db, group);
    const final = await countRows(db, ctx.run_id);
    return { scratch: { scanned: final.total, scored: final.scored, skipped: final.skipped } };
  };
