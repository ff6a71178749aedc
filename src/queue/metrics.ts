/**
 * Outcome metrics, computed from recorded outcomes only: what CSMs achieved, not how busy they were
 * ("Saved 3 at-risk customers", not "Made 20 calls"). Pure.
 *
 * Definitions (a "completion" is the outcome a task's complete action records):
 * - onboarding_completions: completions of onboarding-category tasks whose objective was achieved;
 * - at_risk_saves: completions of at-risk recovery where the customer was saved ("Customer retained?"
 *   answered "Yes - saved"; without that answer, objective achieved);
 * - health_improvements: completions of health-drop and NPS-detractor tasks whose objective was achieved
 *   (the corrective action that turns a score around was agreed);
 * - renewals_secured: completions of renewal preparation with the objective achieved and the renewal
 *   Committed or Likely; amount is the customer's ARR at completion;
 * - expansion_pipeline: completions of expansion tasks handed to the account executive (objective
 *   achieved when unanswered); amount is the opportunity's estimated ARR impact;
 * - activity: every outcome by channel (calls, emails) and the number of completions (tasks): context,
 *   shown second;
 * - trend_vs_last_week: the change in objectives achieved against the week before, in percent (+100
 *   when last week had none and this week has some).
 */
import { MS_PER_DAY } from "../domain/calendar.js";
import { TASK_TYPES } from "./catalog.js";

export interface OutcomeFact {
  action: string;
  task_type: string;
  objective_achieved: string | null;
  quality_gate_responses: Record<string, unknown>;
  channel: string | null;
  arr: number | null;
  metadata: Record<string, unknown>;
}

export interface WeeklyGoals {
  onboarding_completions: number;
  at_risk_saves: number;
}

export interface WeeklyMetrics {
  onboarding_completions: { actual: number; goal: number };
  at_risk_saves: { actual: number; goal: number };
  health_improvements: number;
  renewals_secured: { amount: number; count: number };
  expansion_pipeline: { amount: number; count: number };
  activity: { calls: number; emails: number; tasks: number };
  /** Objectives achieved this week and last, the basis of the trend. */
  objectives_achieved: { this_week: number; last_week: number };
  trend_vs_last_week: number;
}

/** The UTC week (Monday 00:00 to the next Monday) containing `at`. */
export function weekBounds(at: Date): { start: Date; end: Date } {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  const start = new Date(day.getTime() - sinceMonday * MS_PER_DAY);
  return { start, end: new Date(start.getTime() + 7 * MS_PER_DAY) };
}

/** What the metrics need from a task's metadata at completion: the expansion estimate, if any. */
export function completionMetadata(taskMetadata: Record<string, unknown>): Record<string, unknown> {
  return taskMetadata["estimated_arr_impact"] !== undefined
    ? { estimated_arr_impact: taskMetadata["estimated_arr_impact"] }
    : {};
}

const ONBOARDING_TYPES = new Set(TASK_TYPES.filter((t) => t.category === "onboarding").map((t) => t.slug));
const HEALTH_TYPES = new Set(["health_score_drop", "nps_detractor_followup"]);
const SECURED_LIKELIHOOD = new Set(["Committed", "Likely"]);

const isCompletion = (o: OutcomeFact) => o.action === "complete";
const achieved = (o: OutcomeFact) => o.objective_achieved === "yes";
const gate = (o: OutcomeFact, id: string): unknown =>
  Object.hasOwn(o.quality_gate_responses, id) ? o.quality_gate_responses[id] : undefined;
const money = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

export function isAtRiskSave(o: OutcomeFact): boolean {
  if (!isCompletion(o) || o.task_type !== "at_risk_recovery") return false;
  const retained = gate(o, "customer_retained");
  return retained === undefined ? achieved(o) : retained === "Yes - saved";
}

export function isRenewalSecured(o: OutcomeFact): boolean {
  if (!isCompletion(o) || o.task_type !== "renewal_prep" || !achieved(o)) return false;
  const likelihood = gate(o, "renewal_likelihood");
  return likelihood === undefined || SECURED_LIKELIHOOD.has(String(likelihood));
}

export function isExpansionHandedOff(o: OutcomeFact): boolean {
  if (!isCompletion(o) || o.task_type !== "expansion_opportunity") return false;
  const handed = gate(o, "handed_to_account_executive");
  return handed === undefined ? achieved(o) : handed === true;
}

const objectivesAchieved = (outcomes: readonly OutcomeFact[]) =>
  outcomes.filter((o) => isCompletion(o) && achieved(o)).length;

/** Percent change, one decimal; +100 from nothing to something, 0 from nothing to nothing. */
export function trendPercent(current: number, previous: number): number {
  if (previous === 0) return current > 0 ? 100 : 0;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

export function weeklyMetrics(
  thisWeek: readonly OutcomeFact[],
  lastWeek: readonly OutcomeFact[],
  goals: WeeklyGoals,
): WeeklyMetrics {
  const completions = thisWeek.filter(isCompletion);
  const renewals = completions.filter(isRenewalSecured);
  const expansions = completions.filter(isExpansionHandedOff);
  const current = objectivesAchieved(thisWeek);
  const previous = objectivesAchieved(lastWeek);
  return {
    onboarding_completions: {
      actual: completions.filter((o) => ONBOARDING_TYPES.has(o.task_type as never) && achieved(o)).length,
      goal: goals.onboarding_completions,
    },
    at_risk_saves: { actual: completions.filter(isAtRiskSave).length, goal: goals.at_risk_saves },
    health_improvements: completions.filter((o) => HEALTH_TYPES.has(o.task_type) && achieved(o)).length,
    renewals_secured: {
      amount: renewals.reduce((sum, o) => sum + money(o.arr), 0),
      count: renewals.length,
    },
    expansion_pipeline: {
      amount: expansions.reduce((sum, o) => sum + money(o.metadata["estimated_arr_impact"]), 0),
      count: expansions.length,
    },
    activity: {
      calls: thisWeek.filter((o) => o.channel === "call").length,
      emails: thisWeek.filter((o) => o.channel === "email").length,
      tasks: completions.length,
    },
    objectives_achieved: { this_week: current, last_week: previous },
    trend_vs_last_week: trendPercent(current, previous),
  };
}

/** The team's totals: member metrics summed, goals summed, the trend recomputed from the sums. */
export function sumMetrics(members: readonly WeeklyMetrics[], goals: WeeklyGoals): WeeklyMetrics {
  const total = (f: (m: WeeklyMetrics) => number) => members.reduce((s, m) => s + f(m), 0);
  const current = total((m) => m.objectives_achieved.this_week);
  const previous = total((m) => m.objectives_achieved.last_week);
  return {
    onboarding_completions: {
      actual: total((m) => m.onboarding_completions.actual),
      goal: goals.onboarding_completions * members.length,
    },
    at_risk_saves: {
      actual: total((m) => m.at_risk_saves.actual),
      goal: goals.at_risk_saves * members.length,
    },
    health_improvements: total((m) => m.health_improvements),
    renewals_secured: {
      amount: total((m) => m.renewals_secured.amount),
      count: total((m) => m.renewals_secured.count),
    },
    expansion_pipeline: {
      amount: total((m) => m.expansion_pipeline.amount),
      count: total((m) => m.expansion_pipeline.count),
    },
    activity: {
      calls: total((m) => m.activity.calls),
      emails: total((m) => m.activity.emails),
      tasks: total((m) => m.activity.tasks),
    },
    objectives_achieved: { this_week: current, last_week: previous },
    trend_vs_last_week: trendPercent(current, previous),
  };
}
