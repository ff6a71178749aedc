/**
 * Expansion signals: deterministic detectors that propose evidence-backed candidates, one per opportunity
 * type and account. Each carries the numbers that triggered it, an estimated ARR impact priced from the
 * product catalogue, and a confidence in 0..1. A model may later drop a candidate or word its talk track, but
 * only these detectors decide what is an opportunity. Pure.
 */
import { hoursBetween, tryParseIso } from "./calendar.js";
import { ownedIntegrations, type ProductCatalogue } from "./catalogue.js";
import type { Account } from "./types.js";

export const EXPANSION_TYPES = ["seats", "module", "integration"] as const;
export type ExpansionType = (typeof EXPANSION_TYPES)[number];

/** Statuses of an Expansion Opportunities record that still await a decision. */
export const OPEN_OPPORTUNITY_STATUSES = ["New", "Dispatched"] as const;

export const EXPANSION_RULES = Object.freeze({
  /** Seats: a candidate at this utilization or above (above 1.0 the account is over its licence). */
  seatUtilizationMin: 0.9,
  /** Recommended seats bring utilization back to this level. */
  seatTargetUtilization: 0.8,
  /** Module: share of the module's signal features in use, at or above. */
  moduleFeatureShareMin: 0.5,
  /** An integration candidate is much stronger when API volume is this many times the threshold. */
  heavyApiMultiple: 5,
});

/** The figures behind a candidate: named numbers, plus the names they refer to. */
export type Evidence = Record<string, number | string | string[] | null>;

