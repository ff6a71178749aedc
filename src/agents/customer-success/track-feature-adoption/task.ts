/**
 * `track_feature_adoption` `{account_id}`: the account's adoption per feature against a benchmark (the
 * median of same-tier accounts in the book unless ADOPTION_BENCHMARK is set), its underused features
 * ranked by likely impact, recommendations from the llm port (template otherwise), a Gmail draft to the
 * CSM owner with the top five, and an `adoption.tracked` event. The numbers are in the result.
 *
 *   assess -> recommend -> notify
 */
import { z } from "zod";
import type { AdoptionAssessment } from "../../../domain/adoption.js";
import type { Tier } from "../../../domain/types.js";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import type { AdoptionAdvice, AdoptionFacts } from "./advice.js";

export const TrackFeatureAdoptionTaskSchema = z.strictObject({
  type: z.literal("track_feature_adoption"),
  account_id: z.string().min(1),
});
export type TrackFeatureAdoptionTask = TaskOf<typeof TrackFeatureAdoptionTaskSchema>;

export const TRACK_FEATURE_ADOPTION_DESCRIPTION =
  "Feature adoption of an account against its same-tier peers, underused features ranked by likely impact with recommendations, and a draft to the CSM owner";

export interface TrackFeatureAdoptionScratch {
  facts: AdoptionFacts;
  csm_owner: string | null;
  advice: AdoptionAdvice;
  generated_by: "llm" | "template";
}

export type TrackFeatureAdoptionNode = NodeFn<TrackFeatureAdoptionTask, TrackFeatureAdoptionScratch>;

/** The steps, for progress. */
export const ADOPTION_STEPS = 3;

/** The run's result, node by node: the assessment, the advice, the draft (or why there is none). */
export type TrackFeatureAdoptionResult = AdoptionAssessment & {
  // assess
  account_id: string;
  account_name: string;
  tier: Tier;
  // recommend
  summary: string;
  recommendations: AdoptionAdvice["recommendations"];
  generated_by: "llm" | "template";
  fallback_reason?: string;
  // notify
  draft_id: string | null;
  draft_to?: string;
  draft_skipped?: string;
};
