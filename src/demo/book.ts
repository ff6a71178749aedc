/**
 * The demo book (issue 2, item 8): a deterministic book of accounts covering seed 000 §5.1, with
 * tickets, 12 weeks of usage and 12 weeks of health history. Same seed and `now`, same book: every date
 * is relative to `now`, never to the wall clock. Pure: no I/O, no environment.
 */
import { MS_PER_DAY, MS_PER_HOUR } from "../domain/calendar.js";
import { ragFor, scoreCsmHealth } from "../domain/health/csm-score.js";
import {
  BASIC_FEATURES,
  FEATURE_CATALOGUE,
  MODULE_NAMES,
  ONBOARDING_STEPS,
  PRODUCT_INTEGRATIONS,
  PRODUCT_MODULES,
} from "../domain/product.js";
import type {
  Account,
  AccountStatus,
  EngagementLevel,
  HealthPoint,
  PaymentStatus,
  Ticket,
  TicketPriority,
  TicketSentiment,
  TicketStatus,
  Tier,
  UsagePoint,
  UsageTrend,
} from "../domain/types.js";
import { Prng, type WeightedEntry } from "./prng.js";

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

export interface DemoBook {
  accounts: Account[];
  tickets: Ticket[];
  usage: UsagePoint[];
  health_history: HealthPoint[];
  /** The scenario each account was generated for, by account id. */
  scenarios: Record<string, DemoScenario>;
}

export interface DemoBookOptions {
  /** Number of accounts (default 60). */
  accounts?: number;
  /** PRNG seed, a safe integer (default 42). */
  seed?: number;
  /** Every date in the book is relative to this instant. */
  now: Date;
}

export const DEMO_CSMS = [
  "maya.chen@example.com",
  "david.okafor@example.com",
  "sofia.rossi@example.com",
  "james.patel@example.com",
  "lena.fischer@example.com",
] as const;

export const DEMO_ACCOUNT_EXECUTIVES = [
  "alex.morgan@example.com",
  "priya.shah@example.com",
  "tom.becker@example.com",
  "nina.alvarez@example.com",
] as const;

const NAME_PREFIXES = [
  "Acme",
  "Apex",
  "Atlas",
  "Aurora",
  "Beacon",
  "Birch",
  "Blue Harbor",
  "Brightline",
  "Cascade",
  "Cedar",
  "Cobalt",
  "Copper",
  "Crescent",
  "Delta",
  "Ember",
  "Evergreen",
  "Falcon",
  "Fjord",
  "Granite",
  "Helix",
  "Horizon",
  "Ironwood",
  "Juniper",
  "Keystone",
  "Lighthouse",
  "Lumen",
  "Maple",
  "Meridian",
  "Nimbus",
  "North Star",
  "Northwind",
  "Nova",
  "Oakridge",
  "Orbit",
  "Pinecrest",
  "Pioneer",
  "Quartz",
  "Redwood",
  "Riverbend",
  "Sable",
  "Sagebrush",
  "Silverline",
  "Summit",
  "Tidal",
  "Trident",
  "Vertex",
  "Willow",
  "Zenith",
] as const;

const NAME_INDUSTRIES = [
  "Aerospace",
  "Analytics",
  "Bio",
  "Capital",
  "Dynamics",
  "Energy",
  "Foods",
  "Freight",
  "Health",
  "Insurance",
  "Labs",
  "Learning",
  "Legal",
  "Logistics",
  "Manufacturing",
  "Marine",
  "Media",
  "Networks",
  "Outdoors",
  "Payments",
  "Pharma",
  "Realty",
  "Retail",
  "Robotics",
  "Security",
  "Software",
  "Studios",
  "Systems",
  "Telecom",
  "Travel",
] as const;

const NAME_SUFFIXES: readonly WeightedEntry<string>[] = [
  ["", 45],
  [" Inc", 15],
  [" Group", 10],
  [" Co", 8],
  [" Ltd", 7],
  [" LLC", 6],
  [" GmbH", 5],
  [" Partners", 4],
];

const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Amara",
  "Noah",
  "Hiroshi",
  "Sophie",
  "Mateo",
  "Chloe",
  "Arjun",
  "Fatima",
  "Lucas",
  "Elena",
  "Kwame",
  "Isabel",
  "Jonas",
  "Mei",
  "Daniel",
  "Zara",
  "Oscar",
  "Leila",
  "Samuel",
  "Ingrid",
  "Rafael",
  "Hannah",
  "Tariq",
  "Grace",
  "Viktor",
  "Ana",
] as const;

