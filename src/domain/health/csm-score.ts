/**
 * CSM (commercial) health score: 11 signals, each mapped to a sub-score in 0..1 and weighted to 0..100.
 * Deterministic so that a rep can re-derive every point from the breakdown. The signals, weights,
 * validation and trend live beside it; this module is the score and the names its callers use.
 */

import type { Rag } from "../types.js";
import {
  CSM_SIGNALS,
  type CsmSignal,
  type CsmSignalInputs,
  type ParsedDates,
  readSignals,
} from "./csm-signals.js";
import { findProblems, UnusableSignalsError } from "./csm-validation.js";
import {
  type Confidence,
  type CsmWeights,
  confidenceFor,
  type RagThresholds,
  ragFor,
  resolveThresholds,
  resolveWeights,
  TAM_STATUS_MULTIPLIERS,
} from "./csm-weights.js";
import { roundTo } from "./round.js";

export { CSM_SIGNALS, type CsmSignal, type CsmSignalInputs } from "./csm-signals.js";
export { type SignalProblem, UnusableSignalsError, validateSignals } from "./csm-validation.js";
export {
  type Confidence,
  type CsmWeights,
  confidenceFor,
  DEFAULT_CSM_WEIGHTS,
  DEFAULT_RAG_THRESHOLDS,
  type RagThresholds,
  ragFor,
  TAM_STATUS_MULTIPLIERS,
} from "./csm-weights.js";
export {
  computeTrend,
  type HealthTrend,
  type ScorePoint,
  TREND_RULES,
  type TrendDirection,
} from "./trend.js";

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
