/**
 * The validate node: the task, the account, someone to draft to, and the named record (of the account
 * and of the same type). Any problem rejects the run before anything is written.
 */
import { TaskRejected } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { accountExecutiveRecipient, isEmail } from "../../../shared/recipients.js";
import { type HandleExpansionOpportunityNode, parseOpportunity } from "../task.js";

export function validate(deps: AgentDeps): HandleExpansionOpportunityNode {
  return async (ctx) => {
    const task = parseOpportunity(ctx.task);
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
    return { scratch: { to: recipient.to, fallback_note: fallbackNote, opportunity_id: opportunityId } };
  };
}
