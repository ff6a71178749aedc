/**
 * One account through the domain rules: CSM health score, trend against its history, churn assessment.
 * Pure (no I/O) so the scan, the single-account assessment and the bench's baseline judge alike.
 */
import { daysSince, daysUntil } from "../../domain/calendar.js";
import { assessChurn, churnSeverity } from "../../domain/churn.js";
import { healthScanIneligibility } from "../../domain/eligibility.js";
import { type CsmHealthResult, scoreCsmHealth } from "../../domain/health/csm-score.js";
import { UnusableSignalsError } from "../../domain/health/csm-validation.js";
import { computeTrend, type HealthTrend, type ScorePoint } from "../../domain/health/trend.js";
import type { Account, ChurnLevel, Rag } from "../../domain/types.js";
import { errorMessage } from "../../errors.js";
import type { HealthDetail } from "../../store/health-detail.js";
import type { CsmSettings } from "./settings.js";

export interface PreviousScan {
  score: number;
  rag: Rag;
  at: string;
}

/**
 * The fields of an account a health scan keeps from the records and reads: the signals, what an alert
 * shows (name, owner, channel, ARR, renewal), and the values the scan wrote last (to write only changes).
 */
export const SCAN_ACCOUNT_FIELDS = [
  "id",
  "name",
  "status",
  "tier",
  "arr",
  "csm_owner",
  "slack_channel",
  "renewal_date",
  "last_login",
  "last_interaction",
  "seats_purchased",
  "seats_used",
  "feature_adoption",
  "nps",
  "escalations_90d",
  "usage_trend",
  "payment_status",
  "stakeholder_engagement",
  "ticket_sentiment",
  "health_status",
  "csm_health_score",
  "csm_health_rag",
  "churn_risk",
] as const satisfies readonly (keyof Account)[];
export type ScanAccount = Pick<Account, (typeof SCAN_ACCOUNT_FIELDS)[number]>;

export interface AccountInputs {
  account: ScanAccount;
  openTickets: number;
  /** TAM escalations received over the bus in the last 90 days. */
  extraEscalations: number;
  /** Earlier scores of the account (any order); rows of the current scan are excluded by the caller. */
  history: ScorePoint[];
  previous: PreviousScan | null;
}

export type { HealthDetail } from "../../store/health-detail.js";

export interface ScoredAccount {
  kind: "scored";
  account_id: string;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  severity: number;
  should_alert: boolean;
  /** Score, RAG or churn level differ from what the records hold. */
  changed: boolean;
  detail: HealthDetail;
}

export interface SkippedAccount {
  kind: "skipped";
  account_id: string;
  reason: string;
}

export type AccountOutcome = ScoredAccount | SkippedAccount;

export function scoreAccount(inputs: AccountInputs, now: Date, settings: CsmSettings): AccountOutcome {
  const { account } = inputs;
  const skip = (reason: string): SkippedAccount => ({ kind: "skipped", account_id: account.id, reason });
  const ineligible = healthScanIneligibility(account);
  if (ineligible) return skip(ineligible);

  let health: CsmHealthResult;
  try {
    health = scoreCsmHealth(account, {
      now,
      openTickets: inputs.openTickets,
      extraEscalations: inputs.extraEscalations,
      thresholds: settings.thresholds,
      ...(settings.weights ? { weights: settings.weights } : {}),
    });
  } catch (err) {
    if (err instanceof UnusableSignalsError) {
      return skip(`unusable signals: ${err.problems.map((p) => `${p.field} ${p.problem}`).join("; ")}`);
    }
    return skip(`scoring failed: ${errorMessage(err)}`);
  }

  const nowIso = now.toISOString();
  const past = inputs.history.filter((p) => p.at !== nowIso);
  const trend = past.length > 0 ? computeTrend(past, { at: nowIso, score: health.score }, now) : null;
  const churn = assessChurn({
    rag: health.rag,
    renewal_days: daysUntil(account.renewal_date, now),
    usage_trend: account.usage_trend,
    days_since_login: daysSince(account.last_login, now),
    trend_direction: trend?.direction ?? null,
    previous_rag: inputs.previous?.rag ?? null,
  });

  const changed =
    account.csm_health_score !== health.score ||
    account.csm_health_rag !== health.rag ||
    account.churn_risk !== churn.level;

  return {
    kind: "scored",
    account_id: account.id,
    score: health.score,
    rag: health.rag,
    churn_level: churn.level,
    severity: churnSeverity(churn.level),
    should_alert: churn.should_alert,
    changed,
    detail: {
      breakdown: health.breakdown,
      missing_signals: health.missing_signals,
      data_completeness: health.data_completeness,
      confidence: health.confidence,
      top_drivers: health.top_drivers,
      tam_multiplier: health.tam_multiplier,
      trend,
      churn,
      previous_score: inputs.previous?.score ?? null,
      previous_rag: inputs.previous?.rag ?? null,
      open_tickets: inputs.openTickets,
      tam_escalations: inputs.extraEscalations,
    },
  };
}

/** Trend word for tables and results: "new" on a first scan. */
export const trendLabel = (trend: HealthTrend | null): string => trend?.direction ?? "new";
