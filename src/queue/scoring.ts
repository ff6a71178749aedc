/**
 * The queue's use of the priority score (src/domain/priority.ts).
 *
 * The score splits into a part that only changes when the customer or the task changes, and a part that
 * moves with the clock:
 *
 *   score = round( revenue_risk * tier + priority_base            <- static_score, stored on the task
 *                + overdue(days_overdue) * tier + renewal_bonus )  <- depends on "now"
 *
 * The store keeps static_score (indexed) so the queue can find the best candidates fast; the exact score
 * is always computed when read, from the stored inputs, by the domain function itself. Because the
 * time-dependent part is bounded by MAX_TIER_MULTIPLIER * overdue(days) + MAX_RENEWAL_BONUS, a reader can
 * tell when no unread task can still make the top of the queue (see ranking.ts).
 *
 * That bound is loose for a queue with long-overdue work, so the store also keeps floor_score: the raw
 * score at floor_at, from the task's current inputs. With its inputs unchanged a task's score never falls
 * as time passes (days overdue and the renewal bonus only grow; every factor is positive), so floor_score
 * is a lower bound of its score at any instant from floor_at on, and what the clock can add since then is
 * small and bounded (floorUpperBound). Every write that changes an input (ARR, tier, churn risk, renewal
 * date, due date) takes the floor anew; a refresh at boot and on every generation run keeps floors young.
 * floor_at = FLOOR_UNSET marks a row whose floor was never taken (then the static part serves).
 */
import { daysSince, daysUntil, MS_PER_DAY, tryParseIso } from "../domain/calendar.js";
import {
  CHURN_PROBABILITY,
  churnProbabilityFor,
  computePriorityScore,
  OVERDUE_EXPONENT,
  OVERDUE_WEIGHT,
  PRIORITY_BASE,
  type PriorityBreakdown,
  priorityScoreBreakdown,
  RENEWAL_BONUS_BANDS,
  TASK_PRIORITIES,
  type TaskPriority,
  TIER_MULTIPLIER,
} from "../domain/priority.js";
import { type Account, CHURN_LEVELS, type ChurnLevel, TIERS, type Tier } from "../domain/types.js";

export type ChurnProbabilities = Readonly<Record<ChurnLevel, number>>;

/** The default churn probabilities (domain/priority.ts) with the configured overrides (QUEUE_CHURN_PROBABILITIES). */
export function resolveChurnProbabilities(
  overrides: Partial<Record<ChurnLevel, number>> | undefined,
): ChurnProbabilities {
  return Object.freeze({ ...CHURN_PROBABILITY, ...(overrides ?? {}) });
}

/** The customer's inputs to the score, as stored on each of its open tasks. */
export interface CustomerSnapshot {
  customer_id: string;
  customer_name: string;
  arr: number | null;
  tier: Tier | null;
  churn_risk: ChurnLevel | null;
  renewal_date: string | null;
}

export function snapshotOf(account: Account, churnRisk: ChurnLevel | null): CustomerSnapshot {
  return {
    customer_id: account.id,
    customer_name: account.name,
    arr: account.arr,
    tier: account.tier,
    churn_risk: churnRisk,
    renewal_date: account.renewal_date,
  };
}

/** The inputs a stored task row carries (its columns). */
export interface ScoreInputs {
  priority: string;
  due_date: string;
  arr: number | null;
  tier: string | null;
  churn_risk: string | null;
  renewal_date: string | null;
}

export const asTier = (v: string | null): Tier | null =>
  v !== null && (TIERS as readonly string[]).includes(v) ? (v as Tier) : null;
export const asChurnLevel = (v: string | null): ChurnLevel | null =>
  v !== null && (CHURN_LEVELS as readonly string[]).includes(v) ? (v as ChurnLevel) : null;
export const asPriority = (v: string): TaskPriority =>
  (TASK_PRIORITIES as readonly string[]).includes(v) ? (v as TaskPriority) : "standard";

