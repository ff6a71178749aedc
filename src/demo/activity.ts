/** The demo book's activity: 12 weeks of usage and 12 weeks of health history per account. */
import { MS_PER_DAY } from "../domain/calendar.js";
import { ragFor } from "../domain/health/csm-score.js";
import type { HealthPoint, UsagePoint, UsageTrend } from "../domain/types.js";
import { isoDay, isoTime } from "./dates.js";
import type { Prng } from "./prng.js";
import type { Profile } from "./profiles.js";

const HEALTH_HISTORY_WEEKS = 12;
const USAGE_WEEKS = 12;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** The weeks the activity covers, the same for every account of a book. */
export interface ActivityCtx {
  rng: Prng;
  weekStarts: number[];
  /** The same instants as ISO strings, computed once for the whole book. */
  weekStartDays: string[];
  historyTimes: number[];
  historyIsos: string[];
}

/** The 12 complete weeks (Monday starts) before the current week, and the 12 weekly history instants. */
export function activityWeeks(nowMs: number, todayMs: number): Omit<ActivityCtx, "rng"> {
  const mondayMs = todayMs - ((new Date(todayMs).getUTCDay() + 6) % 7) * MS_PER_DAY;
  const weekStarts = Array.from(
    { length: USAGE_WEEKS },
    (_, k) => mondayMs - (USAGE_WEEKS - k) * 7 * MS_PER_DAY,
  );
  const historyTimes = Array.from(
    { length: HEALTH_HISTORY_WEEKS },
    (_, k) => nowMs - (HEALTH_HISTORY_WEEKS - k) * 7 * MS_PER_DAY,
  );
  return {
    weekStarts,
    weekStartDays: weekStarts.map(isoDay),
    historyTimes,
    historyIsos: historyTimes.map(isoTime),
  };
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

export function makeUsage(
  ctx: ActivityCtx,
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

export function makeHistory(
  ctx: ActivityCtx,
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
