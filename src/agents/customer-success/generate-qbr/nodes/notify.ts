/**
 * The notify node: `qbr.created` on the bus, and a Gmail draft (never a send) asking the CSM owner
 * to review the QBR, with the link. One review draft per QBR page: regenerating the page does not draft
 * again, and a re-run node never duplicates the draft or the events.
 */

import type { MailPort } from "../../../../adapters/mail/port.js";
import type { QbrRecord } from "../../../../adapters/records/port.js";
import type { EventBus } from "../../../../events/bus.js";
import type { SideEffects } from "../../../../store/side-effects.js";
import type { AgentDeps } from "../../../deps.js";
import { csmOwnerRecipient } from "../../../shared/recipients.js";
import { AGENT_ID } from "../../agent-id.js";
import type { QbrFacts } from "../facts.js";
import { type QbrDraftStore, requireDraft } from "../store.js";
import { type GenerateQbrNode, type GenerateQbrResult, QBR_STEPS } from "../task.js";

export const reviewSubject = (accountName: string, period: string): string =>
  `QBR ready for review: ${accountName} — ${period}`;

export function reviewBody(
  f: QbrFacts,
  qbr: Pick<QbrRecord, "id" | "url">,
  generatedBy: "llm" | "template",
): string {
  const h = f.health;
  return [
    `The ${f.period.label} QBR of ${f.account.name} is ready for your review.`,
    "",
    `Link: ${qbr.url ?? `(no link available; QBR id ${qbr.id})`}`,
    `Trigger: ${f.trigger.replaceAll("_", " ")}`,
    `Health: ${h.last_score === null ? "no score recorded in the period" : `${h.last_score} (${h.last_rag}), RAG trend ${h.rag_trend}`}`,
    `Written by: ${generatedBy === "llm" ? "the language model (every figure checked against the data)" : "the deterministic template"}`,
    "",
    "Edit the page as needed and set its status to Ready before sharing it with the customer.",
    "This is a draft for your review; nothing has been sent.",
  ].join("\n");
}

export interface NotifyOutcome {
  draft_id: string | null;
  draft_to: string | null;
  /** Why there is no draft (no CSM owner, or an owner that is not an email address). */
  draft_skipped: string | null;
}

export async function notifyQbr(
  deps: { mail: MailPort; bus: EventBus; effects: SideEffects },
  req: {
    run_id: string;
    facts: QbrFacts;
    qbr: Pick<QbrRecord, "id" | "url">;
    rewritten: boolean;
    generated_by: "llm" | "template";
  },
): Promise<NotifyOutcome> {
  const { facts, qbr, run_id } = req;
  const common = { source: AGENT_ID, account_id: facts.account.id, run_id };
  await deps.effects.once(`qbr-event:${run_id}:qbr.created`, "qbr.event", async () => {
    await deps.bus.publish("qbr.created", {
      ...common,
      payload: { qbr_id: qbr.id, period: facts.period.label, url: qbr.url, rewritten: req.rewritten },
    });
    return true;
  });

  const recipient = csmOwnerRecipient({ csm_owner: facts.account.csm_owner });
  if (recipient.to === null) {
    return { draft_id: null, draft_to: null, draft_skipped: recipient.reason ?? "no CSM owner" };
  }
  const to = recipient.to;
  const subject = reviewSubject(facts.account.name, facts.period.label);
  const draft = await deps.mail.createDraft({
    to,
    subject,
    text: reviewBody(facts, qbr, req.generated_by),
    idempotencyKey: `qbr-review:${facts.account.id}:${facts.period.label}:${qbr.id}`,
    account_id: facts.account.id,
    run_id,
    kind: "qbr_review",
  });
  // Keyed by the draft, not the run: a regenerated page reuses its draft and announces nothing new, and a
  // node that crashed between the draft and its event still announces it on the re-run.
  await deps.effects.once(`qbr-event:draft.created:${draft.draft_id}`, "qbr.event", async () => {
    await deps.bus.publish("draft.created", {
      ...common,
      payload: { draft_id: draft.draft_id, to, subject, kind: "qbr_review" },
    });
    return true;
  });
  return { draft_id: draft.draft_id, draft_to: to, draft_skipped: null };
}

export function notify(deps: AgentDeps, store: QbrDraftStore): GenerateQbrNode {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    if (row.qbr_id === null || row.generated_by === null) throw new Error("the QBR was not published");
    const outcome = await notifyQbr(deps, {
      run_id: ctx.run_id,
      facts: row.facts,
      qbr: { id: row.qbr_id, url: row.qbr_url },
      rewritten: ctx.scratch.rewritten === true,
      generated_by: row.generated_by,
    });
    ctx.progress({ phase: "notify", done: 5, total: QBR_STEPS });
    return { result: { ...outcome } satisfies Partial<GenerateQbrResult> };
  };
}
