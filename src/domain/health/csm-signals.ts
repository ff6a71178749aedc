/**
 * The 11 signals of the CSM health score and how each reads an account: the input as shown in the
 * breakdown and its sub-score in 0..1.
 */
import { daysBetween } from "../calendar.js";
import type { Account, EngagementLevel, PaymentStatus, TicketSentiment, UsageTrend } from "../types.js";
import { roundTo } from "./round.js";

export const CSM_SIGNALS = [
  "feature_adoption",
  "usage_trend",
  "days_since_login",
  "days_since_interaction",
  "payment_status",
  "support",
  "stakeholder_engagement",
  "nps",
  "days_to_renewal",
  "seat_utilization",
  "escalations_90d",
] as const;
export type CsmSignal = (typeof CSM_SIGNALS)[number];

/** The fields of an account the CSM score reads (any Account is one). */
export type CsmSignalInputs = Pick<
  Account,
  | "id"
  | "feature_adoption"
  | "usage_trend"
  | "last_login"
  | "last_interaction"
  | "payment_status"
  | "ticket_sentiment"
  | "stakeholder_engagement"
  | "nps"
  | "renewal_date"
  | "seats_purchased"
  | "seats_used"
  | "escalations_90d"
  | "health_status"
>;

const USAGE_TREND_SUB: Record<UsageTrend, number> = { growing: 1, stable: 0.7, declining: 0.2, inactive: 0 };
const PAYMENT_SUB: Record<PaymentStatus, number> = {
  current: 1,
  overdue_30: 0.6,
  overdue_60: 0.3,
  overdue_90_plus: 0,
};
const SENTIMENT_SUB: Record<TicketSentiment, number> = {
  positive: 1,
  neutral: 0.7,
  negative: 0.3,
  critical: 0,
};
const ENGAGEMENT_SUB: Record<EngagementLevel, number> = { high: 1, medium: 0.6, low: 0.2 };

/** Tickets up to this many are normal traffic; each one beyond costs the support sub-score 0.1. */
const FREE_OPEN_TICKETS = 2;

const loginSub = (days: number): number => (days <= 7 ? 1 : days <= 30 ? 0.7 : days <= 60 ? 0.4 : 0);
const interactionSub = (days: number): number => (days <= 30 ? 1 : days <= 60 ? 0.7 : days <= 90 ? 0.4 : 0);
const npsSub = (nps: number): number => (nps >= 9 ? 1 : nps >= 7 ? 0.7 : nps >= 5 ? 0.4 : 0);
const renewalSub = (days: number): number =>
  days > 180 ? 1 : days > 90 ? 0.8 : days > 60 ? 0.6 : days > 30 ? 0.3 : 0.1;
// Over-deployment (more seats used than bought) is healthy usage but an unsettled contract, hence .9.
const seatSub = (ratio: number): number => (ratio > 1 ? 0.9 : ratio >= 0.8 ? 1 : ratio >= 0.5 ? 0.6 : 0.2);
const escalationSub = (count: number): number => (count <= 0 ? 1 : count === 1 ? 0.5 : 0);
const supportSub = (sentiment: TicketSentiment, openTickets: number): number =>
  Math.max(0, SENTIMENT_SUB[sentiment] - 0.1 * Math.max(0, openTickets - FREE_OPEN_TICKETS));

export interface Reading {
  value: number | string;
  sub_score: number;
}

export const DATE_FIELDS = ["renewal_date", "last_login", "last_interaction"] as const;
type DateField = (typeof DATE_FIELDS)[number];
export type ParsedDates = Partial<Record<DateField, Date>>;

/** Reads the signals an account has. Assumes findProblems found no problem and parsed its dates. */
export function readSignals(
  account: CsmSignalInputs,
  dates: ParsedDates,
  now: Date,
  openTickets: number,
  extraEscalations: number,
) {
  const readings = new Map<CsmSignal, Reading>();
  const put = (signal: CsmSignal, value: number | string, sub: number) =>
    readings.set(signal, { value, sub_score: roundTo(sub, 6) });

  if (account.feature_adoption !== null) {
    put("feature_adoption", account.feature_adoption, account.feature_adoption);
  }
  if (account.usage_trend !== null) {
    put("usage_trend", account.usage_trend, USAGE_TREND_SUB[account.usage_trend]);
  }
  const loginDays = dates.last_login ? daysBetween(dates.last_login, now) : null;
  if (loginDays !== null) put("days_since_login", loginDays, loginSub(loginDays));
  const interactionDays = dates.last_interaction ? daysBetween(dates.last_interaction, now) : null;
  if (interactionDays !== null)
    put("days_since_interaction", interactionDays, interactionSub(interactionDays));
  if (account.payment_status !== null) {
    put("payment_status", account.payment_status, PAYMENT_SUB[account.payment_status]);
  }
  // The open-ticket count only adjusts the sentiment's base; without a sentiment there is no base.
  if (account.ticket_sentiment !== null) {
    put(
      "support",
      `${account.ticket_sentiment}, ${openTickets} open tickets`,
      supportSub(account.ticket_sentiment, openTickets),
    );
  }
  if (account.stakeholder_engagement !== null) {
    put(
      "stakeholder_engagement",
      account.stakeholder_engagement,
      ENGAGEMENT_SUB[account.stakeholder_engagement],
    );
  }
  if (account.nps !== null) put("nps", account.nps, npsSub(account.nps));
  const renewalDays = dates.renewal_date ? daysBetween(now, dates.renewal_date) : null;
  if (renewalDays !== null) put("days_to_renewal", renewalDays, renewalSub(renewalDays));
  // Zero seats purchased says nothing about utilization (free pilot, unsynced contract): missing.
  if (account.seats_purchased !== null && account.seats_purchased > 0 && account.seats_used !== null) {
    const ratio = account.seats_used / account.seats_purchased;
    put("seat_utilization", roundTo(ratio, 3), seatSub(ratio));
  }
  if (account.escalations_90d !== null || extraEscalations > 0) {
    const count = (account.escalations_90d ?? 0) + extraEscalations;
    put("escalations_90d", count, escalationSub(count));
  }
  return readings;
}
