/**
 * Scenario profiles: the signals each kind of account shows (status, contract, usage, sentiment, tickets
 * to open, the shape of its health history), drawn per account. The draws and their order are the book:
 * the same seed gives the same profiles.
 */
import type {
  AccountStatus,
  EngagementLevel,
  PaymentStatus,
  TicketPriority,
  TicketSentiment,
  UsageTrend,
} from "../domain/types.js";
import type { Prng } from "./prng.js";
import type { DemoScenario } from "./scenarios.js";

const round2 = (v: number): number => Math.round(v * 100) / 100;

export interface OpenTicketPlan {
  priority: TicketPriority;
  /** Age range in hours. */
  minAgeH: number;
  maxAgeH: number;
}

export interface Profile {
  status: AccountStatus;
  /** Days from today to the renewal date (negative: the contract ended that many days ago). */
  renewalDays: number;
  /** Contract years before the renewal date; signup = renewal date minus this many years. */
  contractYears: number;
  adoption: number;
  trend: UsageTrend;
  loginDays: number;
  interactionDays: number;
  payment: PaymentStatus;
  sentiment: TicketSentiment;
  engagement: EngagementLevel;
  nps: number | null;
  escalations: number;
  utilization: number;
  /** Hours since the last integration heartbeat, or null: no monitored integration. */
  heartbeatHours: number | null;
  championLeft: boolean;
  closedTickets: number;
  openTickets: OpenTicketPlan[];
  /** Onboarding progress: steps done and days since the last one; null for a finished onboarding. */
  onboarding: { steps: number; lastStepDays: number } | null;
  /** Health history trajectory, relative to the current score. */
  history: "flat" | "rising" | "declining" | "falling_fast" | "drifting" | "stalling";
}

type AtRiskArchetype = "usage_collapse" | "support_crisis" | "commercial" | "mixed";
const AT_RISK_ARCHETYPES: readonly AtRiskArchetype[] = [
  "usage_collapse",
  "support_crisis",
  "commercial",
  "mixed",
];

function openRoutine(rng: Prng, max: number): OpenTicketPlan[] {
  const n = rng.int(0, max);
  const out: OpenTicketPlan[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      priority: rng.weighted<TicketPriority>([
        ["P2", 1],
        ["P3", 5],
        ["P4", 4],
      ]),
      minAgeH: 2,
      maxAgeH: 24 * 20,
    });
  }
  return out;
}

