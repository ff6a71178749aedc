/**
 * The outreach: technical health scored now, the outreach written (model or template) and drafted to
 * the account's owner, keyed by account, day and health. Tasks can arrive as hand-offs, which the API
 * did not validate, so the node checks its input first.
 */
import { scoreTamHealth } from "../../../../domain/health/tam-score.js";
import { TaskRejected } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { csmOwnerRecipient } from "../../../shared/recipients.js";
import { parseTaskOrReject } from "../../../shared/task-input.js";
import { AGENT_ID } from "../../agent-id.js";
import { outreachDraftText, writeOutreach } from "../../outreach.js";
import { outreachFacts } from "../../prompts.js";
import {
  type EscalationOutreachNode,
  type EscalationOutreachResult,
  EscalationOutreachTaskSchema,
} from "../task.js";

export function draftOutreach(deps: AgentDeps): EscalationOutreachNode {
  return async (ctx) => {
    const task = parseTaskOrReject(EscalationOutreachTaskSchema, ctx.task, "escalation_outreach task");
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);
    const now = deps.clock.now();
    const tickets = await deps.records.listTickets(account.id);
    const health = scoreTamHealth({ tickets, last_heartbeat: account.last_heartbeat, now });
    const reasons = health.penalties.map((p) => p.reason);
    const facts = outreachFacts(account, health, account.health_status, reasons, tickets, now);
    const outreach = await writeOutreach(deps, facts);

    const recipient = csmOwnerRecipient(account);
    let draft: { draft_id: string; to: string; created: boolean } | { skipped: string };
    if (recipient.to === null) {
      draft = { skipped: recipient.reason ?? "no recipient" };
    } else {
      const to = recipient.to;
      const key = `tam-outreach:${account.id}:${now.toISOString().slice(0, 10)}:${health.status}:${health.score}`;
      const res = await deps.mail.createDraft({
        to,
        subject: outreach.output.subject,
        text: outreachDraftText(facts, outreach.output),
        idempotencyKey: key,
        account_id: account.id,
        run_id: ctx.run_id,
        kind: "tam_outreach",
      });
      draft = { draft_id: res.draft_id, to, created: res.created };
      await deps.effects.once(`${key}:event`, "event", async () => {
        await deps.bus.publish("draft.created", {
          source: AGENT_ID,
          account_id: account.id,
          run_id: ctx.run_id,
          payload: { draft_id: res.draft_id, to, subject: outreach.output.subject, kind: "tam_outreach" },
        });
        return { published: true };
      });
    }
    return {
      result: {
        account_id: account.id,
        score: health.score,
        status: health.status,
        subject: outreach.output.subject,
        body: outreach.output.body,
        key_issues: outreach.output.key_issues,
        generated_by: outreach.generated_by,
        draft,
        confidence: "high",
      } satisfies EscalationOutreachResult,
    };
  };
}