const LAST_NAMES = [
  "Johnson",
  "Nakamura",
  "Adeyemi",
  "Schmidt",
  "Garcia",
  "Kowalski",
  "Singh",
  "Dubois",
  "Larsen",
  "Rossi",
  "Kim",
  "Okonkwo",
  "Silva",
  "Novak",
  "Brennan",
  "Haddad",
  "Lindqvist",
  "Moreau",
  "Castillo",
  "Wright",
  "Yilmaz",
  "Fernandes",
  "Hughes",
  "Petrov",
] as const;

const SEVERE_SUBJECTS = [
  "Data sync failing since last release",
  "Dashboards timing out for all users",
  "SSO login broken for the whole team",
  "API returning 500 errors intermittently",
  "Webhook deliveries delayed by hours",
  "Scheduled exports stuck in queue",
  "Missing records after nightly import",
  "Reports show wrong totals",
  "Integration heartbeat lost, sync stopped",
  "Production outage: cannot log in",
] as const;

const ROUTINE_SUBJECTS = [
  "How to configure alert thresholds",
  "Request: bulk user invite via CSV",
  "Question about the last invoice",
  "Feature request: custom fields in reports",
  "Mobile app crashes on launch",
  "Password reset email not received",
  "How to schedule a weekly report",
  "Change billing contact",
  "Dashboard filter not saving",
  "Request: dark mode",
  "Add a new admin user",
  "Slow page loads in the afternoon",
  "Timezone wrong on exported CSV",
  "How to archive old projects",
] as const;

const ONBOARDING_SUBJECTS = [
  "Help with data import mapping",
  "SSO setup assistance",
  "Kickoff follow-up questions",
  "Inviting team members fails",
  "Which integration should we start with?",
  "First dashboard template request",
] as const;

const HEALTH_HISTORY_WEEKS = 12;
const USAGE_WEEKS = 12;
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

export function tierForArr(arr: number | null): Tier {
  if (arr === null) return "low_value";
  if (arr >= 250_000) return "vip";
  if (arr >= 100_000) return "high_value";
  if (arr >= 25_000) return "standard";
  return "low_value";
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;
const startOfDay = (ms: number): number => Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
/** Whole minutes: real systems rarely store sub-second precision for these fields. */
const isoTime = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The same calendar day `years` later (earlier when negative); 29 February becomes the 28th. */
function shiftYears(dayMs: number, years: number): number {
  const d = new Date(dayMs);
  const day = d.getUTCMonth() === 1 && d.getUTCDate() === 29 ? 28 : d.getUTCDate();
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), day);
}

