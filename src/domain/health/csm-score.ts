/**
 * CSM (commercial) health score: 11 signals, each mapped to a sub-score in 0..1 and weighted to 0..100
 * (issue 3, item 1). Deterministic so that a rep can re-derive every point from the breakdown.
 */
import { daysBetween, MS_PER_DAY, tryParseIso } from "../calendar.js";
import {
  type Account,
  ENGAGEMENT_LEVELS,
  type EngagementLevel,
  PAYMENT_STATUSES,
  type PaymentStatus,
  type Rag,
  TAM_STATUSES,
  type TamStatus,
  TICKET_SENTIMENTS,
  type TicketSentiment,
  USAGE_TRENDS,
  type UsageTrend,
} from "../types.js";

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

export type CsmWeights = Record<CsmSignal, number>;

export const DEFAULT_CSM_WEIGHTS: Readonly<CsmWeights> = Object.freeze({
  feature_adoption: 15,
  usage_trend: 12,
  days_since_login: 10,
  days_since_interaction: 8,
  payment_status: 10,
  support: 10,
  stakeholder_engagement: 8,
  nps: 7,
  days_to_renewal: 7,
  seat_utilization: 8,
  escalations_90d: 5,
});

/** score >= green is GREEN, score >= amber is AMBER, anything lower is RED. */
export interface RagThresholds {
  green: number;
  amber: number;
}

export const DEFAULT_RAG_THRESHOLDS: Readonly<RagThresholds> = Object.freeze({ green: 70, amber: 40 });

/** TAM's technical status drags the commercial score: a failing integration is a churn risk too. */
export const TAM_STATUS_MULTIPLIERS: Readonly<Record<TamStatus, number>> = Object.freeze({
  Green: 1,
  Amber: 0.95,
  Red: 0.85,
});

export type Confidence = "high" | "medium" | "low";

export interface CsmBreakdownEntry {
  signal: CsmSignal;
  /** The input as read: a number (days, ratio, count) or a category. */
  value: number | string;
  sub_score: number;
  /** The configured weight, before renormalization over the signals present. */
  weight: number;
  points: number;
  /** Points this signal would give at a perfect sub-score, after renormalization. */
  max_points: number;
}

export interface CsmHealthResult {
  score: number;
  rag: Rag;
  breakdown: CsmBreakdownEntry[];
  /** Signals with a non-zero weight but no data: left out of the score, not counted as zero. */
  missing_signals: CsmSignal[];
  data_completeness: number;
  confidence: Confidence;
  /** Up to three signals that cost the most points, worst first; a signal that cost nothing is no driver. */
  top_drivers: CsmSignal[];
  tam_multiplier: number;
}

export interface CsmScoreContext {
  now: Date;
  /** Open (Open or Pending) tickets of the account; the records port keeps tickets apart from accounts. */
  openTickets: number;
  /** TAM escalations not yet reflected in `escalations_90d` (the `tam.escalation_raised` hand-off). */
  extraEscalations?: number;
  weights?: Partial<CsmWeights>;
  thresholds?: Partial<RagThresholds>;
}

export interface SignalProblem {
  field: string;
  problem: string;
}

export class UnusableSignalsError extends Error {
  override readonly name = "UnusableSignalsError";
  readonly accountId: string;
  readonly problems: SignalProblem[];

  constructor(accountId: string, problems: SignalProblem[]) {
    super(
      `account ${accountId} has unusable health signals: ${problems.map((p) => `${p.field}: ${p.problem}`).join("; ")}`,
    );
    this.accountId = accountId;
    this.problems = problems;
  }
}

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

/** Float noise (0.7 - 0.3 = 0.39999…) would otherwise leak into the breakdown. */
const roundTo = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

interface Reading {
  value: number | string;
  sub_score: number;
}

const DATE_FIELDS = ["renewal_date", "last_login", "last_interaction"] as const;
type DateField = (typeof DATE_FIELDS)[number];
type ParsedDates = Partial<Record<DateField, Date>>;

/** Reads the signals an account has. Assumes findProblems found no problem and parsed its dates. */
function readSignals(
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

function resolveWeights(overrides: Partial<CsmWeights> | undefined): Readonly<CsmWeights> {
  // The common case, once per account of a 10,000-account scan: nothing to merge or check.
  if (overrides === undefined) return DEFAULT_CSM_WEIGHTS;
  const weights: CsmWeights = { ...DEFAULT_CSM_WEIGHTS };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    // Config arrives from outside the type system: a misspelt signal must not silently keep the default.
    if (!(CSM_SIGNALS as readonly string[]).includes(key)) {
      throw new RangeError(`Unknown CSM health signal in weights: "${key}"`);
    }
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`CSM weight for ${key} must be a finite number >= 0, got ${value}`);
    }
    weights[key as CsmSignal] = value;
  }
  if (CSM_SIGNALS.every((s) => weights[s] === 0)) throw new RangeError("CSM weights are all zero");
  return weights;
}

