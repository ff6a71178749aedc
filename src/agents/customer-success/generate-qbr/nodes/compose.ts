/**
 * The compose node: the four sections from the llm port (structured output), every number checked
 * against the gathered facts. The port retries once with the problem stated, then falls back to the
 * template; the result says which one wrote the QBR (generated_by).
 */

import type { GenerateResult, LlmPort } from "../../../../adapters/llm/port.js";
import { errorMessage } from "../../../../errors.js";
import type { Logger } from "../../../../logger.js";
import type { AgentDeps } from "../../../deps.js";
import { numberGroundingValidator } from "../../../shared/narrative.js";
import type { QbrFacts } from "../facts.js";
import {
  QBR_SYSTEM_PROMPT,
  type QbrSections,
  QbrSectionsSchema,
  qbrUserPrompt,
  sectionTexts,
} from "../prompt.js";
import type { QbrDraftStore } from "../store.js";
import { requireDraft } from "../store.js";
import { type GenerateQbrNode, type GenerateQbrResult, QBR_STEPS } from "../task.js";
import { qbrTemplate } from "../template.js";

export async function composeQbr(
  deps: { llm: LlmPort; log: Logger },
  facts: QbrFacts,
): Promise<GenerateResult<QbrSections>> {
  const template = () => qbrTemplate(facts);
  try {
    return await deps.llm.generate({
      purpose: "qbr_sections",
      system: QBR_SYSTEM_PROMPT,
      user: qbrUserPrompt(facts),
      schema: QbrSectionsSchema,
      template,
      validate: numberGroundingValidator<QbrSections>(facts, sectionTexts),
    });
  } catch (err) {
    // The port falls back by itself; this guards an adapter that throws anyway: a QBR needs its sections.
    deps.log.warn({ err, account_id: facts.account.id }, "QBR composition failed; using the template");
    return { output: template(), generated_by: "template", fallback_reason: errorMessage(err) };
  }
}

export function compose(deps: AgentDeps, store: QbrDraftStore): GenerateQbrNode {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    let generatedBy = row.generated_by;
    let fallback = row.fallback_reason;
    // A re-run after the sections were stored keeps them: the model is not asked twice for one QBR.
    if (row.sections === null || generatedBy === null) {
      const composed = await composeQbr(deps, row.facts);
      generatedBy = composed.generated_by;
      fallback = composed.fallback_reason ?? null;
      await store.saveSections(ctx.run_id, composed.output, generatedBy, fallback, deps.clock.now());
    }
    ctx.progress({ phase: "compose", done: 2, total: QBR_STEPS });
    const result = {
      generated_by: generatedBy,
      ...(fallback ? { fallback_reason: fallback } : {}),
    } satisfies Partial<GenerateQbrResult>;
    return { result };
  };
}