/** `seq`: how many accounts of this scenario (all renewals together) came before, to spread archetypes. */
export function profileFor(rng: Prng, scenario: DemoScenario, seq: number): Profile {
  switch (scenario) {
    case "onboarding":
    case "onboarding_stalled": {
      const stalled = scenario === "onboarding_stalled";
      const signupDays = stalled ? rng.int(24, 75) : rng.int(12, 60);
      const lastStepDays = stalled ? rng.int(9, Math.min(35, signupDays - 3)) : rng.int(0, 5);
      return {
        status: "Onboarding",
        renewalDays: 365 - signupDays,
        contractYears: 1,
        adoption: round2(rng.float(0.1, 0.4)),
        trend: stalled ? rng.pick<UsageTrend>(["stable", "declining"]) : "growing",
        loginDays: stalled ? rng.float(6, 20) : rng.float(0, 4),
        interactionDays: Math.min(signupDays, stalled ? rng.float(12, 30) : rng.float(0, 8)),
        payment: "current",
        sentiment: rng.weighted<TicketSentiment>([
          ["positive", 3],
          ["neutral", 5],
          ["negative", stalled ? 2 : 0.5],
        ]),
        engagement: stalled
          ? rng.pick<EngagementLevel>(["medium", "low"])
          : rng.pick<EngagementLevel>(["high", "medium"]),
        nps: rng.chance(0.3) ? rng.int(7, 9) : null,
        escalations: 0,
        utilization: rng.float(0.2, 0.6),
        heartbeatHours: null, // set from the onboarding steps below
        championLeft: false,
        closedTickets: rng.int(0, 2),
        openTickets: openRoutine(rng, stalled ? 2 : 1),
        onboarding: { steps: stalled ? rng.int(1, 4) : rng.int(1, 5), lastStepDays },
        history: stalled ? "stalling" : "rising",
      };
    }
    case "healthy":
      return {
        status: "Active",
        renewalDays: rng.int(190, 360),
        contractYears: rng.int(1, 4),
        adoption: round2(rng.float(0.7, 0.95)),
        trend: rng.chance(0.5) ? "growing" : "stable",
        loginDays: rng.float(0, 5),
        interactionDays: rng.float(1, 25),
        payment: "current",
        sentiment: rng.chance(0.6) ? "positive" : "neutral",
        engagement: "high",
        nps: rng.int(9, 10),
        escalations: 0,
        utilization: rng.float(0.8, 1),
        heartbeatHours: rng.chance(0.7) ? rng.float(0.2, 20) : null,
        championLeft: false,
        closedTickets: rng.int(0, 2),
        openTickets: rng.chance(0.3)
          ? [{ priority: rng.pick<TicketPriority>(["P3", "P4"]), minAgeH: 2, maxAgeH: 24 * 10 }]
          : [],
        onboarding: null,
        history: "flat",
      };
    case "at_risk":
      return atRiskProfile(rng, AT_RISK_ARCHETYPES[seq % AT_RISK_ARCHETYPES.length]!, seq);
    case "churned": {
      const loginDays = rng.float(20, 120);
      return {
        status: "Churned",
        renewalDays: -rng.int(5, 75),
        contractYears: rng.int(1, 3),
        adoption: round2(rng.float(0.05, 0.3)),
        trend: "inactive",
        loginDays,
        interactionDays: rng.float(10, 90),
        payment: rng.weighted<PaymentStatus>([
          ["current", 5],
          ["overdue_30", 2],
          ["overdue_60", 2],
          ["overdue_90_plus", 1],
        ]),
        sentiment: rng.pick<TicketSentiment>(["neutral", "negative", "critical"]),
        engagement: "low",
        nps: rng.chance(0.7) ? rng.int(0, 5) : null,
        escalations: rng.int(1, 4),
        utilization: rng.float(0, 0.2),
        heartbeatHours: rng.chance(0.4) ? rng.float(24 * 20, 24 * 90) : null,
        championLeft: rng.chance(0.5),
        closedTickets: rng.int(1, 5),
        openTickets: [],
        onboarding: null,
        history: "declining",
      };
    }
    case "renewing_30":
    case "renewing_60":
    case "renewing_90": {
      const window = scenario === "renewing_30" ? 30 : scenario === "renewing_60" ? 60 : 90;
      return renewingProfile(rng, window, seq);
    }
    case "expansion":
      return {
        status: "Active",
        renewalDays: rng.int(100, 360),
        contractYears: rng.int(1, 4),
        adoption: round2(rng.float(0.7, 0.95)),
        trend: "growing",
        loginDays: rng.float(0, 3),
        interactionDays: rng.float(2, 30),
        payment: "current",
        sentiment: rng.chance(0.5) ? "positive" : "neutral",
        engagement: rng.chance(0.7) ? "high" : "medium",
        nps: rng.int(8, 10),
        escalations: 0,
        utilization: rng.chance(0.5) ? rng.float(0.9, 1) : rng.float(1.02, 1.3),
        heartbeatHours: rng.float(0.1, 12),
        championLeft: false,
        closedTickets: rng.int(0, 3),
        openTickets: rng.chance(0.3) ? [{ priority: "P4", minAgeH: 2, maxAgeH: 24 * 7 }] : [],
        onboarding: null,
        history: "rising",
      };
    case "steady":
      return {
        status: "Active",
        renewalDays: rng.int(100, 360),
        contractYears: rng.int(1, 5),
        adoption: round2(rng.float(0.45, 0.8)),
        trend: rng.weighted<UsageTrend>([
          ["stable", 6],
          ["growing", 3],
          ["declining", 1],
        ]),
        loginDays: rng.float(0, 6),
        interactionDays: rng.float(5, 50),
        payment: rng.chance(0.93) ? "current" : "overdue_30",
        sentiment: rng.weighted<TicketSentiment>([
          ["positive", 3],
          ["neutral", 6],
          ["negative", 1],
        ]),
        engagement: rng.chance(0.6) ? "medium" : "high",
        nps: rng.int(6, 9),
        escalations: rng.chance(0.9) ? 0 : 1,
        utilization: rng.float(0.55, 0.88),
        heartbeatHours: rng.chance(0.5) ? rng.float(0.2, 30) : null,
        championLeft: false,
        closedTickets: rng.int(0, 3),
        openTickets: openRoutine(rng, 2),
        onboarding: null,
        history: "flat",
      };
  }
}

