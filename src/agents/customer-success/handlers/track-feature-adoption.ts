/**
 * `track_feature_adoption` `{account_id}` (issue 5, item 2): the account's adoption per feature against
 * a benchmark (the median of same-tier accounts in the book unless ADOPTION_BENCHMARK is set), its
 * underused features ranked by likely impact, recommendations from the llm port (template otherwise), a
 * Gmail draft to the CSM owner with the top five, and an `adoption.tracked` event. The numbers are in the
 * result.
 *
 *   assess -> recommend -> notify
 */
import { z } from "zod";
import { localDate } from "../../../domain/qbr.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { csmOwnerRecipient } from "../../shared/recipients.js";
import { assessAccountAdoption } from "../adoption/assess.js";
import {
  type AdoptionAdvice,
  type AdoptionFacts,
  adoptionFacts,
  recommendAdoption,
} from "../adoption/recommend.js";
import { AGENT_ID } from "../agent-id.js";
import type { CsTaskHandler } from "./types.js";

export const TrackFeatureAdoptionTaskSchema = z.strictObject({
  type: z.literal("track_feature_adoption"),
  account_id: z.string().min(1),
});
export type TrackFeatureAdoptionTask = z.infer<typeof TrackFeatureAdoptionTaskSchema>;

interface Scratch {
  facts?: AdoptionFacts;
  csm_owner?: string | null;
  advice?: AdoptionAdvice;
  generated_by?: "llm" | "template";
}

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

function assess(deps: AgentDeps): NodeFn<TrackFeatureAdoptionTask> {
  return async (ctx) => {
    const account = await deps.records.getAccount(ctx.task.account_id);
    if (!account) throw new Error(`account ${ctx.task.account_id} not found`);
    const a = await assessAccountAdoption(deps, account);
    const facts = adoptionFacts({ id: account.id, name: account.name, tier: account.tier }, a);
    ctx.progress({ phase: "assess", done: 1, total: 3 });
    return {
      result: {
        account_id: account.id,
        account_name: account.name,
        tier: account.tier,
        adoption: a.adoption,
        benchmark: a.benchmark,
        benchmark_source: a.benchmark_source,
        cohort: a.cohort,
        gap: a.gap,
        standing: a.standing,
        features_used: a.features_used,
        features_total: a.features_total,
        features: a.features,
        underused: a.underused,
      },
      scratch: { facts, csm_owner: account.csm_owner } satisfies Scratch,
    };
  };
}

function recommend(deps: AgentDeps): NodeFn<TrackFeatureAdoptionTask> {
  return async (ctx) => {
    const { facts } = ctx.scratch as Scratch;
    if (!facts) throw new Error("no adoption assessment to recommend on");
    const advice = await recommendAdoption(deps, facts);
    ctx.progress({ phase: "recommend", done: 2, total: 3 });
    return {
      result: {
        summary: advice.output.summary,
        recommendations: advice.output.recommendations,
        generated_by: advice.generated_by,
        ...(advice.fallback_reason ? { fallback_reason: advice.fallback_reason } : {}),
      },
      scratch: { advice: advice.output, generated_by: advice.generated_by } satisfies Scratch,
    };
  };
}

function notify(deps: AgentDeps): NodeFn<TrackFeatureAdoptionTask> {
  return async (ctx) => {
    const { facts, advice, csm_owner } = ctx.scratch as Scratch;
    if (!facts || !advice) throw new Error("no recommendations to send");
    const common = { source: AGENT_ID, account_id: facts.account.id, run_id: ctx.run_id };
    await deps.effects.once(`adoption-event:${ctx.run_id}`, "adoption.event", async () => {
      await deps.bus.publish("adoption.tracked", {
        ...common,
        payload: { adoption: facts.adoption, underused: facts.top_underused.map((u) => u.feature) },
      });
      return true;
    });

    let draft: Record<string, unknown>;
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
    ctx.progress({ phase: "notify", done: 3, total: 3 });
    return { result: draft };
  };
}

export const trackFeatureAdoptionHandler: CsTaskHandler<typeof TrackFeatureAdoptionTaskSchema> = {
  schema: TrackFeatureAdoptionTaskSchema,
  description:
    "Feature adoption of an account against its same-tier peers, underused features ranked by likely impact with recommendations, and a draft to the CSM owner",
  build(deps) {
    return [
      ["assess", assess(deps)],
      ["recommend", recommend(deps)],
      ["notify", notify(deps)],
    ];
  },
};
