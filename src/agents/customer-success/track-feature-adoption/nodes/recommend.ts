/** The recommend node: recommendations for the underused features (model or template). */
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { recommendAdoption } from "../advice.js";
import { ADOPTION_STEPS, type TrackFeatureAdoptionNode, type TrackFeatureAdoptionResult } from "../task.js";

export function recommend(deps: AgentDeps): TrackFeatureAdoptionNode {
  return async (ctx) => {
    const facts = fromScratch(ctx.scratch, "facts");
    const advice = await recommendAdoption(deps, facts);
    ctx.progress({ phase: "recommend", done: 2, total: ADOPTION_STEPS });
    return {
      result: {
        summary: advice.output.summary,
        recommendations: advice.output.recommendations,
        generated_by: advice.generated_by,
        ...(advice.fallback_reason ? { fallback_reason: advice.fallback_reason } : {}),
      } satisfies Partial<TrackFeatureAdoptionResult>,
      scratch: { advice: advice.output, generated_by: advice.generated_by },
    };
  };
}
