/**
 * One account's feature adoption against the book (domain/adoption.ts), with the configured benchmark
 * (ADOPTION_BENCHMARK) applied. Shared by track_feature_adoption and the QBR's adoption scorecard.
 */
import type { Config } from "../../../config.js";
import { type AdoptionAssessment, assessAdoption } from "../../../domain/adoption.js";
import type { Account, Tier } from "../../../domain/types.js";
import { type CohortDeps, getCohort } from "./cohort.js";

/** The configured benchmark of a tier, or null to use the peer median. */
export function configuredBenchmark(config: Pick<Config, "ADOPTION_BENCHMARK">, tier: Tier): number | null {
  const b = config.ADOPTION_BENCHMARK;
  if (!b) return null;
  return b[tier] ?? b.all ?? null;
}

export async function assessAccountAdoption(
  deps: CohortDeps & { config: Pick<Config, "ADOPTION_BENCHMARK"> },
  account: Account,
): Promise<AdoptionAssessment> {
  const cohort = await getCohort(deps);
  return assessAdoption({
    account: {
      id: account.id,
      tier: account.tier,
      status: account.status,
      feature_adoption: account.feature_adoption,
      features_used: account.features_used ?? [],
      // Only the cohort's own record of the account decides which health group it is taken out of.
      rag: account.csm_health_rag,
    },
    cohort,
    configuredBenchmark: configuredBenchmark(deps.config, account.tier),
  });
}
