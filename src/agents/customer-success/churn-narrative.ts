/**
 * The churn narrative a CSM reads (why the account is at risk, what to do): from the llm port,
 * number-grounded in the facts, with the template as fallback. Alerts and on-demand assessments use it.
 */
import type { GenerateResult } from "../../adapters/llm/port.js";
import { errorMessage } from "../../errors.js";
import type { AgentDeps } from "../deps.js";
import { numberGroundingValidator } from "../shared/narrative.js";
import {
  CHURN_SYSTEM_PROMPT,
  type ChurnFacts,
  type ChurnNarrative,
  ChurnNarrativeSchema,
  churnNarrativeTemplate,
  churnUserPrompt,
} from "./prompts.js";

/** The narrative from the model when it is usable and grounded, otherwise the template. */
export async function narrateChurn(
  deps: Pick<AgentDeps, "llm" | "log">,
  facts: ChurnFacts,
): Promise<GenerateResult<ChurnNarrative>> {
  const template = () => churnNarrativeTemplate(facts);
  try {
    return await deps.llm.generate({
      purpose: "churn_narrative",
      system: CHURN_SYSTEM_PROMPT,
      user: churnUserPrompt(facts),
      schema: ChurnNarrativeSchema,
      template,
      validate: numberGroundingValidator<ChurnNarrative>(facts, (o) => [
        o.risk_narrative,
        ...o.recommended_actions,
      ]),
    });
  } catch (err) {
    // The port falls back by itself; this guards an adapter that throws anyway: an alert needs a text.
    deps.log.warn({ err, account_id: facts.account.id }, "churn narrative failed; using the template");
    return { output: template(), generated_by: "template", fallback_reason: errorMessage(err) };
  }
}
