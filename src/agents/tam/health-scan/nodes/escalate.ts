/**
 * The escalate node: the scan's escalation decisions (domain/tam-escalation.ts), stored in one
 * transaction so a re-run never selects a second set, then each selected escalation over its four
 * channels. Selected under the key of the account's last escalation, it finishes that one: only its
 * failed channels run.
 */
import type { TamHealthResult } from "../../../../domain/health/tam-score.js";
import { decideEscalations } from "../../../../domain/tam-escalation.js";
import type { TamStatus } from "../../../../domain/types.js";
import { errorMessage } from "../../../../errors.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { failedChannels } from "../../../shared/alert-channels.js";
import { raiseEscalation } from "../escalation.js";
import * as store from "../store.js";
import type { HealthScanNode } from "../task.js";

async function decide(deps: AgentDeps, runId: string, scanAt: string): Promise<void> {
  const undecided = await store.undecidedEscalations(deps.store.db, runId);
  if (undecided.length === 0) return;
  const ids = undecided.map((r) => r.account_id);
  const states = await store.escalationStates(deps.store.db, ids);
  const today = await store.deferredSince(deps.store.db, runId, ids, `${scanAt.slice(0, 10)}T00:00:00.000Z`);
  const decisions = decideEscalations(
    undecided.map((r) => ({
      account_id: r.account_id,
      status: r.health_status as TamStatus,
      arr: r.arr,
      score: r.score ?? 0,
    })),
    states,
    today,
    {
      scanAt,
      max: deps.config.TAM_ESCALATIONS_MAX_PER_SCAN,
      repeatDays: deps.config.ALERT_REPEAT_DAYS,
    },
  );
  await store.decideEscalations(deps.store.db, runId, decisions);
}

export function escalate(deps: AgentDeps): HealthScanNode {
  return async (ctx) => {
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    await decide(deps, ctx.run_id, scanAt);
    const selected = await store.rowsWithEscalation(deps.store.db, ctx.run_id, "selected");
    // Selected under the key of the account's last escalation: finishing that one (its failed channels).
    const states = await store.escalationStates(
      deps.store.db,
      selected.map((r) => r.account_id),
    );
    let done = 0;
    for (const row of selected) {
      const retry = states.get(row.account_id)?.last_key === row.escalation_key;
      const detail = store.rowDetail(row);
      try {
        const account = await deps.records.getAccount(row.account_id);
        if (!account) throw new Error(`account ${row.account_id} not found in the records`);
        const tickets = await deps.records.listTickets(row.account_id);
        const health: TamHealthResult = {
          score: row.score ?? 0,
          status: row.health_status as TamStatus,
          penalties: detail.penalties,
          open_tickets: row.open_tickets,
          aged_p1_p2: row.aged_p1_p2,
        };
        const outcome = await raiseEscalation(deps, {
          account,
          health,
          previous_status: row.previous_status as TamStatus | null,
          reasons: detail.escalation_reasons,
          tickets,
          key: row.escalation_key!,
          run_id: ctx.run_id,
          scan_at: scanAt,
        });
        const failed = failedChannels(outcome.channels);
        if (failed.length < 4 || retry) {
          await store.recordEscalation(deps.store.db, {
            account_id: row.account_id,
            status: health.status,
            score: health.score,
            at: scanAt,
            key: row.escalation_key!,
            run_id: ctx.run_id,
            failed,
            ...(retry ? { retry } : {}),
          });
        }
        await store.markRaised(deps.store.db, ctx.run_id, row.account_id, {
          channels: outcome.channels,
          failed_channels: failed,
          generated_by: outcome.generated_by,
          subject: outcome.subject,
          ...(retry ? { retry } : {}),
        });
      } catch (err) {
        deps.log.warn({ err, account_id: row.account_id, run_id: ctx.run_id }, "TAM escalation failed");
        await store.markRaised(deps.store.db, ctx.run_id, row.account_id, { error: errorMessage(err) });
      }
      done++;
      ctx.progress({ phase: "escalate", done, total: selected.length });
    }
    return {};
  };
}
