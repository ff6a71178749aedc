/**
 * TAM `escalation_outreach` {account_id} (issue 6, item 2): the escalation's outreach on demand. Scores the
 * account's technical health now (nothing is written to the account), has the outreach written (model or
 * template) and drafts it to the account's owner. The same account, day and health give the same draft.
 */
import { scoreTamHealth } from "../../../domain/health/tam-score.js";
import { type NodeFn, TaskRejected } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { csmOwnerRecipient } from "../../shared/recipients.js";
import { parseTaskOrReject } from "../../shared/task-input.js";
import { outreachDraftText, writeOutreach } from "../outreach.js";
import { outreachFacts } from "../prompts.js";
import { AGENT_ID, escalationOutreachTask } from "../tasks.js";

export function escalationOutreachHandler(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = parseTaskOrReject(escalationOutreachTask, ctx.task, "escalation_outreach task");
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
      },
    };
  };
}
