/** The draft node: the opportunity's record (found or made) and the draft to the account executive. */
import type { ExpansionRecord } from "../../../../adapters/records/port.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { isEmail } from "../../../shared/recipients.js";
import { expansionBody, expansionSubject } from "../prompts.js";
import {
  type HandleExpansionOpportunityNode,
  type HandleExpansionOpportunityResult,
  type HandleExpansionOpportunityTask,
  parseOpportunity,
} from "../task.js";

/** The record the draft is about: the one named, else the account's open one of the type, else a new one. */
async function ensureRecord(
  deps: AgentDeps,
  task: HandleExpansionOpportunityTask,
  accountName: string,
  runId: string,
): Promise<ExpansionRecord> {
  const existing = await deps.records.listExpansionOpportunities(task.account_id);
  if (task.opportunity_id) {
    const named = existing.find((o) => o.id === task.opportunity_id);
    if (named) return named;
  }
  const open = existing.find((o) => o.type === task.opportunity_type && o.status === "New");
  if (open) return open;
  return deps.records.createExpansionOpportunity(
    {
      account_id: task.account_id,
      name: `${accountName}: ${task.opportunity_type} expansion`,
      type: task.opportunity_type,
      estimated_arr_impact: task.estimated_arr_impact,
      confidence: task.confidence,
      evidence: Object.entries(task.evidence)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`)
        .join(", "),
      talk_track: task.recommended_talk_track,
    },
    { idempotencyKey: `expansion:${task.account_id}:${task.opportunity_type}:sales:${runId}` },
  );
}

export function draft(deps: AgentDeps): HandleExpansionOpportunityNode {
  return async (ctx) => {
    const task = parseOpportunity(ctx.task);
    const to = fromScratch(ctx.scratch, "to");
    const fallbackNote = ctx.scratch.fallback_note ?? null;
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new Error(`account ${task.account_id} disappeared from the records`);
    const record = await ensureRecord(deps, task, account.name, ctx.run_id);
    const subject = expansionSubject(account.name, task.opportunity_type, task.estimated_arr_impact);
    const cc = isEmail(account.csm_owner) && account.csm_owner !== to ? [account.csm_owner] : [];
    const res = await deps.mail.createDraft({
      to,
      ...(cc.length > 0 ? { cc } : {}),
      subject,
      text: expansionBody({
        task,
        account_name: account.name,
        arr: account.arr,
        renewal_date: account.renewal_date,
        csm_owner: account.csm_owner,
        opportunity_id: record.id,
        fallback_note: fallbackNote,
      }),
      idempotencyKey: `expansion-draft:${record.id}`,
      account_id: account.id,
      run_id: ctx.run_id,
      kind: "expansion",
    });
    return {
      scratch: { opportunity_id: record.id, draft_id: res.draft_id, subject },
      result: { draft_created: res.created } satisfies Partial<HandleExpansionOpportunityResult>,
    };
  };
}
