/**
 * The QBR's four sections (account health summary, ROI and business impact, feature adoption scorecard,
 * expansion and next steps): the zod schema the model answers in, and the prompts. The model only writes
 * prose around facts the gather node computed.
 */
import { z } from "zod";
import type { QbrFacts } from "./facts.js";

const Section = z.object({
  narrative: z
    .string()
    .min(20)
    .max(1500)
    .describe("2-3 sentences summarising the section for the customer's executives"),
  bullets: z
    .array(z.string().min(2).max(400))
    .min(1)
    .max(8)
    .describe("supporting metrics and recommendations, one per bullet"),
});
export type QbrSection = z.infer<typeof Section>;

export const QbrSectionsSchema = z.object({
  account_health_summary: Section.describe(
    "health score history, the RED/AMBER/GREEN trend, and the signals that moved the score",
  ),
  roi_business_impact: Section.describe(
    "value delivered, using only the metrics present in the data; when there are none, say so",
  ),
  feature_adoption_scorecard: Section.describe(
    "features used, adoption against the benchmark, underused features with a recommendation each",
  ),
  expansion_next_steps: Section.describe(
    "recommended next steps: additional seats, new modules, integrations, renewal terms",
  ),
});
export type QbrSections = z.infer<typeof QbrSectionsSchema>;

export const QBR_SECTION_KEYS = [
  "account_health_summary",
  "roi_business_impact",
  "feature_adoption_scorecard",
  "expansion_next_steps",
] as const satisfies readonly (keyof QbrSections)[];

export const QBR_SECTION_TITLES: Readonly<Record<keyof QbrSections, string>> = Object.freeze({
  account_health_summary: "Account Health Summary",
  roi_business_impact: "ROI & Business Impact",
  feature_adoption_scorecard: "Feature Adoption Scorecard",
  expansion_next_steps: "Expansion & Next Steps",
});

/** Every text of the sections: what the number-grounding check reads. */
export const sectionTexts = (s: QbrSections): string[] =>
  QBR_SECTION_KEYS.flatMap((k) => [s[k].narrative, ...s[k].bullets]);

export const QBR_SYSTEM_PROMPT = [
  "You are a senior customer success manager writing a Quarterly Business Review for a B2B SaaS customer.",
  "Write four sections. Each has a narrative of 2-3 sentences and 2-6 short bullets with the supporting",
  "metrics and recommendations. Account Health Summary: the score history, the RAG trend and the signals",
  "that moved the score. ROI & Business Impact: only the metrics present in the data (usage, seats, support,",
  "API calls); time saved and revenue influenced are not tracked, so never estimate them, and when the data",
  "holds no such metric say so plainly. Feature Adoption Scorecard: features used, adoption against the",
  "benchmark, and a concrete recommendation for each underused feature. Expansion & Next Steps: seats,",
  "modules, integrations, open expansion opportunities and renewal terms.",
  "Use only numbers that appear in the data, written as they appear there; shares between 0 and 1 may be",
  "written as whole percentages (0.42 as 42%). Never compute new figures (no differences, sums or ratios",
  "that are not given) and never invent names, dates or events.",
].join(" ");

export function qbrUserPrompt(facts: QbrFacts): string {
  return `QBR data (JSON):\n${JSON.stringify(facts)}`;
}
