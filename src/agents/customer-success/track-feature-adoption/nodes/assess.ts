/** The assess node: the account's adoption against the book, in the result and the advice's facts. */
import type { AgentDeps } from "../../../deps.js";
import { assessAccountAdoption } from "../../adoption/assess.js";
import { adoptionFacts } from "../advice.js";
import { ADOPTION_STEPS, type TrackFeatureAdoptionNode, type TrackFeatureAdoptionResult } from "../task.js";

export function assess(deps: AgentDeps): TrackFeatureAdoptionNode {
  return async (ctx) => {
    const account = await deps.records.getAccount(ctx.task.account_id);
    if (!account) throw new Error(`account ${ctx.task.account_id} not found`);
    const a = await assessAccountAdoption(deps, account);
    const facts = adoptionFacts({ id: account.id, name: account.name, tier: account.tier }, a);
    ctx.progress({ phase: "assess", done: 1, total: ADOPTION_STEPS });
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
      } satisfies Partial<TrackFeatureAdoptionResult>,
      scratch: { facts, csm_owner: account.csm_owner },
    };
  };
}
