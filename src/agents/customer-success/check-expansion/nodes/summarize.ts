/**
 * The summarize node: a summary draft per CSM owner of the opportunities recorded for their accounts,
 * and the scan's result read back from its rows.
 */
import { errorMessage } from "../../../../errors.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { csmOwnerRecipient } from "../../../shared/recipients.js";
import { AGENT_ID } from "../../agent-id.js";
import * as store from "../store.js";
import { type SummaryItem, summarySubject, summaryText } from "../summary.js";
import type { CheckExpansionNode, CheckExpansionResult, SummaryDraft } from "../task.js";

async function summaryDrafts(
  deps: AgentDeps,
  runId: string,
  scanAt: string,
  rows: store.CandidateRow[],
): Promise<SummaryDraft[]> {
  const byOwner = new Map<string, store.CandidateRow[]>();
  for (const r of rows) {
    const owner = r.csm_owner ?? "";
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), r]);
  }
  const out: SummaryDraft[] = [];
  for (const [owner, ownerRows] of [...byOwner.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const recipient = csmOwnerRecipient({ csm_owner: owner === "" ? null : owner });
    if (recipient.to === null) {
      out.push({ to: null, opportunities: ownerRows.length, skipped: recipient.reason ?? "no recipient" });
      continue;
    }
    const to = recipient.to;
    const items: SummaryItem[] = ownerRows.map((r) => ({
      account_name: r.account_name,
      opportunity_id: r.opportunity_id ?? "",
      candidate: store.candidateOf(r),
      talk_track: r.talk_track ?? "",
      handed_off: r.handoff === "handed_off",
    }));
    const subject = summarySubject(items, scanAt.slice(0, 10));
    const key = `expansion-summary:${to}:${runId}`;
    try {
      const draft = await deps.mail.createDraft({
        to,
        subject,
        text: summaryText(items, deps.config.EXPANSION_HANDOFFS_MAX_PER_SCAN),
        idempotencyKey: key,
        account_id: ownerRows.length === 1 ? ownerRows[0]!.account_id : null,
        run_id: runId,
        kind: "expansion_summary",
      });
      await deps.effects.once(`${key}:event`, "event", async () => {
        await deps.bus.publish("draft.created", {
          source: AGENT_ID,
          account_id: ownerRows.length === 1 ? ownerRows[0]!.account_id : null,
          run_id: runId,
          payload: { draft_id: draft.draft_id, to, subject, kind: "expansion_summary" },
        });
        return { published: true };
      });
      out.push({ to, opportunities: ownerRows.length, draft_id: draft.draft_id });
    } catch (err) {
      // A failed summary never undoes the records and hand-offs; the result names it.
      deps.log.warn({ err, to, run_id: runId }, "expansion summary draft failed");
      out.push({ to, opportunities: ownerRows.length, error: errorMessage(err) });
    }
  }
  return out;
}

export const summarize =
  (deps: AgentDeps): CheckExpansionNode =>
  async (ctx) => {
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    const rows = await store.allRows(deps.store.db, ctx.run_id);
    const narrations = await store.narrations(deps.store.db, ctx.run_id);
    const recorded = rows.filter((r) => r.status === "recorded");
    const drafts = await summaryDrafts(deps, ctx.run_id, scanAt, recorded);
    const by = new Set(narrations.map((n) => n.generated_by));
    const view = (r: store.CandidateRow) => {
      const c = store.candidateOf(r);
      return {
        opportunity_id: r.opportunity_id,
        account_id: r.account_id,
        account_name: r.account_name,
        opportunity_type: c.opportunity_type,
        product: c.product,
        title: c.title,
        evidence: c.evidence,
        estimated_arr_impact: c.estimated_arr_impact,
        confidence: c.confidence,
        talk_track: r.talk_track,
        handoff: r.handoff,
        ...(store.isCarriedOver(r) ? { carried_over: r.reason } : {}),
        ...(r.handoff_run_id ? { sales_run_id: r.handoff_run_id, handoff_event_id: r.handoff_event_id } : {}),
      };
    };
    const result: CheckExpansionResult = {
      scanned: ctx.scratch.scanned ?? 0,
      ...(ctx.scratch.skipped !== undefined ? { skipped: ctx.scratch.skipped } : {}),
      candidates: rows.length,
      suppressed_open: rows
        .filter((r) => r.status === "suppressed")
        .map((r) => ({ account_id: r.account_id, opportunity_type: r.opportunity_type, reason: r.reason })),
      llm_dropped: rows
        .filter((r) => r.status === "dropped")
        .map((r) => ({ account_id: r.account_id, opportunity_type: r.opportunity_type, reason: r.reason })),
      llm_unsupported_dropped: narrations.reduce((s, n) => s + n.unsupported_dropped, 0),
      opportunities_found: recorded.filter((r) => !store.isCarriedOver(r)).length,
      carried_over: recorded.filter(store.isCarriedOver).length,
      dispatched_to_sales: recorded.filter((r) => r.handoff === "handed_off").length,
      handoff_deferred: recorded
        .filter((r) => r.handoff === "deferred")
        .map((r) => ({
          opportunity_id: r.opportunity_id,
          account_id: r.account_id,
          opportunity_type: r.opportunity_type,
        })),
      opportunities: recorded.map(view),
      summary_drafts: drafts,
      generated_by: by.size === 0 ? null : by.size === 1 ? [...by][0]! : "mixed",
      confidence: "high",
    };
    return { result: { ...result } };
  };
