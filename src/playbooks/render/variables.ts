import { daysSince, daysUntil } from "../../domain/calendar.js";
import type { Account } from "../../domain/types.js";

/**
 * The variables a playbook template may use, Handlebars style ({{customer.name}}). The catalogue is
 * closed: publishing a template that names anything else is refused, so a typo never reaches a
 * customer as an empty string at run time.
 */
export const VARIABLES: Readonly<Record<string, string>> = Object.freeze({
  "customer.id": "account id",
  "customer.name": "account name",
  "customer.tier": "vip, high_value, standard or low_value",
  "customer.status": "Onboarding, Active, Inactive or Churned",
  "customer.arr": "annual recurring revenue (number; use {{currency customer.arr}})",
  "customer.renewal_date": "renewal date, ISO (use {{format_date customer.renewal_date}})",
  "customer.signup_date": "signup date, ISO",
  "customer.champion": "name of the customer's champion (may be empty)",
  "customer.health_score": "CSM health score 0-100 (may be empty)",
  "customer.health_rag": "GREEN, AMBER or RED (may be empty)",
  "customer.churn_risk": "low, medium, high or critical (may be empty)",
  "customer.seats_purchased": "seats purchased",
  "customer.seats_used": "seats in use",
  "customer.nps": "latest NPS 0-10",
  "customer.feature_adoption": "feature adoption 0-1 (use {{percent customer.feature_adoption}})",
  "customer.usage_trend": "growing, stable, declining or inactive",
  "customer.modules": "modules the customer has bought, comma separated",
  "csm.name": "the CSM owner's name",
  "csm.first_name": "the CSM owner's first name",
  "csm.email": "the CSM owner's email",
  "account_executive.name": "the account executive's name",
  "account_executive.email": "the account executive's email",
  "contact.name": "who a customer email greets: the champion, else 'there'",
  "contact.email": "the customer contact given when the execution started (may be empty)",
  renewal_date: "renewal date, long form (e.g. June 30, 2026)",
  days_to_renewal: "whole days until renewal (negative once passed)",
  signup_date: "signup date, long form",
  days_since_signup: "whole days since signup",
  today: "today's date, long form",
  "playbook.name": "this playbook's name",
  "execution.id": "this execution's id",
});

export const VARIABLE_NAMES: ReadonlySet<string> = new Set(Object.keys(VARIABLES));

export interface ExecutionInfo {
  execution_id: string;
  playbook_name: string;
  contact_email: string | null;
}

/** One formatter for every render (building an Intl formatter per call is slow). */
const LONG_DATE = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "long",
  day: "numeric",
  timeZone: "UTC",
});

export const longDate = (iso: string | null): string => {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return "";
  return LONG_DATE.format(d);
};

/** "maya.chen@example.com" -> "Maya Chen": the directory we have is the address itself. */
export function nameFromEmail(email: string | null): string {
  if (!email) return "";
  const local = email.split("@")[0] ?? "";
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(" ");
}

export type RenderContext = Record<string, unknown>;

/** Every catalogued variable, filled for one account (absent data is null, never missing). */
export function buildContext(account: Account, exec: ExecutionInfo, now: Date): RenderContext {
  const csmName = nameFromEmail(account.csm_owner);
  const aeName = nameFromEmail(account.account_executive);
  return {
    customer: {
      id: account.id,
      name: account.name,
      tier: account.tier,
      status: account.status,
      arr: account.arr,
      renewal_date: account.renewal_date,
      signup_date: account.signup_date,
      champion: account.champion,
      health_score: account.csm_health_score,
      health_rag: account.csm_health_rag,
      churn_risk: account.churn_risk,
      seats_purchased: account.seats_purchased,
      seats_used: account.seats_used,
      nps: account.nps,
      feature_adoption: account.feature_adoption,
      usage_trend: account.usage_trend,
      modules: account.modules.join(", "),
    },
    csm: {
      name: csmName || "Your Customer Success Manager",
      first_name: csmName.split(" ")[0] || "Your CSM",
      email: account.csm_owner,
    },
    account_executive: { name: aeName, email: account.account_executive },
    contact: { name: account.champion?.trim() || "there", email: exec.contact_email },
    renewal_date: longDate(account.renewal_date),
    days_to_renewal: daysUntil(account.renewal_date, now),
    signup_date: longDate(account.signup_date),
    days_since_signup: daysSince(account.signup_date, now),
    today: longDate(now.toISOString()),
    playbook: { name: exec.playbook_name },
    execution: { id: exec.execution_id },
  };
}

/** A made-up but complete account, for validating templates at publish time. */
export const SAMPLE_ACCOUNT: Account = {
  id: "acc_sample",
  name: "Sample Co",
  status: "Active",
  tier: "standard",
  arr: 120_000,
  csm_owner: "sam.sample@example.com",
  account_executive: "alex.sample@example.com",
  slack_channel: null,
  signup_date: "2025-01-15",
  renewal_date: "2026-01-15",
  last_login: null,
  last_interaction: null,
  last_heartbeat: null,
  seats_purchased: 50,
  seats_used: 40,
  feature_adoption: 0.5,
  nps: 8,
  nps_date: null,
  escalations_90d: 0,
  features_used: [],
  onboarding_steps_done: [],
  onboarding_last_step_at: null,
  usage_trend: "stable",
  payment_status: "current",
  stakeholder_engagement: "medium",
  ticket_sentiment: "neutral",
  champion: "Jordan Sample",
  modules: [],
  api_calls_30d: null,
  csm_health_score: 72,
  csm_health_rag: "GREEN",
  churn_risk: "low",
  csm_last_scan: null,
  health_score: null,
  health_status: null,
  last_health_scan: null,
};
