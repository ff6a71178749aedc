/**
 * The detect node: every eligible account (or the one asked for) through the detectors, each candidate
 * stored with whether an open opportunity of its type blocks it or an earlier one carries over.
 */
import type { ExpansionRecord } from "../../../../adapters/records/port.js";
import { addDays } from "../../../../domain/calendar.js";
import {
  detectExpansion,
  expansionIneligibility,
  expansionRank,
  mayCarryOver,
  openOpportunityOf,
} from "../../../../domain/expansion.js";
import type { Account } from "../../../../domain/types.js";
import { TaskRejected } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { productCatalogue } from "../../../shared/catalogue.js";
import { handoffPublished } from "../../../shared/handoff.js";
import * as store from "../store.js";
import { type CheckExpansionNode, type CheckExpansionTask, handoffKey } from "../task.js";

const PAGE = 500;

/**
 * An open opportunity an earlier scan recorded but did not hand to Sales (over the per-scan limit): it
 * competes for this scan's hand-offs, with today's evidence, instead of blocking its type for good. A
 * same-day re-run carries nothing, so running a scan again creates nothing new.
 */
async function carriedOver(
  deps: AgentDeps,
  open: ExpansionRecord,
  scanAt: string,
): Promise<store.CarriedOpportunity | null> {
  if (!mayCarryOver(open, scanAt)) return null;
  if (await handoffPublished(deps, handoffKey(open.id))) return null;
  return {
    opportunity_id: open.id,
    talk_track: open.talk_track,
    reason: `${store.CARRIED_OVER} recorded on ${open.created_at.slice(0, 10)}, not yet handed to Sales`,
  };
}

async function* accountPages(deps: AgentDeps, task: CheckExpansionTask): AsyncIterable<Account[]> {
  if (task.account_id) {
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);
    yield [account];
    return;
  }
  yield* deps.records.iterateAccounts({ status: ["Active"], pageSize: PAGE });
}

export const detect =
  (deps: AgentDeps): CheckExpansionNode =>
  async (ctx) => {
    const now = deps.clock.now();
    // A re-run of this node (after a crash) keeps the instant its first run recorded.
    const scanAt = (await store.scanInstantOf(deps.store.db, ctx.run_id)) ?? now.toISOString();
    await store.deleteScansBefore(
      deps.store.db,
      addDays(now, -store.EXPANSION_SCAN_RETENTION_DAYS).toISOString(),
    );
    const catalogue = productCatalogue(deps.config);
    const at = new Date(scanAt);
    let scanned = 0;
    let skipped: string | null = null;
    for await (const page of accountPages(deps, ctx.task)) {
      if (ctx.task.account_id && page[0]) skipped = expansionIneligibility(page[0]);
      const done = await store.accountsWithRows(
        deps.store.db,
        ctx.run_id,
        page.map((a) => a.id),
      );
      const rows: store.NewCandidateRow[] = [];
      for (const account of page) {
        if (done.has(account.id)) continue;
        const candidates = detectExpansion(account, catalogue, at);
        if (candidates.length === 0) continue;
        const existing = await deps.records.listExpansionOpportunities(account.id);
        for (const candidate of candidates) {
          const blocking = openOpportunityOf(existing, candidate.opportunity_type);
          const carried = blocking ? await carriedOver(deps, blocking, scanAt) : null;
          rows.push({
            account_id: account.id,
            account_name: account.name,
            csm_owner: account.csm_owner,
            candidate,
            rank_value: expansionRank(candidate),
            suppressed:
              blocking && !carried
                ? `an open ${candidate.opportunity_type} opportunity exists (${blocking.id}, ${blocking.status})`
                : null,
            carried,
          });
        }
      }
      await store.insertCandidates(deps.store.db, ctx.run_id, scanAt, rows);
      scanned += page.length;
      ctx.progress({ phase: "detect", done: scanned, total: scanned });
    }
    return { scratch: { scan_at: scanAt, scanned, ...(skipped ? { skipped } : {}) } };
  };
