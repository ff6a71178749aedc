/**
 * Churn risk from two triggers: contract proximity (weak health close to renewal) and behavioural
 * decline (usage falling while people stop logging in). Rules, not a model, so that the level is
 * explainable; the LLM only narrates it.
 */
import type { TrendDirection } from "./health/trend.js";
import type { ChurnLevel, Rag, UsageTrend } from "./types.js";

export const CONTRACT_PROXIMITY_DAYS = 60;
export const BEHAVIOURAL_LOGIN_GAP_DAYS = 30;

/** Rough churn probabilities per level, for ARR-at-risk figures; overridable by config. */
export const CHURN_PROBABILITY_DEFAULT: Readonly<Record<ChurnLevel, number>> = Object.freeze({
  low: 0.05,
  medium: 0.2,
  high: 0.45,
  critical: 0.7,
});

const SEVERITY: Record<ChurnLevel, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const RAG_RANK: Record<Rag, number> = { GREEN: 0, AMBER: 1, RED: 2 };

/** 1 (low) .. 4 (critical): orders alerts (ARR x severity) and detects a rising level. */
export function churnSeverity(level: ChurnLevel): number {
  return SEVERITY[level];
}

/** True when the RAG moved towards RED since the previous scan; a first scan has nothing to worsen from. */
export function ragWorsened(previous: Rag | null, current: Rag): boolean {
  return previous !== null && RAG_RANK[current] > RAG_RANK[previous];
}

export interface ChurnInput {
  rag: Rag;
  /** Days until the renewal date (negative once passed), null when unknown. */
  renewal_days: number | null;
  usage_trend: UsageTrend | null;
  days_since_login: number | null;
  /** Null when there is no history yet. */
  trend_direction: TrendDirection | null;
  previous_rag: Rag | null;
}

export interface ChurnAssessment {
  level: ChurnLevel;
  contract_proximity: boolean;
  behavioural: boolean;
  reasons: string[];
  should_alert: boolean;
  alert_reasons: string[];
}

export function assessChurn(input: ChurnInput): ChurnAssessment {
  const { rag, renewal_days, usage_trend, days_since_login, trend_direction, previous_rag } = input;
  const reasons: string[] = [];

  // A renewal date already passed but never moved is a lapsing contract, so it counts as close too.
  const contractProximity =
    rag !== "GREEN" && renewal_days !== null && renewal_days <= CONTRACT_PROXIMITY_DAYS;
  if (contractProximity) {
    reasons.push(
      renewal_days < 0
        ? `${rag} health and the renewal date passed ${-renewal_days} days ago`
        : `${rag} health with renewal in ${renewal_days} days (within ${CONTRACT_PROXIMITY_DAYS})`,
    );
  }

  const usageFalling = usage_trend === "declining" || usage_trend === "inactive";
  const loginGap = days_since_login !== null && days_since_login >= BEHAVIOURAL_LOGIN_GAP_DAYS;
  const fallingFast = trend_direction === "falling_fast";
  const behavioural = usageFalling && (loginGap || fallingFast);
  if (behavioural) {
    const evidence: string[] = [];
    if (loginGap) evidence.push(`no login for ${days_since_login} days`);
    if (fallingFast) evidence.push("health score falling fast");
    reasons.push(`usage ${usage_trend} and ${evidence.join(" and ")}`);
  }

  let level: ChurnLevel;
  if (contractProximity && behavioural) level = "critical";
  else if (contractProximity) level = rag === "RED" ? "critical" : "high";
  else if (behavioural) level = rag === "GREEN" ? "medium" : "high";
  else {
    level = rag === "GREEN" ? "low" : "medium";
    reasons.push(
      rag === "GREEN"
        ? "GREEN health and no churn trigger"
        : `${rag} health without a contract-proximity or behavioural trigger`,
    );
  }

  const alertReasons: string[] = [];
  if (rag === "RED") alertReasons.push("health is RED");
  if (level === "high" || level === "critical") alertReasons.push(`churn risk is ${level}`);
  if (ragWorsened(previous_rag, rag)) alertReasons.push(`health worsened from ${previous_rag} to ${rag}`);
  if (fallingFast) alertReasons.push("health score is falling fast");

  return {
    level,
    contract_proximity: contractProximity,
    behavioural,
    reasons,
    should_alert: alertReasons.length > 0,
    alert_reasons: alertReasons,
  };
}

export type ChurnTrigger = "combined" | "contract_proximity" | "behavioural" | "none";

/** Which of the two triggers fired, as one word: what an on-demand assessment reports. */
export const churnTrigger = (a: Pick<ChurnAssessment, "contract_proximity" | "behavioural">): ChurnTrigger =>
  a.contract_proximity && a.behavioural
    ? "combined"
    : a.contract_proximity
      ? "contract_proximity"
      : a.behavioural
        ? "behavioural"
        : "none";
