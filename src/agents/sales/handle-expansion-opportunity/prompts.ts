/**
 * The wording of the Sales agent's drafts. Sales writes no free text of its own: the talk track comes
 * from Customer Success (number-grounded there) and the evidence is the detectors' figures, so these
 * are fixed templates around them.
 */
import type { HandleExpansionOpportunityTask } from "./task.js";

const usd = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;

/** `Expansion opportunity: {account} — {type} (${impact} ARR)`. */
export const expansionSubject = (accountName: string, type: string, impact: number): string =>
  `Expansion opportunity: ${accountName} — ${type} (${usd(impact)} ARR)`;

const evidenceLine = (name: string, value: unknown): string =>
  `- ${name.replaceAll("_", " ")}: ${Array.isArray(value) ? value.join(", ") : String(value)}`;

export interface ExpansionDraftFacts {
  task: HandleExpansionOpportunityTask;
  account_name: string;
  arr: number | null;
  renewal_date: string | null;
  csm_owner: string | null;
  opportunity_id: string;
  /** Set when the draft goes to SALES_FALLBACK_EMAIL: why. */
  fallback_note: string | null;
}

export function expansionBody(f: ExpansionDraftFacts): string {
  const t = f.task;
  return [
    ...(f.fallback_note ? [`Note: ${f.fallback_note}`, ""] : []),
    `Customer Success found an expansion opportunity at ${f.account_name}.`,
    "",
    `Type: ${t.opportunity_type}${t.product ? ` (${t.product})` : ""}`,
    `Estimated ARR impact: ${usd(t.estimated_arr_impact)}`,
    `Confidence: ${t.confidence}`,
    `Current ARR: ${f.arr === null ? "unknown" : usd(f.arr)}; renewal date: ${f.renewal_date ?? "unknown"}`,
    `CSM owner: ${f.csm_owner ?? "none on record"}`,
    "",
    "Evidence:",
    ...Object.entries(t.evidence)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => evidenceLine(k, v)),
    "",
    "Recommended talk track:",
    t.recommended_talk_track,
    "",
    `Expansion Opportunities record: ${f.opportunity_id} (now Dispatched).`,
    "This is a draft for your review; nothing has been sent to the customer.",
  ].join("\n");
}