/** The time-independent part: revenue_risk * tier + priority_base (no overdue days, no renewal bonus). */
export function staticScore(
  inputs: Omit<ScoreInputs, "due_date" | "renewal_date">,
  probabilities: ChurnProbabilities,
): number {
  return priorityScoreBreakdown({
    arr: inputs.arr,
    churn_probability: churnProbabilityFor(asChurnLevel(inputs.churn_risk), probabilities),
    tier: asTier(inputs.tier),
    priority: asPriority(inputs.priority),
    days_overdue: 0,
    days_to_renewal: null,
  }).raw_score;
}

function domainInput(inputs: ScoreInputs, now: Date, probabilities: ChurnProbabilities) {
  return {
    arr: inputs.arr,
    churn_probability: churnProbabilityFor(asChurnLevel(inputs.churn_risk), probabilities),
    tier: asTier(inputs.tier),
    priority: asPriority(inputs.priority),
    days_overdue: daysSince(inputs.due_date, now) ?? 0,
    days_to_renewal: daysUntil(inputs.renewal_date, now),
  };
}

/** floor_at of a task whose floor was never taken (migration 0010's column default). */
export const FLOOR_UNSET = "1970-01-01T00:00:00.000Z";

/** The unrounded priority score of a task at `now` (what floor_score stores). */
export function currentRawScore(inputs: ScoreInputs, now: Date, probabilities: ChurnProbabilities): number {
  return priorityScoreBreakdown(domainInput(inputs, now, probabilities)).raw_score;
}

/** The exact priority score of a task at `now`. */
export function currentScore(inputs: ScoreInputs, now: Date, probabilities: ChurnProbabilities): number {
  return computePriorityScore(domainInput(inputs, now, probabilities));
}

export function currentBreakdown(
  inputs: ScoreInputs,
  now: Date,
  probabilities: ChurnProbabilities,
): PriorityBreakdown {
  return priorityScoreBreakdown(domainInput(inputs, now, probabilities));
}

export const MAX_TIER_MULTIPLIER = Math.max(...Object.values(TIER_MULTIPLIER), 1);
export const MAX_RENEWAL_BONUS = Math.max(0, ...RENEWAL_BONUS_BANDS.map((b) => b.bonus));
export const MIN_PRIORITY_BASE = Math.min(...Object.values(PRIORITY_BASE));

/** The overdue term of the score (days overdue ^ 1.5 * 10), before the tier multiplier. */
export function overdueTerm(daysOverdue: number): number {
  return Math.max(0, daysOverdue) ** OVERDUE_EXPONENT * OVERDUE_WEIGHT;
}

/**
 * The highest raw score any task can have at `now` when its static_score is at most `staticMax` and its
 * due date is no earlier than `dueMin`.
 */
export function scoreUpperBound(staticMax: number, dueMin: string, now: Date): number {
  return staticMax + MAX_TIER_MULTIPLIER * overdueTerm(daysSince(dueMin, now) ?? 0) + MAX_RENEWAL_BONUS;
}

/**
 * The highest raw score any task can have at `now` when its floor_score (its raw score at its floor_at) is
 * at most `floorMax`, its due date is no earlier than `dueMin`, and its floor was taken no earlier than
 * `oldestFloorAt` (and no later than now).
 *
 * Since its floor, a task's score grew by tier * (overdue(d_now) - overdue(d_then)) + (bonus_now -
 * bonus_then). Its whole days overdue grew by at most c = ceil(days since oldestFloorAt), so with d_now <=
 * d = days since dueMin the overdue growth is at most overdue(d) - overdue(max(0, d - c)) (overdue is
 * convex and increasing, so that difference grows with d); the bonus grows by at most MAX_RENEWAL_BONUS.
 */
export function floorUpperBound(floorMax: number, dueMin: string, now: Date, oldestFloorAt: string): number {
  const d = daysSince(dueMin, now) ?? 0;
  const at = tryParseIso(oldestFloorAt);
  // An unreadable floor time bounds nothing: allow the whole overdue term.
  const c = at
    ? Math.max(0, Math.ceil((now.getTime() - at.getTime()) / MS_PER_DAY))
    : Number.POSITIVE_INFINITY;
  const growth = overdueTerm(d) - overdueTerm(Math.max(0, d - c));
  return floorMax + MAX_TIER_MULTIPLIER * growth + MAX_RENEWAL_BONUS;
}
