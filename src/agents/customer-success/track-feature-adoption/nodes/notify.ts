/** The notify node: `adoption.tracked`, and a draft to the CSM owner with the top underused features. */
import { localDate } from "../../../../domain/qbr.js";
import type { AgentDeps } from "../../../deps.js";
import { csmOwnerRecipient } from "../../../shared/recipients.js";
import { AGENT_ID } from "../../agent-id.js";
import type { AdoptionAdvice, AdoptionFacts } from "../advice.js";
import { ADOPTION_STEPS, type TrackFeatureAdoptionNode, type TrackFeatureAdoptionResult } from "../task.js";

const pct = (share: number | null): string => (share === null ? "n/a" : `${Math.round(share * 100)}%`);

export function adoptionDraftBody(f: AdoptionFacts, advice: AdoptionAdvice): string {
  const lines = [
    advice.summary,
    "",
    `Adoption: ${pct(f.adoption)} (benchmark ${pct(f.benchmark)}, ${f.benchmark_source.replaceAll("_", " ")})`,
    `Features used: ${f.features_used} of ${f.features_total}`,
    "",
    "Top underused features, most likely impact first:",
  ];
  f.top_underused.forEach((u, i) => {
    const rec = advice.recommendations.find((r) => r.feature === u.feature)?.recommendation ?? "";
    lines.push(`${i + 1}. ${u.feature.replaceAll("_", " ")}: used by ${pct(u.peer_share)} of peers`);
    if (rec) lines.push(`   ${rec}`);
  });
  lines.push("", "This is a draft for your review; nothing has been sent.");
  return lines.join("\n");
}

export function notify(deps: AgentDeps): TrackFeatureAdoptionNode {
  return async (ctx) => {
    const { facts, advice, csm_owner } = ctx.scratch;
    if (!facts || !advice) throw new Error("no recommendations to send");
    const common = { source: AGENT_ID, account_id: facts.account.id, run_id: ctx.run_id };
    await deps.effects.once(`adoption-event:${ctx.run_id}`, "adoption.event", async () => {
      await deps.bus.publish("adoption.tracked", {
        ...common,
        payload: { adoption: facts.adoption, underused: facts.top_underused.map((u) => u.feature) },
      });
      return true;
    });

    let draft: Pick<TrackFeatureAdoptionResult, "draft_id" | "draft_to" | "draft_skipped">;
    const recipient = csmOwnerRecipient({ csm_owner: csm_owner ?? null });
    if (facts.top_underused.length === 0) {
      draft = { draft_id: null, draft_skipped: "no underused features to recommend" };
    } else if (recipient.to === null) {
      draft = { draft_id: null, draft_skipped: recipient.reason ?? "no CSM owner" };
    } else {
      const to = recipient.to;
      const subject = `Feature adoption: ${facts.account.name} — top ${facts.top_underused.length} underused features`;
      const day = localDate(deps.clock.now(), deps.config.SCHEDULER_TIMEZONE);
      const created = await deps.mail.createDraft({
        to,
        subject,
        text: adoptionDraftBody(facts, advice),
        // One adoption draft per account and day: a re-run (or a second request that day) reuses it.
        idempotencyKey: `adoption-draft:${facts.account.id}:${day}`,
        account_id: facts.account.id,
        run_id: ctx.run_id,
        kind: "adoption",
      });
      await deps.effects.once(
        `adoption-event:draft.created:${created.draft_id}`,
        "adoption.event",
        async () => {
          await deps.bus.publish("draft.created", {
            ...common,
            payload: { draft_id: created.draft_id, to, subject, kind: "adoption" },
          });
          return true;
        },
      );
      draft = { draft_id: created.draft_id, draft_to: to };
    }
    ctx.progress({ phase: "notify", done: 3, total: ADOPTION_STEPS });
    return { result: { ...draft } };
  };
}
