/** The trend of an account's health score against its history: change, 30-day slope, direction. */
import { MS_PER_DAY, tryParseIso } from "../calendar.js";
import { roundTo } from "./round.js";

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
