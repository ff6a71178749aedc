/**
 * The dispatch node: the record moves to Dispatched (only from New: a rep's decision is never
 * overwritten), and `draft.created` with `expansion.received` go out once per opportunity.
 */
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { AGENT_ID } from "../../agent-id.js";
import {
  type HandleExpansionOpportunityNode,
  type HandleExpansionOpportunityResult,
  parseOpportunity,
} from "../task.js";

export function dispatch(deps: AgentDeps): HandleExpansionOpportunityNode {
  return async (ctx) => {
    const task = parseOpportunity(ctx.task);
    const to = fromScratch(ctx.scratch, "to");
    const fallbackNote = ctx.scratch.fallback_note ?? null;
    const opportunityId = fromScratch(ctx.scratch, "opportunity_id");
    if (opportunityId === null) throw new Error("no Expansion Opportunities record to dispatch");
    const draftId = fromScratch(ctx.scratch, "draft_id");
    const subject = fromScratch(ctx.scratch, "subject");
    const record = (await deps.records.listExpansionOpportunities(task.account_id)).find(
      (o) => o.id === opportunityId,
    );
    // Only an undecided record moves to Dispatched: a rep's Accepted or Declined is never overwritten.
    if (record?.status === "New") {
      await deps.records.setExpansionStatus(opportunityId, "Dispatched", {
        idempotencyKey: `expansion-status:${opportunityId}:Dispatched`,
      });
    }
    const common = { source: AGENT_ID, account_id: task.account_id, run_id: ctx.run_id };
    await deps.effects.once(`expansion-received:${opportunityId}`, "event", async () => {
      await deps.bus.publish("draft.created", {
        ...common,
        payload: { draft_id: draftId, to, subject, kind: "expansion" },
      });
      const e = await deps.bus.publish("expansion.received", {
        ...common,
        payload: { opportunity_id: opportunityId, draft_id: draftId, to },
      });
      return { event_id: e.id };
    });
    const status = (await deps.records.listExpansionOpportunities(task.account_id)).find(
      (o) => o.id === opportunityId,
    )?.status;
    return {
      result: {
        account_id: task.account_id,
        opportunity_id: opportunityId,
        opportunity_type: task.opportunity_type,
        estimated_arr_impact: task.estimated_arr_impact,
        draft_id: draftId,
        subject,
        to,
        recipient: fallbackNote ? "sales_fallback" : "account_executive",
        ...(fallbackNote ? { recipient_note: fallbackNote } : {}),
        record_status: status ?? null,
        confidence: "high",
      } satisfies Partial<HandleExpansionOpportunityResult>,
    };
  };
}