export interface ExpansionCandidate {
  opportunity_type: ExpansionType;
  /** The module or integration proposed; null for seats and for an integration of the rep's choosing. */
  product: string | null;
  /** One line for a rep, e.g. "Add 20 seats". */
  title: string;
  evidence: Evidence;
  /** The evidence in words, every figure from `evidence`. */
  evidence_summary: string;
  /** Whole dollars per year. */
  estimated_arr_impact: number;
  /** 0..1, two decimals. */
  confidence: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const clampConfidence = (n: number): number => round2(Math.min(0.95, Math.max(0.05, n)));
const pct = (share: number): string => `${Math.round(share * 100)}%`;
const usd = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;

/** Why an account is not considered for expansion, or null when it is. */
export function expansionIneligibility(account: Pick<Account, "status">): string | null {
  if (account.status === "Active") return null;
  if (account.status === "Onboarding") return "still onboarding: expansion waits until it is live";
  return `status is ${account.status}: no expansion`;
}

function trendAdjustment(account: Pick<Account, "usage_trend">): number {
  if (account.usage_trend === "growing") return 0.05;
  if (account.usage_trend === "declining" || account.usage_trend === "inactive") return -0.1;
  return 0;
}

export function detectSeats(account: Account, catalogue: ProductCatalogue): ExpansionCandidate | null {
  const purchased = account.seats_purchased;
  const used = account.seats_used;
  if (purchased === null || used === null || purchased <= 0 || used < 0) return null;
  const utilization = used / purchased;
  if (utilization < EXPANSION_RULES.seatUtilizationMin) return null;

  const block = catalogue.seat_block;
  const needed = Math.ceil(used / EXPANSION_RULES.seatTargetUtilization) - purchased;
  const additional = Math.max(block, Math.ceil(needed / block) * block);
  // The account's own contracted rate prices its seats best; the list price stands in without one.
  const contracted = account.arr !== null && account.arr > 0 ? Math.round(account.arr / purchased) : null;
  const pricePerSeat = contracted ?? catalogue.seat_annual_price;
  const base = utilization > 1 ? 0.9 : utilization >= 0.95 ? 0.75 : 0.6;
  const util2 = round2(utilization);
  return {
    opportunity_type: "seats",
    product: null,
    title: `Add ${additional} seats`,
    evidence: {
      seats_used: used,
      seats_purchased: purchased,
      utilization: util2,
      recommended_additional_seats: additional,
      price_per_seat: pricePerSeat,
      price_source: contracted === null ? "catalogue list price" : "current contract",
    },
    evidence_summary:
      `${used} of ${purchased} seats in use (${pct(util2)} utilization)` +
      `${utilization > 1 ? ", over the licence" : ""}; ${additional} more seats at ${usd(pricePerSeat)} a seat`,
    estimated_arr_impact: Math.round(additional * pricePerSeat),
    confidence: clampConfidence(base + trendAdjustment(account)),
  };
}

export function detectModule(account: Account, catalogue: ProductCatalogue): ExpansionCandidate | null {
  let best: { candidate: ExpansionCandidate; share: number; price: number } | null = null;
  for (const m of catalogue.modules) {
    if (account.modules.includes(m.name)) continue;
    const used = m.features.filter((f) => account.features_used.includes(f));
    const share = used.length / m.features.length;
    if (used.length === 0 || share < EXPANSION_RULES.moduleFeatureShareMin) continue;
    let confidence = 0.5 + 0.3 * share;
    if (account.feature_adoption !== null && account.feature_adoption >= 0.7) confidence += 0.05;
    confidence += trendAdjustment(account);
    const share2 = round2(share);
    const candidate: ExpansionCandidate = {
      opportunity_type: "module",
      product: m.name,
      title: `Upgrade to ${m.label}`,
      evidence: {
        module: m.name,
        signal_features_used: used,
        signal_features_used_count: used.length,
        signal_features_total: m.features.length,
        feature_share: share2,
        feature_adoption: account.feature_adoption,
      },
      evidence_summary: `uses ${used.length} of the ${m.features.length} features of ${m.label} (${used.join(", ")}) without owning the module`,
      estimated_arr_impact: Math.round(m.annual_price),
      confidence: clampConfidence(confidence),
    };
    // The fullest use wins; among equals the bigger deal.
    if (!best || share > best.share || (share === best.share && m.annual_price > best.price)) {
      best = { candidate, share, price: m.annual_price };
    }
  }
  return best?.candidate ?? null;
}

export function detectIntegration(
  account: Account,
  catalogue: ProductCatalogue,
  now: Date,
): ExpansionCandidate | null {
  if (catalogue.integrations.length === 0) return null;
  if (ownedIntegrations(catalogue, account.modules).length > 0) return null;
  const calls = account.api_calls_30d;
  const apiSignal = calls !== null && calls >= catalogue.integration_api_calls_30d;
  const beat = account.last_heartbeat ? tryParseIso(account.last_heartbeat) : null;
  const heartbeatHours = beat ? Math.max(0, Math.floor(hoursBetween(beat, now))) : null;
  const heartbeatSignal = heartbeatHours !== null && heartbeatHours <= catalogue.integration_heartbeat_hours;
  if (!apiSignal && !heartbeatSignal) return null;

  // Which system they connect is a question for the rep; the cheapest integration prices it conservatively.
  const cheapest = catalogue.integrations.reduce((a, b) => (b.annual_price < a.annual_price ? b : a));
  let confidence = apiSignal && heartbeatSignal ? 0.8 : heartbeatSignal ? 0.65 : 0.55;
  if (
    apiSignal &&
    calls !== null &&
    calls >= catalogue.integration_api_calls_30d * EXPANSION_RULES.heavyApiMultiple
  )
    confidence += 0.1;
  const parts: string[] = [];
  if (apiSignal) parts.push(`${calls!.toLocaleString("en-US")} API calls in 30 days`);
  if (heartbeatSignal) parts.push(`an integration heartbeat ${heartbeatHours} h ago`);
  return {
    opportunity_type: "integration",
    product: null,
    title: "Replace a self-built integration with a supported one",
    evidence: {
      api_calls_30d: calls,
      api_calls_threshold: catalogue.integration_api_calls_30d,
      heartbeat_hours_ago: heartbeatHours,
      integrations_owned: 0,
      integrations_available: catalogue.integrations.map((i) => i.name),
      priced_as: cheapest.name,
    },
    evidence_summary: `${parts.join(" and ")}, with no integration bought`,
    estimated_arr_impact: Math.round(cheapest.annual_price),
    confidence: clampConfidence(confidence),
  };
}

/** Every candidate of an eligible account, at most one per type. */
export function detectExpansion(
  account: Account,
  catalogue: ProductCatalogue,
  now: Date,
): ExpansionCandidate[] {
  if (expansionIneligibility(account) !== null) return [];
  return [
    detectSeats(account, catalogue),
    detectModule(account, catalogue),
    detectIntegration(account, catalogue, now),
  ].filter((c): c is ExpansionCandidate => c !== null);
}

/** Hand-offs go to the biggest expected value first. */
export const expansionRank = (c: Pick<ExpansionCandidate, "estimated_arr_impact" | "confidence">): number =>
  c.estimated_arr_impact * c.confidence;

/** Types with an open (undecided) opportunity: no new one of those types for the account. */
export function openOpportunityTypes(existing: ReadonlyArray<{ type: string; status: string }>): Set<string> {
  return new Set(
    existing
      .filter((o) => (OPEN_OPPORTUNITY_STATUSES as readonly string[]).includes(o.status))
      .map((o) => o.type),
  );
}

/** True when the evidence holds at least one figure (a candidate without numbers is not evidence). */
export const hasNumericEvidence = (evidence: Evidence): boolean =>
  Object.values(evidence).some((v) => typeof v === "number" && Number.isFinite(v));

/** The account's open opportunity of a type: while it awaits a decision, no new one of the type. */
export const openOpportunityOf = <O extends { type: string; status: string }>(
  existing: readonly O[],
  type: string,
): O | undefined =>
  existing.find(
    (o) => o.type === type && (OPEN_OPPORTUNITY_STATUSES as readonly string[]).includes(o.status),
  );

/**
 * Whether an open opportunity recorded by an earlier scan, never dispatched, may compete again for a
 * hand-off (when it was never handed to Sales): a same-day re-run carries nothing, so running a scan
 * again creates nothing new.
 */
export const mayCarryOver = (open: { status: string; created_at: string }, scanAt: string): boolean =>
  open.status === "New" && open.created_at.slice(0, 10) < scanAt.slice(0, 10);
