/**
 * Priority score of a CSM task, in five steps:
 *
 *   score  = arr * churn_probability / 1000           revenue at risk
 *          + days_overdue ^ 1.5 * 10                  days overdue, floored at 0 (exponential climb)
 *   score *= tier multiplier                          vip 2.0, high_value 1.5, standard 1.0, low_value 0.5 (else 1.0)
 *   score += priority base                            urgent 100, high 75, standard 50, low 25
 *   score += renewal bonus                            days_to_renewal <= 30: +50, <= 60: +25, <= 90: +10
 *   return Math.round(score)
 *
 * The tier multiplies only the revenue and overdue terms; the priority base and the renewal bonus are
 * added after it. The seed caps nothing: its "normalize to 0-100" comment describes the usual range of
 * the revenue term, not a clamp, so an ARR of 2M at 0.7 contributes 1400. The only bound is the floor
 * of days overdue at 0 (a task not yet due gets no overdue points). A renewal date already passed has
 * days_to_renewal < 0, which the seed's `<= 30` counts as the closest band (+50): a lapsing contract.
 *
 * Pure: every time-dependent input (days_overdue, days_to_renewal) is computed by the caller from its
 * own "now", so the score is always current when read and overdue tasks climb day by day.
 */
import type { ChurnLevel, Tier } from "./types.js";

export const TASK_PRIORITIES = ["urgent", "high", "standard", "low"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** Default churn probability per churn-risk level; callers may pass their own mapping. */
export const CHURN_PROBABILITY: Readonly<Record<ChurnLevel, number>> = Object.freeze({
  low: 0.05,
  medium: 0.2,
  high: 0.45,
  critical: 0.7,
});

/** Step 3. A missing or unknown tier multiplies by 1.0. */
export const TIER_MULTIPLIER: Readonly<Record<Tier, number>> = Object.freeze({
  vip: 2.0,
  high_value: 1.5,
  standard: 1.0,
  low_value: 0.5,
});
export const DEFAULT_TIER_MULTIPLIER = 1.0;

/** Step 4: the task's priority (its type's default_priority unless changed). */
export const PRIORITY_BASE: Readonly<Record<TaskPriority, number>> = Object.freeze({
  urgent: 100,
  high: 75,
  standard: 50,
  low: 25,
});

/** Step 5, checked in order: the first band whose max_days covers days_to_renewal wins. */
export const RENEWAL_BONUS_BANDS: ReadonlyArray<{ readonly max_days: number; readonly bonus: number }> =
  Object.freeze([
    { max_days: 30, bonus: 50 },
    { max_days: 60, bonus: 25 },
    { max_days: 90, bonus: 10 },
  ]);

/** Step 1 divides revenue at risk by this. */
export const REVENUE_RISK_DIVISOR = 1000;
/** Step 2: days_overdue ^ OVERDUE_EXPONENT * OVERDUE_WEIGHT. */
export const OVERDUE_EXPONENT = 1.5;
export const OVERDUE_WEIGHT = 10;

export interface PriorityInput {
  /** The customer's ARR; null (unknown) contributes no revenue at risk. */
  arr: number | null;
  /** 0..1, e.g. churnProbabilityFor(account.churn_risk); null contributes no revenue at risk. */
  churn_probability: number | null;
  /** Null (unknown) multiplies by 1.0. */
  tier: Tier | null;
  /** The task's priority ('urgent' | 'high' | 'standard' | 'low'). */
  priority: TaskPriority;
  /** Days since the task's due date at the moment of reading; negative (not yet due) counts as 0. */
  days_overdue: number;
  /** Days until the customer's renewal date (negative once passed); null when there is no renewal date. */
  days_to_renewal: number | null;
}

export interface PriorityBreakdown {
  /** arr * churn_probability / 1000, before the tier multiplier. */
  revenue_risk: number;
  /** days_overdue (floored at 0) ^ 1.5 * 10, before the tier multiplier. */
  overdue: number;
  tier_multiplier: number;
  priority_base: number;
  renewal_bonus: number;
  /** (revenue_risk + overdue) * tier_multiplier + priority_base + renewal_bonus, unrounded. */
  raw_score: number;
  /** Math.round(raw_score): the priority_score. */
  score: number;
}

const finiteOrZero = (value: number | null): number => (value !== null && Number.isFinite(value) ? value : 0);

/** The renewal bonus for a number of days until renewal (null: no renewal date, no bonus). */
export function renewalBonus(daysToRenewal: number | null): number {
  if (daysToRenewal === null || Number.isNaN(daysToRenewal)) return 0;
  for (const band of RENEWAL_BONUS_BANDS) {
    if (daysToRenewal <= band.max_days) return band.bonus;
  }
  return 0;
}

/** Every term of the score, for explaining a task's place in the queue. */
export function priorityScoreBreakdown(input: PriorityInput): PriorityBreakdown {
  // 1. Revenue at risk
  const revenueRisk =
    (finiteOrZero(input.arr) * finiteOrZero(input.churn_probability)) / REVENUE_RISK_DIVISOR;
  // 2. Days overdue (exponential increase)
  const daysOverdue = Math.max(0, finiteOrZero(input.days_overdue));
  const overdue = daysOverdue ** OVERDUE_EXPONENT * OVERDUE_WEIGHT;
  // 3. Customer tier multiplier (`|| 1.0` in the seed: an unknown tier read from data counts as 1.0)
  const tierMultiplier =
    (input.tier !== null ? TIER_MULTIPLIER[input.tier] : undefined) ?? DEFAULT_TIER_MULTIPLIER;
  // 4. Task priority base
  const priorityBase = PRIORITY_BASE[input.priority];
  // 5. Time sensitivity (renewal date proximity)
  const bonus = renewalBonus(input.days_to_renewal);

  const raw = (revenueRisk + overdue) * tierMultiplier + priorityBase + bonus;
  return {
    revenue_risk: revenueRisk,
    overdue,
    tier_multiplier: tierMultiplier,
    priority_base: priorityBase,
    renewal_bonus: bonus,
    raw_score: raw,
    score: Math.round(raw),
  };
}

/** The task's priority_score, an integer; higher is more urgent. */
export function computePriorityScore(input: PriorityInput): number {
  return priorityScoreBreakdown(input).score;
}

/** Churn probability for a churn-risk level; null (not yet assessed) gives null (no revenue at risk). */
export function churnProbabilityFor(
  level: ChurnLevel | null,
  mapping: Readonly<Record<ChurnLevel, number>> = CHURN_PROBABILITY,
): number | null {
  return level === null ? null : mapping[level];
}