/** At-risk accounts are clearly bad on several signals, each archetype on a different set. */
function atRiskProfile(rng: Prng, archetype: AtRiskArchetype, seq: number): Profile {
  const loginDays = rng.float(32, 75);
  const agedSevere = (n: number): OpenTicketPlan[] =>
    Array.from({ length: n }, () => ({
      priority: rng.weighted<TicketPriority>([
        ["P1", 2],
        ["P2", 3],
      ]),
      minAgeH: 80,
      maxAgeH: 24 * 25,
    }));
  const base: Profile = {
    status: "Active",
    renewalDays: rng.int(130, 360),
    contractYears: rng.int(1, 4),
    adoption: round2(rng.float(0.15, 0.45)),
    trend: loginDays > 45 ? "inactive" : "declining",
    loginDays,
    interactionDays: rng.float(20, 80),
    payment: "current",
    sentiment: "neutral",
    engagement: "low",
    nps: rng.int(2, 6),
    escalations: rng.int(1, 3),
    utilization: rng.float(0.25, 0.55),
    heartbeatHours: rng.chance(0.5) ? rng.float(80, 24 * 9) : null,
    championLeft: rng.chance(0.3),
    closedTickets: rng.int(1, 4),
    openTickets: openRoutine(rng, 2),
    onboarding: null,
    // Every other at-risk account fell 10+ points over the last two weeks; the rest slide.
    history: seq % 2 === 0 ? "falling_fast" : "declining",
  };
  switch (archetype) {
    case "usage_collapse":
      return { ...base, adoption: round2(rng.float(0.1, 0.3)), utilization: rng.float(0.15, 0.4) };
    case "support_crisis":
      return {
        ...base,
        adoption: round2(rng.float(0.4, 0.6)),
        trend: "declining",
        loginDays: rng.float(31, 42),
        interactionDays: rng.float(2, 20),
        sentiment: rng.chance(0.6) ? "critical" : "negative",
        engagement: rng.chance(0.5) ? "medium" : "low",
        nps: rng.int(2, 4),
        escalations: rng.int(2, 3),
        utilization: rng.float(0.55, 0.8),
        heartbeatHours: rng.float(80, 24 * 8),
        openTickets: [...agedSevere(rng.int(2, 4)), ...openRoutine(rng, 2)],
      };
    case "commercial":
      return {
        ...base,
        renewalDays: rng.int(21, 120),
        payment: rng.pick<PaymentStatus>(["overdue_60", "overdue_90_plus"]),
        sentiment: rng.chance(0.5) ? "negative" : "neutral",
        nps: rng.int(4, 6),
        escalations: 1,
        championLeft: rng.chance(0.6),
      };
    case "mixed":
      return {
        ...base,
        renewalDays: rng.chance(0.5) ? rng.int(21, 120) : base.renewalDays,
        payment: "overdue_30",
        sentiment: "negative",
        openTickets: [...agedSevere(rng.int(1, 2)), ...openRoutine(rng, 1)],
      };
  }
}

/** Renewals are mixed: a few in good shape, most AMBER, some poor. */
const RENEWAL_QUALITY = [
  "amber",
  "good",
  "amber",
  "poor",
  "amber",
  "amber",
  "good",
  "amber",
  "poor",
  "amber",
] as const;

function renewingProfile(rng: Prng, window: 30 | 60 | 90, seq: number): Profile {
  const quality = RENEWAL_QUALITY[seq % RENEWAL_QUALITY.length]!;
  // daysUntil floors: a renewal date d days after today reads as d - 1 days once the day has begun.
  const renewalDays = rng.int(window - 9, window);
  const common = {
    status: "Active" as const,
    renewalDays,
    contractYears: rng.int(1, 3),
    championLeft: false,
    closedTickets: rng.int(0, 3),
    onboarding: null,
    history: "drifting" as const,
  };
  if (quality === "good") {
    return {
      ...common,
      adoption: round2(rng.float(0.65, 0.9)),
      trend: rng.pick<UsageTrend>(["growing", "stable"]),
      loginDays: rng.float(0, 6),
      interactionDays: rng.float(1, 20),
      payment: "current",
      sentiment: rng.pick<TicketSentiment>(["positive", "neutral"]),
      engagement: "high",
      nps: rng.int(8, 10),
      escalations: 0,
      utilization: rng.float(0.75, 0.98),
      heartbeatHours: rng.chance(0.6) ? rng.float(0.2, 24) : null,
      openTickets: openRoutine(rng, 1),
    };
  }
  if (quality === "amber") {
    return {
      ...common,
      adoption: round2(rng.float(0.35, 0.6)),
      trend: rng.weighted<UsageTrend>([
        ["stable", 5],
        ["declining", 4],
        ["growing", 1],
      ]),
      loginDays: rng.float(3, 12),
      interactionDays: rng.float(25, 70),
      payment: rng.chance(0.75) ? "current" : "overdue_30",
      sentiment: rng.weighted<TicketSentiment>([
        ["neutral", 6],
        ["negative", 3],
        ["positive", 1],
      ]),
      engagement: rng.chance(0.75) ? "medium" : "low",
      nps: rng.int(5, 8),
      escalations: rng.chance(0.6) ? 0 : 1,
      utilization: rng.float(0.5, 0.8),
      heartbeatHours: rng.chance(0.5) ? rng.float(1, 100) : null,
      openTickets: openRoutine(rng, 3),
    };
  }
  return {
    ...common,
    adoption: round2(rng.float(0.2, 0.4)),
    trend: "declining",
    loginDays: rng.float(20, 45),
    interactionDays: rng.float(40, 85),
    payment: rng.pick<PaymentStatus>(["overdue_30", "overdue_60"]),
    sentiment: rng.pick<TicketSentiment>(["negative", "critical"]),
    engagement: "low",
    nps: rng.int(3, 6),
    escalations: rng.int(1, 2),
    utilization: rng.float(0.3, 0.55),
    heartbeatHours: rng.chance(0.5) ? rng.float(70, 200) : null,
    openTickets: [
      {
        priority: rng.pick<TicketPriority>(["P1", "P2"]),
        minAgeH: 80,
        maxAgeH: 24 * 15,
      },
      ...openRoutine(rng, 2),
    ],
  };
}
