/**
 * The demo book: a deterministic book of accounts covering every scenario a CSM meets (./scenarios.ts),
 * with tickets, 12 weeks of usage and 12 weeks of health history. Same seed and `now`, same book: every
 * date is relative to `now`, never to the wall clock. Pure: no I/O, no environment.
 *
 * This file assembles an account from its parts (names, scenario profile, features, tickets, activity);
 * the order of the draws from the one PRNG is what makes a seed give the same book.
 */
import { MS_PER_DAY, MS_PER_HOUR } from "../domain/calendar.js";
import { ONBOARDING_STEPS } from "../domain/product.js";
import type { Account, HealthPoint, Ticket, Tier, UsagePoint } from "../domain/types.js";
import { type ActivityCtx, activityWeeks, makeHistory, makeUsage } from "./activity.js";
import { avoidLeapDay, isoDay, isoTime, shiftYears, startOfDay } from "./dates.js";
import { productFor } from "./features.js";
import { DEMO_ACCOUNT_EXECUTIVES, DEMO_CSMS, NameFactory, personName, slugify } from "./names.js";
import { Prng } from "./prng.js";
import { profileFor } from "./profiles.js";
import {
  applyMissing,
  currentScore,
  DEMO_SCENARIOS,
  type DemoScenario,
  NULLABLE,
  scenarioCounts,
  worsenUntilAtRisk,
} from "./scenarios.js";
import { makeTickets, type TicketCtx } from "./tickets.js";

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

/** The tier an account of this ARR gets in the demo book. */
export function tierForArr(arr: number | null): Tier {
  if (arr === null) return "low_value";
  if (arr >= 250_000) return "vip";
  if (arr >= 100_000) return "high_value";
  if (arr >= 25_000) return "standard";
  return "low_value";
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
  const ctx: TicketCtx & ActivityCtx = {
    rng,
    nowMs,
    ...activityWeeks(nowMs, todayMs),
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
      champion: p.championLeft ? null : personName(rng),
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
