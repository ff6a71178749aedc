/**
 * The health scan's third node: CSM Health Score, CSM Health RAG, Churn Risk and CSM Last Scan written to the records port for
 * the accounts whose score, RAG or churn level changed, a page at a time (one transaction per page where
 * the store batches), each write followed by `account.health_scored`. (The health-history row of every
 * scored account was stored with its outcome by scoreAccounts.)
 *
 * Unchanged accounts are not written at all, CSM Last Scan included: on Notion every write costs a
 * rate-limited request (10,000 accounts at 3 requests/s is most of an hour), so CSM Last Scan reads as
 * "the last scan that changed this account's health". When each scan ran is in the health history,
 * which GET /v1/accounts/:id shows.
 */
import { updateAccounts } from "../../../../adapters/records/account-writes.js";
import type { AccountWriteResult } from "../../../../adapters/records/port.js";
import { errorMessage } from "../../../../errors.js";
import type { PublishItem } from "../../../../events/bus.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { AGENT_ID } from "../../agent-id.js";
import { BATCHED_WRITE_PAGE_SIZE, SCAN_PAGE_SIZE } from "../settings.js";
import {
  type ChangedRow,
  changedPage,
  countChangedAfter,
  recordsHandled,
  recordsThrough,
} from "../store/record-writes.js";
import { betweenPages } from "../store/rows.js";
import type { HealthScanNode } from "../task.js";

async function writePage(deps: AgentDeps, runId: string, scanAt: string, rows: ChangedRow[]) {
  try {
    return await updateAccounts(
      deps.records,
      rows.map((r) => ({
        id: r.account_id,
        patch: {
          csm_health_score: r.score,
          csm_health_rag: r.rag,
          churn_risk: r.churn_level,
          csm_last_scan: scanAt,
        },
        idempotencyKey: `csm-health:${r.account_id}:${runId}`,
      })),
    );
  } catch (err) {
    // The whole batch failed (store unreachable): every account of the page is reported, none stops the scan.
    return rows.map((r): AccountWriteResult => ({ id: r.account_id, ok: false, error: errorMessage(err) }));
  }
}

export const persistScores =
  (deps: AgentDeps): HealthScanNode =>
  async (ctx) => {
    const db = deps.store.db;
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    // Pages go in account-id order and each ends by moving the run's cursor: a re-run resumes after it.
    let after = await recordsThrough(db, ctx.run_id);
    const total = await countChangedAfter(db, ctx.run_id, after);
    const pageSize = deps.records.updateAccounts ? BATCHED_WRITE_PAGE_SIZE : SCAN_PAGE_SIZE;
    let done = 0;
    for (;;) {
      const rows = await changedPage(db, ctx.run_id, after, pageSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.account_id;
      const results = await writePage(deps, ctx.run_id, scanAt, rows);
      const ok = new Set(results.filter((r) => r.ok).map((r) => r.id));
      for (const r of results.filter((x) => !x.ok)) {
        // An alert for the account retries the write through its records channel.
        deps.log.warn({ account_id: r.id, run_id: ctx.run_id, error: r.error }, "records write failed");
      }
      // At least once, like every bus delivery: a crash inside this page re-publishes the page's events.
      const events: PublishItem[] = rows
        .filter((r) => ok.has(r.account_id))
        .map((r) => ({
          type: "account.health_scored",
          input: {
            source: AGENT_ID,
            account_id: r.account_id,
            run_id: ctx.run_id,
            payload: {
              score: r.score,
              rag: r.rag,
              previous_score: r.previous_score,
              previous_rag: r.previous_rag,
              trend: r.trend,
              churn_risk: r.churn_level,
            },
          },
        }));
      await deps.bus
        .publishMany(events)
        .catch((err: unknown) =>
          deps.log.warn({ err: errorMessage(err), run_id: ctx.run_id }, "health_scored events failed"),
        );
      await recordsHandled(
        db,
        ctx.run_id,
        after,
        rows.filter((r) => !ok.has(r.account_id)).map((r) => r.account_id),
      );
      done += rows.length;
      ctx.progress({ phase: "persist_scores", done, total });
      await betweenPages();
    }
    return { scratch: { persisted: true } };
  };
