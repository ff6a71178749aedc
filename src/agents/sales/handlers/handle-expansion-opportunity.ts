/**
 * Sales `handle_expansion_opportunity` (issue 6, item 4): validate -> draft -> dispatch. Validates the
 * opportunity (a hand-off over the bus was not validated by the API: a bad one fails the run before
 * anything is written), drafts it to the account executive (or SALES_FALLBACK_EMAIL, saying so), marks
 * the Expansion Opportunities record Dispatched and publishes `expansion.received`. Every effect is keyed
 * by the opportunity, so a second hand-off of the same opportunity makes no second draft.
 */
import type { ExpansionRecord } from "../../../adapters/records/port.js";
import { type NodeFn, TaskRejected } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { accountExecutiveRecipient, isEmail } from "../../shared/recipients.js";
import { parseTaskOrReject } from "../../shared/task-input.js";
import { expansionBody, expansionSubject } from "../prompts.js";
import { AGENT_ID, type HandleExpansionOpportunityTask, handleExpansionOpportunityTask } from "../tasks.js";

const parse = (task: unknown): HandleExpansionOpportunityTask =>
  parseTaskOrReject(handleExpansionOpportunityTask, task, "expansion hand-off");

interface Scratch {
  to: string;
  fallback_note: string | null;
  opportunity_id: string | null;
}

const scratchOf = (s: Record<string, unknown>): Scratch => s as unknown as Scratch;

function validate(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = parse(ctx.task);
    const account = await deps.records.getAccount(task.account_id);
    if (!account)
      throw new TaskRejected(`invalid expansion hand-off: account_id: account ${task.account_id} not found`);
    const recipient = accountExecutiveRecipient(account, deps.config);
    if (recipient.to === null) throw new TaskRejected(`no one to draft to: ${recipient.reason}`);
    let opportunityId: string | null = null;
    if (task.opportunity_id) {
      const record = (await deps.records.listExpansionOpportunities(account.id)).find(
        (o) => o.id === task.opportunity_id,
      );
      if (!record) {
        throw new TaskRejected(
          `invalid expansion hand-off: opportunity_id: ${task.opportunity_id} is not an opportunity of account ${account.id}`,
        );
      }
      if (record.type !== task.opportunity_type) {
        throw new TaskRejected(
          `invalid expansion hand-off: opportunity_type: ${task.opportunity_type} disagrees with the record's ${record.type}`,
        );
      }
      opportunityId = record.id;
    }
    const fallbackNote = recipient.fallback
      ? `${account.name} has no Account Executive on record${
          account.account_executive && !isEmail(account.account_executive)
            ? ` (the field says "${account.account_executive}")`
            : ""
        }, so this went to the sales fallback address ${recipient.to}. Please assign an account executive.`
      : null;
    const scratch: Scratch = { to: recipient.to, fallback_note: fallbackNote, opportunity_id: opportunityId };
    return { scratch: { ...scratch } };
  };
}

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

function draft(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = parse(ctx.task);
    const s = scratchOf(ctx.scratch);
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new Error(`account ${task.account_id} disappeared from the records`);
    const record = await ensureRecord(deps, task, account.name, ctx.run_id);
    const subject = expansionSubject(account.name, task.opportunity_type, task.estimated_arr_impact);
    const cc = isEmail(account.csm_owner) && account.csm_owner !== s.to ? [account.csm_owner] : [];
    const res = await deps.mail.createDraft({
      to: s.to,
      ...(cc.length > 0 ? { cc } : {}),
      subject,
      text: expansionBody({
        task,
        account_name: account.name,
        arr: account.arr,
        renewal_date: account.renewal_date,
        csm_owner: account.csm_owner,
        opportunity_id: record.id,
        fallback_note: s.fallback_note,
      }),
      idempotencyKey: `expansion-draft:${record.id}`,
      account_id: account.id,
      run_id: ctx.run_id,
      kind: "expansion",
    });
    return {
      scratch: { opportunity_id: record.id, draft_id: res.draft_id, subject },
      result: { draft_created: res.created },
    };
  };
}

function dispatch(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = parse(ctx.task);
    const s = scratchOf(ctx.scratch);
    const opportunityId = String(ctx.scratch.opportunity_id);
    const draftId = String(ctx.scratch.draft_id);
    const subject = String(ctx.scratch.subject);
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
        payload: { draft_id: draftId, to: s.to, subject, kind: "expansion" },
      });
      const e = await deps.bus.publish("expansion.received", {
        ...common,
        payload: { opportunity_id: opportunityId, draft_id: draftId, to: s.to },
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
        to: s.to,
        recipient: s.fallback_note ? "sales_fallback" : "account_executive",
        ...(s.fallback_note ? { recipient_note: s.fallback_note } : {}),
        record_status: status ?? null,
        confidence: "high",
      },
    };
  };
}

export function handleExpansionOpportunityHandler(deps: AgentDeps): Array<readonly [string, NodeFn]> {
  return [
    ["validate", validate(deps)],
    ["draft", draft(deps)],
    ["dispatch", dispatch(deps)],
  ];
}
