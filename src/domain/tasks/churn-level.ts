/**
 * The churn-risk level the queue uses for a customer: the one the CSM agent recorded on the account, or,
 * for an account no health scan has reached yet, the level the same domain rules give from its signals.
 * Without this fallback a fresh book would have no at-risk tasks and no revenue at risk until the
 * first scan.
 */
import { daysSince, daysUntil } from "../calendar.js";
import { assessChurn } from "../churn.js";
import { type CsmWeights, scoreCsmHealth } from "../health/csm-score.js";
import type { Account, ChurnLevel } from "../types.js";

export interface ChurnEstimateContext {
  now: Date;
  openTickets: number;
  /** The health score fell 10+ points within 14 days (what computeTrend calls falling_fast). */
  fallingFast: boolean;
  thresholds: { green: number; amber: number };
  weights?: Partial<CsmWeights> | undefined;
}

export type ChurnLevelSource = "recorded" | "estimated" | "unknown";

export function churnLevelFor(
  account: Account,
  ctx: ChurnEstimateContext,
): { level: ChurnLevel | null; source: ChurnLevelSource } {
  if (account.churn_risk !== null) return { level: account.churn_risk, source: "recorded" };
  try {
    const health = scoreCsmHealth(account, {
      now: ctx.now,
      openTickets: ctx.openTickets,
      thresholds: ctx.thresholds,
      ...(ctx.weights ? { weights: ctx.weights } : {}),
    });
    const assessment = assessChurn({
      rag: health.rag,
      renewal_days: daysUntil(account.renewal_date, ctx.now),
      usage_trend: account.usage_trend,
      days_since_login: daysSince(account.last_login, ctx.now),
      trend_direction: ctx.fallingFast ? "falling_fast" : null,
      previous_rag: null,
    });
    return { level: assessment.level, source: "estimated" };
  } catch {
    // Unusable signals: no level rather than a guess.
    return { level: null, source: "unknown" };
  }
}