function resolveThresholds(overrides: Partial<RagThresholds> | undefined): Readonly<RagThresholds> {
  if (overrides === undefined) return DEFAULT_RAG_THRESHOLDS;
  const t = { ...DEFAULT_RAG_THRESHOLDS, ...overrides };
  if (!Number.isFinite(t.green) || !Number.isFinite(t.amber) || t.amber > t.green) {
    throw new RangeError(`RAG thresholds need amber <= green, got amber ${t.amber}, green ${t.green}`);
  }
  return t;
}

export function ragFor(score: number, thresholds: RagThresholds = DEFAULT_RAG_THRESHOLDS): Rag {
  return score >= thresholds.green ? "GREEN" : score >= thresholds.amber ? "AMBER" : "RED";
}

export function confidenceFor(dataCompleteness: number): Confidence {
  return dataCompleteness < 0.5 ? "low" : dataCompleteness < 0.8 ? "medium" : "high";
}

function checkEnum(
  problems: SignalProblem[],
  field: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (value !== null && !allowed.includes(value as string)) {
    problems.push({ field, problem: `"${String(value)}" is not one of ${allowed.join(", ")}` });
  }
}

function checkNumber(
  problems: SignalProblem[],
  field: string,
  value: number | null,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (value === null) return;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.push({ field, problem: `${String(value)} is not a finite number` });
  } else if (value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `within ${min}..${max}`;
    problems.push({ field, problem: `${value} is not ${range}` });
  }
}

/**
 * Lists what makes an account's signals unusable for scoring: out-of-range or malformed values, or no
 * weighted signal at all. An empty list means scoreCsmHealth will score it.
 */
export function validateSignals(
  account: CsmSignalInputs,
  options: { extraEscalations?: number; weights?: Partial<CsmWeights> } = {},
): SignalProblem[] {
  return findProblems(account, options.extraEscalations ?? 0, resolveWeights(options.weights));
}

/** The problems of an account's signals; the dates that parse are put in `dates`, so each is parsed once. */
function findProblems(
  account: CsmSignalInputs,
  extraEscalations: number,
  weights: Readonly<CsmWeights>,
  dates: ParsedDates = {},
): SignalProblem[] {
  const problems: SignalProblem[] = [];
  checkNumber(problems, "feature_adoption", account.feature_adoption, 0, 1);
  checkNumber(problems, "nps", account.nps, 0, 10);
  checkNumber(problems, "seats_purchased", account.seats_purchased, 0);
  checkNumber(problems, "seats_used", account.seats_used, 0);
  checkNumber(problems, "escalations_90d", account.escalations_90d, 0);
  checkNumber(problems, "extra_escalations", extraEscalations, 0);
  for (const field of DATE_FIELDS) {
    const value = account[field];
    if (value === null) continue;
    const parsed = typeof value === "string" ? tryParseIso(value) : null;
    if (parsed === null) problems.push({ field, problem: `"${String(value)}" is not an ISO-8601 date` });
    else dates[field] = parsed;
  }
  checkEnum(problems, "usage_trend", account.usage_trend, USAGE_TRENDS);
  checkEnum(problems, "payment_status", account.payment_status, PAYMENT_STATUSES);
  checkEnum(problems, "stakeholder_engagement", account.stakeholder_engagement, ENGAGEMENT_LEVELS);
  checkEnum(problems, "ticket_sentiment", account.ticket_sentiment, TICKET_SENTIMENTS);
  checkEnum(problems, "health_status", account.health_status, TAM_STATUSES);

  // Presence only: the values may be broken (reported above), but a field that is there is not "missing".
  const present: Record<CsmSignal, boolean> = {
    feature_adoption: account.feature_adoption !== null,
    usage_trend: account.usage_trend !== null,
    days_since_login: account.last_login !== null,
    days_since_interaction: account.last_interaction !== null,
    payment_status: account.payment_status !== null,
    support: account.ticket_sentiment !== null,
    stakeholder_engagement: account.stakeholder_engagement !== null,
    nps: account.nps !== null,
    days_to_renewal: account.renewal_date !== null,
    seat_utilization:
      account.seats_purchased !== null && account.seats_purchased !== 0 && account.seats_used !== null,
    escalations_90d: account.escalations_90d !== null || extraEscalations > 0,
  };
  if (!CSM_SIGNALS.some((s) => present[s] && weights[s] > 0)) {
    problems.push({ field: "signals", problem: "no weighted health signal is present" });
  }
  return problems;
}

/**
 * Scores one account. Missing signals are left out and the remaining weights renormalized, so an account
 * is judged on what is known; `data_completeness` and `confidence` say how much that was.
 * Throws UnusableSignalsError when validateSignals reports problems.
 */
