/** The record node: an Expansion Opportunities record and `expansion.identified` per kept candidate. */
import type { ExpansionCandidate } from "../../../../domain/expansion.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { AGENT_ID } from "../../agent-id.js";
import * as store from "../store.js";
import type { CheckExpansionNode } from "../task.js";

/** The record's Evidence text: the figures in words, then each figure by name. */
export function evidenceText(c: ExpansionCandidate): string {
  const figures = Object.entries(c.evidence)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`);
  return `${c.evidence_summary}. Figures: ${figures.join(", ")}`;
}

export const record =
  (deps: AgentDeps): CheckExpansionNode =>
  async (ctx) => {
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    const kept = await store.rowsWithStatus(deps.store.db, ctx.run_id, "kept");
    let done = 0;
    for (const row of kept) {
      const c = store.candidateOf(row);
      // One record per account, type and scan day: a re-run of this node finds the record it made.
      const key = `expansion:${row.account_id}:${row.opportunity_type}:${scanAt.slice(0, 10)}`;
      const opp = await deps.records.createExpansionOpportunity(
        {
          account_id: row.account_id,
          name: `${row.account_name}: ${c.title}`,
          type: c.opportunity_type,
          estimated_arr_impact: c.estimated_arr_impact,
          confidence: c.confidence,
          evidence: evidenceText(c),
          talk_track: row.talk_track ?? "",
        },
        { idempotencyKey: key },
      );
      await deps.effects.once(`expansion-identified:${opp.id}`, "event", async () => {
        const e = await deps.bus.publish("expansion.identified", {
          source: AGENT_ID,
          account_id: row.account_id,
          run_id: ctx.run_id,
          payload: {
            opportunity_id: opp.id,
            opportunity_type: c.opportunity_type,
            estimated_arr_impact: c.estimated_arr_impact,
            confidence: c.confidence,
          },
        });
        return { event_id: e.id };
      });
      await store.markRecorded(deps.store.db, ctx.run_id, row, opp.id);
      done++;
      ctx.progress({ phase: "record", done, total: kept.length });
    }
    return {};
  };
