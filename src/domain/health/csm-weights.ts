/**
 * The weights of the CSM health signals and the RAG bands, with the configured overrides checked:
 * configuration arrives from outside the type system, so a bad value fails loudly instead of scoring
 * silently with the default.
 */
import type { Rag, TamStatus } from "../types.js";
import { CSM_SIGNALS, type CsmSignal } from "./csm-signals.js";

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

export function resolveWeights(overrides: Partial<CsmWeights> | undefined): Readonly<CsmWeights> {
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

export function resolveThresholds(overrides: Partial<RagThresholds> | undefined): Readonly<RagThresholds> {
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