export function scoreCsmHealth(account: CsmSignalInputs, ctx: CsmScoreContext): CsmHealthResult {
  if (!Number.isInteger(ctx.openTickets) || ctx.openTickets < 0) {
    throw new RangeError(`openTickets must be a non-negative integer, got ${ctx.openTickets}`);
  }
  const weights = resolveWeights(ctx.weights);
  const thresholds = resolveThresholds(ctx.thresholds);
  const extraEscalations = ctx.extraEscalations ?? 0;
  const dates: ParsedDates = {};
  const problems = findProblems(account, extraEscalations, weights, dates);
  if (problems.length > 0) throw new UnusableSignalsError(account.id, problems);

  const readings = readSignals(account, dates, ctx.now, ctx.openTickets, extraEscalations);
  const totalWeight = CSM_SIGNALS.reduce((sum, s) => sum + weights[s], 0);
  const scored = CSM_SIGNALS.filter((s) => readings.has(s) && weights[s] > 0);
  const presentWeight = scored.reduce((sum, s) => sum + weights[s], 0);

  let raw = 0;
  const entries = scored.map((signal) => {
    const reading = readings.get(signal)!;
    const maxPoints = (weights[signal] / presentWeight) * 100;
    const points = reading.sub_score * maxPoints;
    raw += points;
    return { signal, reading, maxPoints, points };
  });

  const tamMultiplier = account.health_status === null ? 1 : TAM_STATUS_MULTIPLIERS[account.health_status];
  const score = roundTo(Math.min(100, Math.max(0, raw * tamMultiplier)), 1);
  const dataCompleteness = presentWeight / totalWeight;

  const topDrivers = entries
    .map((e) => ({ signal: e.signal, lost: e.maxPoints - e.points }))
    .filter((d) => d.lost > 1e-9)
    .sort((a, b) => b.lost - a.lost)
    .slice(0, 3)
    .map((d) => d.signal);

  return {
    score,
    // From the rounded score, so a displayed 70.0 is never AMBER.
    rag: ragFor(score, thresholds),
    breakdown: entries.map((e) => ({
      signal: e.signal,
      value: e.reading.value,
      sub_score: e.reading.sub_score,
      weight: weights[e.signal],
      points: roundTo(e.points, 2),
      max_points: roundTo(e.maxPoints, 2),
    })),
    missing_signals: CSM_SIGNALS.filter((s) => !readings.has(s) && weights[s] > 0),
    data_completeness: roundTo(dataCompleteness, 3),
    confidence: confidenceFor(dataCompleteness),
    top_drivers: topDrivers,
    tam_multiplier: tamMultiplier,
  };
}

export type TrendDirection = "improving" | "stable" | "declining" | "falling_fast";

export interface ScorePoint {
  at: string;
  score: number;
}

export interface HealthTrend {
  change_since_previous: number | null;
  /** Points per day, least squares over the last 30 days including the current score. */
  slope_30d: number | null;
  direction: TrendDirection;
}

export const TREND_RULES = Object.freeze({
  slopeWindowDays: 30,
  fallingFastWindowDays: 14,
  fallingFastDrop: 10,
  /** Below this many points per day either way, movement is noise. */
  slopeThreshold: 0.1,
});

function pointTime(point: ScorePoint): number {
  const parsed = tryParseIso(point.at);
  if (!parsed) throw new RangeError(`Invalid health history timestamp: "${point.at}"`);
  return parsed.getTime();
}

/**
 * Trend of the current score against the account's history (any order). A history row at the same
 * instant as `current` is the current scan already persisted, so it is not its own predecessor.
 */
export function computeTrend(history: readonly ScorePoint[], current: ScorePoint, now: Date): HealthTrend {
  const currentTime = pointTime(current);
  const nowTime = now.getTime();
  const past = history
    .map((p) => ({ t: pointTime(p), score: p.score }))
    .filter((p) => p.t !== currentTime)
    .sort((a, b) => a.t - b.t);

  const previous = past.filter((p) => p.t < currentTime).at(-1);
  const changeSincePrevious = previous === undefined ? null : roundTo(current.score - previous.score, 1);

  const slopeStart = nowTime - TREND_RULES.slopeWindowDays * MS_PER_DAY;
  const windowPoints = [...past, { t: currentTime, score: current.score }].filter((p) => p.t >= slopeStart);
  const slope = leastSquaresSlope(windowPoints.map((p) => ({ x: (p.t - nowTime) / MS_PER_DAY, y: p.score })));

  const fastStart = nowTime - TREND_RULES.fallingFastWindowDays * MS_PER_DAY;
  const recentMax = Math.max(...past.filter((p) => p.t >= fastStart).map((p) => p.score));
  let direction: TrendDirection = "stable";
  if (recentMax - current.score >= TREND_RULES.fallingFastDrop) direction = "falling_fast";
  else if (slope !== null && slope >= TREND_RULES.slopeThreshold) direction = "improving";
  else if (slope !== null && slope <= -TREND_RULES.slopeThreshold) direction = "declining";

  return {
    change_since_previous: changeSincePrevious,
    slope_30d: slope === null ? null : roundTo(slope, 3),
    direction,
  };
}

function leastSquaresSlope(points: { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const meanX = points.reduce((s, p) => s + p.x, 0) / points.length;
  const meanY = points.reduce((s, p) => s + p.y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  // All points at one instant: no time axis to fit.
  return den === 0 ? null : num / den;
}
