/**
 * Recommendations for an account's underused features: from the llm port (structured output, every number
 * grounded in the assessment, one recommendation per feature named), else the deterministic template.
 */
import { z } from "zod";
import type { GenerateResult, LlmPort } from "../../../adapters/llm/port.js";
import type { AdoptionAssessment } from "../../../domain/adoption.js";
import { errorMessage } from "../../../errors.js";
import type { Logger } from "../../../logger.js";
import { numberGroundingValidator } from "../../shared/narrative.js";

/** Features the draft recommends: the top five underused ones. */
export const TOP_UNDERUSED = 5;

export interface AdoptionFacts {
  account: { id: string; name: string; tier: string };
  adoption: number | null;
  benchmark: number | null;
  benchmark_source: AdoptionAssessment["benchmark_source"];
  cohort_accounts: number;
  standing: AdoptionAssessment["standing"];
  features_used: number;
  features_total: number;
  top_underused: Array<{
    feature: string;
    peer_share: number;
    health_lift: number;
    impact: number;
    rank: number;
  }>;
}

export function adoptionFacts(account: AdoptionFacts["account"], a: AdoptionAssessment): AdoptionFacts {
  return {
    account,
    adoption: a.adoption,
    benchmark: a.benchmark,
    benchmark_source: a.benchmark_source,
    cohort_accounts: a.cohort.accounts,
    standing: a.standing,
    features_used: a.features_used,
    features_total: a.features_total,
    top_underused: a.underused.slice(0, TOP_UNDERUSED),
  };
}

export const AdoptionAdviceSchema = z.object({
  summary: z.string().min(20).max(1200).describe("2-3 sentences: where the account stands against its peers"),
  recommendations: z
    .array(
      z.object({
        feature: z.string().min(1).describe("the underused feature, exactly as named in the data"),
        recommendation: z.string().min(10).max(400).describe("one concrete step to get the feature adopted"),
      }),
    )
    .max(TOP_UNDERUSED),
});
export type AdoptionAdvice = z.infer<typeof AdoptionAdviceSchema>;

export const ADOPTION_SYSTEM_PROMPT = [
  "You are a customer success manager planning feature adoption for a B2B SaaS account.",
  "Write a summary of 2-3 sentences on how the account's adoption compares with its peers, then one concrete",
  "recommendation for each underused feature in top_underused, in the same order, naming the feature exactly.",
  "Use only numbers that appear in the data; shares between 0 and 1 may be written as whole percentages",
  "(0.42 as 42%). Never invent figures, durations, names or events.",
].join(" ");

const pct = (share: number): string => `${Math.round(share * 100)}%`;
const label = (feature: string): string => feature.replaceAll("_", " ");

export function adoptionTemplate(f: AdoptionFacts): AdoptionAdvice {
  const peers =
    f.benchmark_source === "configured"
      ? "the configured benchmark"
      : f.benchmark_source === "tier_median"
        ? `the median of ${f.cohort_accounts} ${label(f.account.tier)} accounts`
        : `the median of ${f.cohort_accounts} accounts in the book`;
  const sentences: string[] = [];
  if (f.adoption !== null && f.benchmark !== null) {
    const standing = f.standing === "above" ? "above" : f.standing === "below" ? "below" : "in line with";
    sentences.push(
      `${f.account.name} has a feature adoption of ${pct(f.adoption)}, ${standing} the benchmark of ${pct(f.benchmark)} (${peers}).`,
    );
  } else if (f.adoption !== null) {
    sentences.push(
      `${f.account.name} has a feature adoption of ${pct(f.adoption)}; there are no peers to compare with.`,
    );
  } else {
    sentences.push(`${f.account.name} has no recorded feature adoption.`);
  }
  if (f.features_total > 0) sentences.push(`It uses ${f.features_used} of ${f.features_total} features.`);
  sentences.push(
    f.top_underused.length > 0
      ? `The features below are used by most of its peers but not by ${f.account.name}, most likely impact first.`
      : "No feature that most of its peers use is missing.",
  );
  return {
    summary: sentences.join(" "),
    recommendations: f.top_underused.map((u) => ({
      feature: u.feature,
      recommendation:
        `${label(u.feature)} is used by ${pct(u.peer_share)} of peers` +
        (u.health_lift > 0 ? ", more often by healthy accounts than at-risk ones" : "") +
        `: run an enablement session with the admin, name an owner for its rollout and review its use at the next check-in.`,
    })),
  };
}

/** The model's recommendations must cover exactly the features asked about, in the data's own names. */
export function coverageProblem(f: AdoptionFacts, advice: AdoptionAdvice): string | null {
  const asked = f.top_underused.map((u) => u.feature);
  const given = advice.recommendations.map((r) => r.feature);
  const unknown = given.filter((g) => !asked.includes(g));
  const missing = asked.filter((a) => !given.includes(a));
  if (unknown.length === 0 && missing.length === 0) return null;
  return [
    unknown.length > 0 ? `recommendations name features not in top_underused: ${unknown.join(", ")}` : "",
    missing.length > 0 ? `recommendations are missing for: ${missing.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export async function recommendAdoption(
  deps: { llm: LlmPort; log: Logger },
  facts: AdoptionFacts,
): Promise<GenerateResult<AdoptionAdvice>> {
  const template = () => adoptionTemplate(facts);
  const grounded = numberGroundingValidator<AdoptionAdvice>(facts, (o) => [
    o.summary,
    ...o.recommendations.map((r) => r.recommendation),
  ]);
  try {
    return await deps.llm.generate({
      purpose: "adoption_recommendations",
      system: ADOPTION_SYSTEM_PROMPT,
      user: `Adoption data (JSON):\n${JSON.stringify(facts)}`,
      schema: AdoptionAdviceSchema,
      template,
      validate: (o) => coverageProblem(facts, o) ?? grounded(o),
    });
  } catch (err) {
    deps.log.warn(
      { err, account_id: facts.account.id },
      "adoption recommendations failed; using the template",
    );
    return { output: template(), generated_by: "template", fallback_reason: errorMessage(err) };
  }
}
