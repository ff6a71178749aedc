/**
 * The hand_off node: the scan's hand-off decisions (the most valuable recorded opportunities, at most
 * EXPANSION_HANDOFFS_MAX_PER_SCAN), then a durable `handoff.requested` to Sales for each selected one.
 */
import type { AgentDeps } from "../../../deps.js";
import { requestHandoff } from "../../../shared/handoff.js";
import { AGENT_ID } from "../../agent-id.js";
import * as store from "../store.js";
import { type CheckExpansionNode, handoffKey, SALES_AGENT, SALES_TASK } from "../task.js";

export const handOff =
  (deps: AgentDeps): CheckExpansionNode =>
  async (ctx) => {
    await store.decideHandoffs(deps.store.db, ctx.run_id, deps.config.EXPANSION_HANDOFFS_MAX_PER_SCAN);
    const pending = await store.pendingHandoffs(deps.store.db, ctx.run_id);
    let done = 0;
    for (const row of pending) {
      const c = store.candidateOf(row);
      const receipt = await requestHandoff(deps, {
        key: handoffKey(row.opportunity_id!),
        source: AGENT_ID,
        to_agent: SALES_AGENT,
        task: {
          type: SALES_TASK,
          account_id: row.account_id,
          opportunity_id: row.opportunity_id,
          opportunity_type: c.opportunity_type,
          ...(c.product ? { product: c.product } : {}),
          evidence: c.evidence,
          estimated_arr_impact: c.estimated_arr_impact,
          recommended_talk_track: row.talk_track ?? "",
          confidence: c.confidence,
        },
        reason: `expansion opportunity for ${row.account_name}: ${c.title}`,
        account_id: row.account_id,
        run_id: ctx.run_id,
      });
      await store.markHandedOff(deps.store.db, ctx.run_id, row, receipt);
      done++;
      ctx.progress({ phase: "hand_off", done, total: pending.length });
    }
    return {};
  };