/** A day that is never 29 February, so a yearly anniversary always exists. */
function avoidLeapDay(dayMs: number): number {
  const d = new Date(dayMs);
  return d.getUTCMonth() === 1 && d.getUTCDate() === 29 ? dayMs - MS_PER_DAY : dayMs;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

class NameFactory {
  private readonly used = new Map<string, number>();
  constructor(private readonly rng: Prng) {}

  next(): string {
    let core = "";
    for (let attempt = 0; attempt < 6; attempt++) {
      core = `${this.rng.pick(NAME_PREFIXES)} ${this.rng.pick(NAME_INDUSTRIES)}`;
      if (!this.used.has(core)) {
        this.used.set(core, 1);
        return core + this.rng.weighted(NAME_SUFFIXES);
      }
    }
    // The word lists are exhausted (big books): number the name. Cores never end in a digit, so
    // "Core 2" can collide neither with a first use of a core nor with another core's numbering.
    const n = (this.used.get(core) ?? 1) + 1;
    this.used.set(core, n);
    return `${core} ${n}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Scenario profiles: the signals each kind of account shows

type NullableField =
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
const NULLABLE: Readonly<Record<DemoScenario, readonly NullableField[]>> = {
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

interface OpenTicketPlan {
  priority: TicketPriority;
  /** Age range in hours. */
  minAgeH: number;
  maxAgeH: number;
}

interface Profile {
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
function profileFor(rng: Prng, scenario: DemoScenario, seq: number): Profile {
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

// ---------------------------------------------------------------------------------------------------------
// Features and modules

interface Product {
  features_used: string[];
  modules: string[];
}

/**
 * Features in use follow the adoption; an account normally owns the modules whose features it uses (so
 * the book does not flag everyone for expansion). Expansion accounts use one or two modules they lack.
 */
function productFor(rng: Prng, adoption: number, expansion: boolean, hasIntegration: boolean): Product {
  const used = new Set<string>();
  const modules = new Set<string>();
  const target = Math.round(adoption * FEATURE_CATALOGUE.length);
  for (const f of rng.sample(BASIC_FEATURES, Math.max(1, Math.min(BASIC_FEATURES.length, target))))
    used.add(f);

  const order = rng.sample(MODULE_NAMES, MODULE_NAMES.length);
  let start = 0;
  // An expansion account bought nothing beyond the base plan (about a third) or only part of what it uses.
  const bare = expansion && rng.chance(0.35);
  if (expansion) {
    // One or two modules used heavily but not bought.
    const lacking = bare || rng.chance(0.4) ? 2 : 1;
    for (const m of order.slice(0, lacking)) for (const f of PRODUCT_MODULES[m] ?? []) used.add(f);
    start = lacking;
  }
  for (const m of order.slice(start)) {
    if (bare || used.size >= target) break;
    for (const f of PRODUCT_MODULES[m] ?? []) used.add(f);
    modules.add(m);
  }
  // Some shelfware: a module bought and barely touched.
  if (!expansion && rng.chance(0.12)) {
    const spare = order.find((m) => !modules.has(m));
    if (spare !== undefined) modules.add(spare);
  }
  // A monitored integration (heartbeat) means a bought one, except on expansion accounts, which may run
  // their own over the API without having bought the integration.
  const integrations = expansion
    ? bare || rng.chance(0.5)
      ? []
      : [rng.pick(PRODUCT_INTEGRATIONS)]
    : hasIntegration
      ? rng.sample(PRODUCT_INTEGRATIONS, rng.chance(0.3) ? 2 : 1)
      : rng.chance(0.1)
        ? [rng.pick(PRODUCT_INTEGRATIONS)]
        : [];
  return {
    features_used: FEATURE_CATALOGUE.filter((f) => used.has(f)),
    modules: [
      ...MODULE_NAMES.filter((m) => modules.has(m)),
      ...PRODUCT_INTEGRATIONS.filter((i) => integrations.includes(i)),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// The generator

interface Ctx {
  rng: Prng;
  nowMs: number;
  todayMs: number;
  weekStarts: number[];
  /** The same instants as ISO strings, computed once for the whole book. */
  weekStartDays: string[];
  historyTimes: number[];
  historyIsos: string[];
  tickets: Ticket[];
  ticketWidth: number;
}

function randomArr(rng: Prng): number {
  const band = rng.weighted<[number, number]>([
    [[250_000, 900_000], 8],
    [[100_000, 250_000], 20],
    [[25_000, 100_000], 45],
    [[6_000, 25_000], 27],
  ]);
  // Log-uniform inside the band: more small contracts than big ones, as in a real book.
  const v = Math.exp(rng.float(Math.log(band[0]), Math.log(band[1])));
  return Math.round(v / 500) * 500;
}

function nextTicket(
  ctx: Ctx,
  accountId: string,
  subject: string,
  priority: TicketPriority,
  status: TicketStatus,
  openedMs: number,
): Ticket {
  const id = `tkt_${String(ctx.tickets.length + 1).padStart(ctx.ticketWidth, "0")}`;
  const ticket: Ticket = { id, account_id: accountId, subject, priority, status, opened: isoTime(openedMs) };
  ctx.tickets.push(ticket);
  return ticket;
}

function subjectFor(rng: Prng, priority: TicketPriority, onboarding: boolean): string {
  if (onboarding && priority !== "P1" && rng.chance(0.7)) return rng.pick(ONBOARDING_SUBJECTS);
  return priority === "P1" || priority === "P2" ? rng.pick(SEVERE_SUBJECTS) : rng.pick(ROUTINE_SUBJECTS);
}

/** Tickets of one account; returns how many are open (Open or Pending). */
function makeTickets(ctx: Ctx, accountId: string, p: Profile, signupMs: number): number {
  const { rng, nowMs } = ctx;
  const onboarding = p.onboarding !== null;
  const oldest = Math.max(signupMs, nowMs - 120 * MS_PER_DAY);
  // Churned accounts stopped filing tickets around their last login.
  const newest = p.status === "Churned" ? nowMs - p.loginDays * MS_PER_DAY : nowMs - 3 * MS_PER_HOUR;
  for (let i = 0; i < p.closedTickets; i++) {
    const priority = rng.weighted<TicketPriority>([
      ["P1", 1],
      ["P2", 2],
      ["P3", 5],
      ["P4", 3],
    ]);
    const opened = oldest + rng.next() * Math.max(0, newest - oldest);
    nextTicket(
      ctx,
      accountId,
      subjectFor(rng, priority, onboarding),
      priority,
      rng.chance(0.6) ? "Closed" : "Resolved",
      opened,
    );
  }
  for (const plan of p.openTickets) {
    const ageH = rng.float(plan.minAgeH, plan.maxAgeH);
    const opened = Math.max(signupMs + MS_PER_HOUR, nowMs - ageH * MS_PER_HOUR);
    nextTicket(
      ctx,
      accountId,
      subjectFor(rng, plan.priority, onboarding),
      plan.priority,
      rng.chance(0.7) ? "Open" : "Pending",
      opened,
    );
  }
  return p.openTickets.length;
}

/** Relative activity level (1 = the account's normal) in week k of 12 (0 oldest). */
function activityCurve(trend: UsageTrend, k: number, steep: number): number {
  const t = k / (USAGE_WEEKS - 1);
  switch (trend) {
    case "growing":
      return 0.7 + steep * 0.3 * t + (1 - steep) * 0.15 * t;
    case "stable":
      return 1;
    case "declining":
      return 1 - (0.35 + 0.3 * steep) * t;
    case "inactive":
      return Math.max(0, 1 - 1.25 * t);
  }
}

function makeUsage(
  ctx: Ctx,
  out: UsagePoint[],
  accountId: string,
  trend: UsageTrend,
  seatsPurchased: number,
  signupMs: number,
  lastLoginMs: number,
  hasIntegration: boolean,
): void {
  const { rng } = ctx;
  const peakUsers = Math.max(1, seatsPurchased * rng.float(0.55, 0.9));
  const perUser = rng.float(25, 110);
  const steep = rng.next();
  for (let k = 0; k < USAGE_WEEKS; k++) {
    const weekStart = ctx.weekStarts[k]!;
    const weekEnd = weekStart + 7 * MS_PER_DAY;
    let users = 0;
    let events = 0;
    if (weekEnd > signupMs) {
      // A partial first week and an onboarding ramp for recent signups.
      const weeksLive = (weekEnd - signupMs) / (7 * MS_PER_DAY);
      const ramp = weeksLive < 8 ? clamp(weeksLive / 8, 0.1, 1) : 1;
      const level = activityCurve(trend, k, steep) * ramp * rng.float(0.92, 1.08);
      // Nobody logged in after the last login: no active users in the weeks after it.
      users =
        weekStart > lastLoginMs ? 0 : Math.max(weekEnd > lastLoginMs ? 1 : 0, Math.round(peakUsers * level));
      events = Math.round(users * perUser * rng.float(0.85, 1.15));
      // Integrations keep producing events while nobody logs in.
      if (hasIntegration) events += rng.int(20, 400);
    }
    out.push({ account_id: accountId, week_start: ctx.weekStartDays[k]!, active_users: users, events });
  }
}

function makeHistory(
  ctx: Ctx,
  out: HealthPoint[],
  accountId: string,
  shape: Profile["history"],
  current: number,
  signupMs: number,
): void {
  const { rng } = ctx;
  const n = HEALTH_HISTORY_WEEKS;
  const start = rng.float(16, 30);
  const drift = rng.float(-8, 8);
  const climb = rng.float(8, 18);
  for (let k = 0; k < n; k++) {
    if (ctx.historyTimes[k]! < signupMs) continue; // no score before the customer existed
    const t = k / (n - 1);
    const noise = rng.float(-2.5, 2.5);
    let score: number;
    switch (shape) {
      case "flat":
        score = current + noise * 1.4;
        break;
      case "rising":
        score = current - climb * (1 - t) + noise;
        break;
      case "declining":
        score = current + start * (1 - t) + rng.float(1, 5) + noise * 0.6;
        break;
      case "falling_fast": {
        // A slow slide, then a drop of 10+ points over the last two weeks, still going.
        const last = n - 1 - k; // 0 for the newest point
        score =
          last === 0
            ? current + rng.float(10.5, 13)
            : last === 1
              ? current + rng.float(15, 18)
              : current + 20 + (start / 3) * (1 - t) + noise * 0.5;
        break;
      }
      case "drifting":
        score = current + drift * (1 - t) + noise;
        break;
      case "stalling":
        // Progress, then nothing for the last weeks.
        score = k >= n - 3 ? current + rng.float(1, 4) : current - climb * (1 - t) + 6 + noise;
        break;
    }
    const s = round1(clamp(score, 0, 100));
    out.push({ account_id: accountId, at: ctx.historyIsos[k]!, score: s, rag: ragFor(s), run_id: null });
  }
}

function currentScore(account: Account, openTickets: number, now: Date): number {
  try {
    return scoreCsmHealth(account, { now, openTickets }).score;
  } catch {
    return 50;
  }
}

/**
 * Generates the demo book. Deterministic: the same `seed`, `accounts` and `now` give a deep-equal book.
 * Scenario fractions are those of the default 60 (DEMO_SCENARIO_MIX). Agent-written fields (csm_*,
 * churn_risk, health_*) are left null.
 */
export function generateDemoBook(options: DemoBookOptions): DemoBook {
  const total = options.accounts ?? 60;
  const seed = options.seed ?? 42;
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError("generateDemoBook: `now` is an invalid Date");
  const counts = scenarioCounts(total);
  const rng = new Prng(seed);
  const now = new Date(nowMs);

  const plan: DemoScenario[] = [];
  for (const scenario of DEMO_SCENARIOS) for (let i = 0; i < counts[scenario]; i++) plan.push(scenario);
  rng.shuffle(plan);

  const todayMs = startOfDay(nowMs);
  // The 12 complete weeks (Monday starts) before the current week.
  const mondayMs = todayMs - ((new Date(todayMs).getUTCDay() + 6) % 7) * MS_PER_DAY;
  const weekStarts = Array.from(
    { length: USAGE_WEEKS },
    (_, k) => mondayMs - (USAGE_WEEKS - k) * 7 * MS_PER_DAY,
  );
  const historyTimes = Array.from(
    { length: HEALTH_HISTORY_WEEKS },
    (_, k) => nowMs - (HEALTH_HISTORY_WEEKS - k) * 7 * MS_PER_DAY,
  );

  const ctx: Ctx = {
    rng,
    nowMs,
    todayMs,
    weekStarts,
    weekStartDays: weekStarts.map(isoDay),
    historyTimes,
    historyIsos: historyTimes.map(isoTime),
    tickets: [],
    ticketWidth: Math.max(6, String(total * 10).length),
  };
  const accounts: Account[] = [];
  const usage: UsagePoint[] = [];
  const history: HealthPoint[] = [];
  const scenarios: Record<string, DemoScenario> = {};
  const names = new NameFactory(rng);
  const idWidth = Math.max(4, String(total).length);
  const seqs = Object.fromEntries(DEMO_SCENARIOS.map((sc) => [sc, 0])) as Record<DemoScenario, number>;
  let renewingSeq = 0;

  for (let i = 0; i < total; i++) {
    const scenario = plan[i]!;
    const id = `acc_${String(i + 1).padStart(idWidth, "0")}`;
    const name = names.next();
    // Renewals share one sequence so the 30/60/90 windows together get the intended health mix.
    const isRenewing = scenario === "renewing_30" || scenario === "renewing_60" || scenario === "renewing_90";
    const p = profileFor(rng, scenario, isRenewing ? renewingSeq++ : seqs[scenario]++);

    // Contract dates: the renewal is the signup anniversary. A finished onboarding takes time, so
    // accounts past it signed up at least ~4 months ago.
    if (p.onboarding === null && p.contractYears === 1 && p.renewalDays > 240) p.contractYears = 2;
    const renewalMs = avoidLeapDay(todayMs + p.renewalDays * MS_PER_DAY);
    const signupMs = shiftYears(renewalMs, -p.contractYears);
    const ago = (days: number): number => Math.max(signupMs + MS_PER_HOUR, nowMs - days * MS_PER_DAY);

    // Onboarding progress, and the integration it may already have.
    let stepsDone: string[];
    let lastStepMs: number;
    if (p.onboarding) {
      stepsDone = ONBOARDING_STEPS.slice(0, p.onboarding.steps);
      lastStepMs = ago(p.onboarding.lastStepDays + rng.float(0, 0.9));
      if (stepsDone.includes("integration_live")) p.heartbeatHours = rng.float(0.5, 30);
    } else {
      stepsDone = [...ONBOARDING_STEPS];
      // Some mature accounts never finished one step.
      if (rng.chance(0.08)) stepsDone.splice(rng.pick([1, 5]), 1);
      lastStepMs = Math.min(signupMs + rng.float(20, 60) * MS_PER_DAY, nowMs - rng.float(1, 3) * MS_PER_DAY);
    }

    const arr = randomArr(rng);
    const pricePerSeat = rng.pick([300, 450, 600, 800, 1200]);
    const seatsPurchased = Math.max(5, Math.round(arr / pricePerSeat / 5) * 5);
    const seatsUsed = Math.max(0, Math.round(seatsPurchased * p.utilization));
    const hasIntegration = p.heartbeatHours !== null;
    const product = productFor(rng, p.adoption, scenario === "expansion", hasIntegration);
    const apiHeavy = scenario === "expansion" || product.modules.includes("developer_platform");
    const apiCalls =
      scenario === "expansion"
        ? rng.int(150_000, 900_000)
        : apiHeavy && hasIntegration
          ? rng.int(8_000, 90_000)
          : hasIntegration
            ? rng.int(500, 8_000)
            : rng.int(0, 400);

    const lastLoginMs = ago(p.loginDays);
    // A survey comes a few weeks into the relationship at the earliest.
    const tenureDays = (nowMs - signupMs) / MS_PER_DAY;
    const npsDateMs =
      p.nps === null
        ? null
        : ago(tenureDays > 60 ? rng.float(10, Math.min(200, tenureDays - 30)) : rng.float(1, 7));
    const account: Account = {
      id,
      name,
      status: p.status,
      tier: tierForArr(arr),
      arr,
      csm_owner: rng.pick(DEMO_CSMS),
      account_executive: rng.chance(0.05) ? null : rng.pick(DEMO_ACCOUNT_EXECUTIVES),
      slack_channel: rng.chance(0.12) ? null : `#acct-${slugify(name)}`,
      signup_date: isoDay(signupMs),
      renewal_date: isoDay(renewalMs),
      last_login: isoTime(lastLoginMs),
      last_interaction: isoTime(ago(p.interactionDays)),
      last_heartbeat: p.heartbeatHours === null ? null : isoTime(ago(p.heartbeatHours / 24)),
      seats_purchased: seatsPurchased,
      seats_used: seatsUsed,
      feature_adoption: p.adoption,
      nps: p.nps,
      nps_date: npsDateMs === null ? null : isoDay(npsDateMs),
      escalations_90d: p.escalations,
      features_used: product.features_used,
      onboarding_steps_done: stepsDone,
      onboarding_last_step_at: isoTime(lastStepMs),
      usage_trend: p.trend,
      payment_status: p.payment,
      stakeholder_engagement: p.engagement,
      ticket_sentiment: p.sentiment,
      champion: p.championLeft ? null : `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
      modules: product.modules,
      api_calls_30d: apiCalls,
      csm_health_score: null,
      csm_health_rag: null,
      churn_risk: null,
      csm_last_scan: null,
      health_score: null,
      health_status: null,
      last_health_scan: null,
    };
    applyMissing(rng, account, NULLABLE[scenario]);

    const openTickets = makeTickets(ctx, id, p, signupMs);
    makeUsage(ctx, usage, id, p.trend, seatsPurchased, signupMs, lastLoginMs, hasIntegration);

    if (scenario === "at_risk") worsenUntilAtRisk(account, openTickets, now);
    if (p.status !== "Churned") {
      makeHistory(ctx, history, id, p.history, currentScore(account, openTickets, now), signupMs);
    }
    accounts.push(account);
    scenarios[id] = scenario;
  }

  return { accounts, tickets: ctx.tickets, usage, health_history: history, scenarios };
}

function applyMissing(rng: Prng, account: Account, fields: readonly NullableField[]): void {
  for (const field of fields) {
    if (!rng.chance(NULL_RATE)) continue;
    account[field] = null;
    if (field === "nps") account.nps_date = null;
  }
}

/** The at-risk contract: a CSM score below 55. Profiles nearly always land there; this makes sure. */
const AT_RISK_BELOW = 55;
function worsenUntilAtRisk(account: Account, openTickets: number, now: Date): void {
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
