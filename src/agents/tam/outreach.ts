/**
 * The escalation outreach from the llm port (structured output, number-grounded), with the template as
 * fallback, and the draft text a rep receives around it.
 */
import type { GenerateResult } from "../../adapters/llm/port.js";
import { errorMessage } from "../../errors.js";
import type { AgentDeps } from "../deps.js";
import { numberGroundingValidator } from "../shared/narrative.js";
import {
  OUTREACH_SYSTEM_PROMPT,
  type Outreach,
  type OutreachFacts,
  OutreachSchema,
  outreachTemplate,
  outreachUserPrompt,
} from "./prompts.js";

export async function writeOutreach(
  deps: Pick<AgentDeps, "llm" | "log">,
  facts: OutreachFacts,
): Promise<GenerateResult<Outreach>> {
  const template = () => outreachTemplate(facts);
  try {
    return await deps.llm.generate({
      purpose: "tam_outreach",
      system: OUTREACH_SYSTEM_PROMPT,
      user: outreachUserPrompt(facts),
      schema: OutreachSchema,
      template,
      validate: numberGroundingValidator<Outreach>(facts, (o) => [o.subject, o.body, ...o.key_issues]),
    });
  } catch (err) {
    // The port falls back by itself; this guards an adapter that throws anyway: an escalation needs a text.
    deps.log.warn({ err, account_id: facts.account.id }, "outreach generation failed; using the template");
    return { output: template(), generated_by: "template", fallback_reason: errorMessage(err) };
  }
}

/** The draft to the owner: an internal note on top, then the outreach ready to edit and send. */
export function outreachDraftText(facts: OutreachFacts, outreach: Outreach): string {
  const h = facts.health;
  const was = h.previous_status ? `, was ${h.previous_status}` : "";
  const why =
    facts.escalation_reasons.length > 0 ? facts.escalation_reasons : facts.penalties.map((p) => p.reason);
  return [
    `Internal note (remove before sending): technical health of ${facts.account.name} is ${h.score} (${h.status}${was}).`,
    ...why.map((r) => `- ${r}`),
    "",
    "Key issues:",
    ...outreach.key_issues.map((i) => `- ${i}`),
    "",
    "--- Suggested outreach ---",
    outreach.body,
    "",
    "This is a draft for your review; nothing has been sent to the customer.",
  ].join("\n");
}
