/**
 * The kinds of account the demo book holds, how many of each a book of any size gets, and which signals
 * each may leave empty. The signals each kind shows are drawn in ./profiles.ts.
 */
import { scoreCsmHealth } from "../domain/health/csm-score.js";
import type { Account } from "../domain/types.js";
import type { Prng } from "./prng.js";

export const DEMO_SCENARIOS = [
  "onboarding",
  "onboarding_stalled",
  "healthy",
  "at_risk",
  "churned",
  "renewing_30",
  "renewing_60",
  "renewing_90",
  "expansion",
  "steady",
] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

/** Accounts per scenario in the default book of 60; other sizes keep the same fractions. */
export const DEMO_SCENARIO_MIX: Readonly<Record<DemoScenario, number>> = Object.freeze({
  onboarding: 6,
  onboarding_stalled: 4,
  healthy: 15,
  at_risk: 10,
  churned: 5,
  renewing_30: 3,
  renewing_60: 3,
  renewing_90: 4,
  expansion: 5,
  steady: 5,
});

const MIX_TOTAL = 60;

/** Accounts per scenario for a book of `accounts`, by largest remainder so the counts add up exactly. */
export function scenarioCounts(accounts: number): Record<DemoScenario, number> {
  if (!Number.isSafeInteger(accounts) || accounts < 0) {
    throw new RangeError(`accounts must be a non-negative integer, got ${accounts}`);
  }
  const counts = {} as Record<DemoScenario, number>;
  const remainders: { scenario: DemoScenario; rest: number }[] = [];
  let assigned = 0;
  for (const scenario of DEMO_SCENARIOS) {
    const exact = (accounts * DEMO_SCENARIO_MIX[scenario]) / MIX_TOTAL;
    const base = Math.floor(exact);
    counts[scenario] = base;
    assigned += base;
    remainders.push({ scenario, rest: exact - base });
  }
  // Stable sort: ties go to the scenario listed first.
  remainders.sort((x, y) => y.rest - x.rest);
  for (let i = 0; assigned < accounts; i++, assigned++) {
    const r = remainders[i % remainders.length]!;
    counts[r.scenario] += 1;
  }
  return counts;
}

/** Account signals a book may leave empty. */
export type NullableField =
  | "nps"
  | "champion"
  | "api_calls_30d"
  | "last_interaction"
  | "feature_adoption"
  | "seats_used"
  | "stakeholder_engagement"
  | "ticket_sentiment"
  | "escalations_90d"
  | "usage_trend"
  | "payment_status";

const RENEWING_NULLABLE: readonly NullableField[] = [
  "nps",
  "stakeholder_engagement",
  "ticket_sentiment",
  "feature_adoption",
  "last_interaction",
  "champion",
  "seats_used",
  "escalations_90d",
  "api_calls_30d",
];

/** Fields that may be missing (about 8% each), by scenario: never the ones that define the scenario. */
export const NULLABLE: Readonly<Record<DemoScenario, readonly NullableField[]>> = {
  onboarding: ["ticket_sentiment", "escalations_90d", "champion", "api_calls_30d", "stakeholder_engagement"],
  onboarding_stalled: ["ticket_sentiment", "escalations_90d", "champion", "api_calls_30d"],
  healthy: ["champion", "api_calls_30d", "escalations_90d", "ticket_sentiment"],
  at_risk: ["feature_adoption", "last_interaction", "champion", "api_calls_30d", "seats_used"],
  churned: [
    "nps",
    "stakeholder_engagement",
    "ticket_sentiment",
    "champion",
    "api_calls_30d",
    "last_interaction",
    "feature_adoption",
  ],
  renewing_30: RENEWING_NULLABLE,
  renewing_60: RENEWING_NULLABLE,
  renewing_90: RENEWING_NULLABLE,
  expansion: [
    "nps",
    "last_interaction",
    "ticket_sentiment",
    "champion",
    "escalations_90d",
    "stakeholder_engagement",
  ],
  steady: [
    "nps",
    "stakeholder_engagement",
    "ticket_sentiment",
    "feature_adoption",
    "last_interaction",
    "champion",
    "seats_used",
    "escalations_90d",
    "usage_trend",
    "api_calls_30d",
    "payment_status",
  ],
};

const NULL_RATE = 0.08;

/** Empties each of `fields` with NULL_RATE, as real data misses signals now and then. */
export function applyMissing(rng: Prng, account: Account, fields: readonly NullableField[]): void {
  for (const field of fields) {
    if (!rng.chance(NULL_RATE)) continue;
    account[field] = null;
    if (field === "nps") account.nps_date = null;
  }
}

/** The CSM health score the account has today (50 when it cannot be scored), what its history leads to. */
export function currentScore(account: Account, openTickets: number, now: Date): number {
  try {
    return scoreCsmHealth(account, { now, openTickets }).score;
  } catch {
    return 50;
  }
}

/** The at-risk contract: a CSM score below 55. Profiles nearly always land there; this makes sure. */
const AT_RISK_BELOW = 55;
export function worsenUntilAtRisk(account: Account, openTickets: number, now: Date): void {
  const steps: ((a: Account) => void)[] = [
    (a) => {
      a.stakeholder_engagement = "low";
    },
    (a) => {
      if (a.payment_status === "current") a.payment_status = "overdue_30";
    },
    (a) => {
      if (a.ticket_sentiment !== "critical") a.ticket_sentiment = "negative";
    },
    (a) => {
      a.feature_adoption = Math.min(a.feature_adoption ?? 0.2, 0.2);
    },
  ];
  for (const step of steps) {
    if (currentScore(account, openTickets, now) < AT_RISK_BELOW) return;
    step(account);
  }
}
