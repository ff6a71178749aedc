/**
 * How far a reader can trust a health scan's result: high when every account in scope was scored and
 * everything it decided reached its channel, medium when something did not, low when nothing could be
 * scored. Pure.
 */
import type { Confidence } from "./csm-weights.js";

/** Why an account was skipped: out of the scan's scope, unreadable in the records, or unscorable. */
export type SkipCause = "ineligible" | "unreadable" | "unscorable";

export interface CsmScanTally {
  /** Accounts loaded for the scan. */
  total: number;
  scored: number;
  skipped: readonly SkipCause[];
  /** Some alert channel failed. */
  channelFailures: boolean;
  /** Accounts whose changed values could not be written to the records. */
  recordsFailed: number;
}

/** An ineligible account was never in scope, so skipping it costs no confidence. */
export function csmScanConfidence(t: CsmScanTally): Confidence {
  if (t.total > 0 && t.scored === 0) return "low";
  const gaps = t.skipped.some((cause) => cause !== "ineligible") || t.channelFailures || t.recordsFailed > 0;
  return gaps ? "medium" : "high";
}

/** Like a CSM scan: anything that did not reach its channel lowers the confidence a reader can place. */
export const tamScanConfidence = (t: {
  recordsFailed: number;
  escalationFailures: boolean;
}): Exclude<Confidence, "low"> => (t.recordsFailed > 0 || t.escalationFailures ? "medium" : "high");
