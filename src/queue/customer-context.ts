/**
 * The customer context shown beside a call playbook: one value per context field the playbook lists
 * (its context_fields), from the account, its tickets, health history, the task's own
 * metadata and the outcomes of earlier tasks on the customer. A field nothing records is null, so the
 * CSM sees what is unknown rather than a made-up value. Pure.
 */

import { daysSince } from "../domain/calendar.js";
import { ONBOARDING_STEPS } from "../domain/product.js";
import { type Account, isOpenTicket, type Ticket } from "../domain/types.js";
import type { CsmTask, TaskOutcome } from "./types.js";

export interface ContextSources {
  account: Account;
  tickets: Ticket[];
  /** Health history points, oldest first. */
  health: Array<{ at: string; score: number; rag: string }>;
  /** The latest health breakdown recorded by a scan, if any. */
  breakdown: unknown;
  task: CsmTask;
  /** Outcomes of this customer's tasks, newest first. */
  outcomes: Array<TaskOutcome & { task_type: string }>;
  now: Date;
}

export function riskFactors(a: Account, openTickets: number, now: Date): string[] {
  const out: string[] = [];
  if (a.churn_risk === "high" || a.churn_risk === "critical") out.push(`churn risk ${a.churn_risk}`);
  if (a.usage_trend === "declining" || a.usage_trend === "inactive") out.push(`usage ${a.usage_trend}`);
  if (a.payment_status && a.payment_status !== "current") out.push(`payment ${a.payment_status}`);
  if (a.ticket_sentiment === "negative" || a.ticket_sentiment === "critical")
    out.push(`ticket sentiment ${a.ticket_sentiment}`);
  if (a.stakeholder_engagement === "low") out.push("low stakeholder engagement");
  if (a.champion === null) out.push("no champion on record");
  const idle = daysSince(a.last_login, now);
  if (idle !== null && idle >= 30) out.push(`no login for ${idle} days`);
  if (openTickets >= 3) out.push(`${openTickets} open tickets`);
  return out;
}

/** The customer's five newest tickets, as a CSM reads them before a call. */
export function recentTickets(tickets: readonly Ticket[]) {
  return [...tickets]
    .sort((x, y) => (x.opened < y.opened ? 1 : -1))
    .slice(0, 5)
    .map((t) => ({ id: t.id, subject: t.subject, priority: t.priority, status: t.status, opened: t.opened }));
}

export function buildCustomerContext(
  fields: readonly string[],
  src: ContextSources,
): Record<string, unknown> {
  const { account: a, tickets, task, outcomes, now } = src;
  const open = tickets.filter(isOpenTicket);
  const latestHealth = src.health[src.health.length - 1];
  const lastNotes = (type?: string) =>
    outcomes.find((o) => o.notes !== "" && (type === undefined || o.task_type === type))?.notes ?? null;
  const derived: Record<string, () => unknown> = {
    completed_steps: () => a.onboarding_steps_done,
    missing_steps: () => ONBOARDING_STEPS.filter((s) => !a.onboarding_steps_done.includes(s)),
    last_contact: () => a.last_interaction,
    customer_notes: () => lastNotes(),
    adoption_metrics: () => ({
      feature_adoption: a.feature_adoption,
      seats_used: a.seats_used,
      seats_purchased: a.seats_purchased,
      features_used: a.features_used.length,
    }),
    feature_usage: () => a.features_used,
    health_score: () => a.csm_health_score ?? latestHealth?.score ?? null,
    health_score_history: () => src.health.map((h) => ({ at: h.at, score: h.score, rag: h.rag })),
    recent_interactions: () =>
      outcomes.slice(0, 5).map((o) => ({
        at: o.created_at,
        task_type: o.task_type,
        outcome_type: o.outcome_type,
        sentiment: o.sentiment,
        notes: o.notes,
      })),
    day_30_notes: () => lastNotes("day_30_checkin"),
    open_tickets: () => open.length,
    recent_tickets: () => recentTickets(tickets),
    support_summary: () => ({
      open: open.length,
      p1_open: open.filter((t) => t.priority === "P1").length,
      total: tickets.length,
      ticket_sentiment: a.ticket_sentiment,
    }),
    stakeholders: () => ({
      champion: a.champion,
      account_executive: a.account_executive,
      engagement: a.stakeholder_engagement,
    }),
    decision_makers: () => ({ champion: a.champion, account_executive: a.account_executive }),
    stakeholder_changes: () => (a.champion === null ? "champion left or not recorded" : null),
    risk_factors: () => riskFactors(a, open.length, now),
    usage_decline: () => a.usage_trend === "declining" || a.usage_trend === "inactive",
    payment_issues: () =>
      a.payment_status !== null && a.payment_status !== "current" ? a.payment_status : null,
    score_breakdown: () => src.breakdown ?? null,
    contract_terms: () => ({
      signup_date: a.signup_date,
      renewal_date: a.renewal_date,
      arr: a.arr,
      seats_purchased: a.seats_purchased,
    }),
    churn_risk: () => a.churn_risk ?? task.customer.churn_risk,
    expansion_signal: () =>
      task.metadata["opportunity_type"] !== undefined
        ? {
            opportunity_type: task.metadata["opportunity_type"],
            estimated_arr_impact: task.metadata["estimated_arr_impact"] ?? null,
            confidence: task.metadata["confidence"] ?? null,
          }
        : null,
    evidence: () => task.metadata["evidence"] ?? task.metadata["reason"] ?? null,
  };
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const make = derived[field];
    if (make) out[field] = make();
    else if (Object.hasOwn(a, field)) out[field] = a[field as keyof Account];
    else if (Object.hasOwn(task.metadata, field)) out[field] = task.metadata[field];
    else out[field] = null;
  }
  return out;
}
