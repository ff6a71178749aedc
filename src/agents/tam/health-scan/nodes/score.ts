/**
 * The score node: each page of accounts (the one asked for, or every account the scan covers) with its
 * open tickets through the TAM rules, stored as the scan's rows. A re-run keeps the rows already written.
 */
import { TAM_SCANNED_STATUSES } from "../../../../domain/eligibility.js";
import { type TamScanOutcome, tamScanOutcome } from "../../../../domain/health/tam-scan.js";
import type { DeferredEscalation } from "../../../../domain/tam-escalation.js";
import type { Account, Ticket } from "../../../../domain/types.js";
import { errorMessage } from "../../../../errors.js";
import { fromScratch, TaskRejected } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import * as store from "../store.js";
import { type HealthScanNode, type HealthScanTask, PAGE } from "../task.js";

/** One account's row; unusable technical data becomes a skip with its reason. */
export function scoreAccountRow(
  account: Account,
  tickets: readonly Ticket[],
  now: Date,
  deferred?: DeferredEscalation,
): store.NewTamRow {
  let outcome: TamScanOutcome;
  try {
    outcome = tamScanOutcome(account, tickets, now, deferred);
  } catch (err) {
    outcome = { kind: "skipped", reason: `unusable technical data: ${errorMessage(err)}` };
  }
  return { account_id: account.id, account_name: account.name, arr: account.arr, outcome };
}

async function* accountPages(deps: AgentDeps, task: HealthScanTask): AsyncIterable<Account[]> {
  if (task.account_id) {
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);
    yield [account];
    return;
  }
  yield* deps.records.iterateAccounts({ status: [...TAM_SCANNED_STATUSES], pageSize: PAGE });
}

export function score(deps: AgentDeps): HealthScanNode {
  return async (ctx) => {
    const task = ctx.task;
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    const now = new Date(scanAt);
    const db = deps.store.db;
    let done = 0;
    for await (const page of accountPages(deps, task)) {
      // A re-run of this node keeps the rows it already wrote (the first snapshot wins).
      const existing = await store.accountsWithRows(
        db,
        ctx.run_id,
        page.map((a) => a.id),
      );
      const unscanned = page.filter((a) => !existing.has(a.id));
      const ids = unscanned.map((a) => a.id);
      const tickets =
        unscanned.length > 0 ? await deps.records.listTicketsFor(ids, { open_only: true }) : new Map();
      const deferred = await store.pendingDeferrals(db, ctx.run_id, ids);
      const rows = unscanned.map((a) => scoreAccountRow(a, tickets.get(a.id) ?? [], now, deferred.get(a.id)));
      await store.insertRows(db, ctx.run_id, scanAt, rows);
      done += page.length;
      ctx.progress({ phase: "score", done, total: done });
    }
    const counts = await store.countRows(db, ctx.run_id);
    return { scratch: { scored: counts.scored, skipped: counts.skipped } };
  };
}
