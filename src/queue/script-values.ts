/**
 * The values a call playbook's placeholders take for one task: who is calling, who is called, and what
 * the records say about the customer. A value nothing records is left out, so the placeholder stays for
 * the CSM to fill (domain/tasks/call-script.ts). Pure.
 */
import { ONBOARDING_STEPS } from "../domain/product.js";
import { type Account, isOpenTicket, type Ticket } from "../domain/types.js";
import type { CsmTask } from "./types.js";

/** "maya.chen@example.com" -> "Maya Chen": the CSM's name as the demo book and most directories spell it. */
export function personName(email: string | null): string | null {
  if (!email) return null;
  const local = email.split("@")[0] ?? "";
  const words = local.split(/[._-]+/).filter(Boolean);
  return words.length === 0 ? null : words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

const humanStep = (step: string) => step.replaceAll("_", " ");

const longDate = (iso: string | null): string | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? null
    : d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
};

export function scriptValues(input: {
  account: Account;
  task: CsmTask;
  tickets: Ticket[];
  riskFactors: readonly string[];
  healthScore: number | null;
  company: string | undefined;
  product: string | undefined;
}): Record<string, string | null> {
  const { account: a, task } = input;
  const missing = ONBOARDING_STEPS.filter((s) => !a.onboarding_steps_done.includes(s));
  const openTicket = [...input.tickets]
    .filter(isOpenTicket)
    .sort((x, y) => (x.opened < y.opened ? 1 : -1))[0];
  const meta = task.metadata;
  const opportunity = typeof meta["opportunity_type"] === "string" ? meta["opportunity_type"] : null;
  return {
    name: personName(a.champion) ?? a.champion ?? `${a.name} team`,
    champion: personName(a.champion) ?? a.champion,
    customer: a.name,
    csm: personName(task.csm_id),
    company: input.company ?? null,
    product: input.product ?? null,
    account_executive: personName(a.account_executive),
    renewal_date: longDate(a.renewal_date),
    nps_date: longDate(a.nps_date),
    missing_step: missing[0] ? humanStep(missing[0]) : null,
    step: missing[0] ? humanStep(missing[0]) : null,
    score: input.healthScore === null ? null : String(Math.round(input.healthScore)),
    ticket_id: openTicket?.id ?? null,
    "specific_signal—usage_drop/missed_payment/low_score": input.riskFactors[0] ?? null,
    "specific_change—fewer_logins/a_drop_in_usage/more_support_tickets": input.riskFactors[0] ?? null,
    "more_seats/module/integration": opportunity,
    module: opportunity === "module" && typeof meta["module"] === "string" ? meta["module"] : null,
  };
}
