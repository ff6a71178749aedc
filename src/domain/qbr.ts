/**
 * QBR rules: what a period's health history says, which signals moved the score, and when a
 * QBR is due (the quarter a scheduled run reviews, the contract-proximity window). Pure: "now" and the
 * time zone arrive as arguments.
 */

import { addDays, daysBetween, parseIso, previousQuarter, type Quarter } from "./calendar.js";
import type { CsmBreakdownEntry, CsmSignal } from "./health/csm-score.js";
import type { Rag } from "./types.js";

export interface PeriodPoint {
  at: string;
  score: number;
  rag: Rag;
}

export type RagTrend = "improving" | "declining" | "stable" | "no_data";

export interface PeriodHealth {
  points: number;
  first_score: number | null;
  last_score: number | null;
  /** last - first, one decimal; null with fewer than two points. */
  change: number | null;
  min_score: number | null;
  max_score: number | null;
  average_score: number | null;
  first_rag: Rag | null;
  last_rag: Rag | null;
  rag_counts: Record<Rag, number>;
  rag_trend: RagTrend;
}

const RAG_RANK: Readonly<Record<Rag, number>> = { RED: 0, AMBER: 1, GREEN: 2 };

/** Within this many points a period's score is "stable" when its RAG did not change either. */
export const STABLE_SCORE_BAND = 3;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The health of a period from its history points (any order). */
export function summarizePeriodHealth(points: readonly PeriodPoint[]): PeriodHealth {
  const sorted = [...points].sort((a, b) => parseIso(a.at).getTime() - parseIso(b.at).getTime());
  const counts: Record<Rag, number> = { GREEN: 0, AMBER: 0, RED: 0 };
  for (const p of sorted) counts[p.rag] += 1;
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) {
    return {
      points: 0,
      first_score: null,
      last_score: null,
      change: null,
      min_score: null,
      max_score: null,
      average_score: null,
      first_rag: null,
      last_rag: null,
      rag_counts: counts,
      rag_trend: "no_data",
    };
  }
  const scores = sorted.map((p) => p.score);
  const change = sorted.length > 1 ? round1(last.score - first.score) : null;
  let trend: RagTrend = "stable";
  // The RAG band moving decides first: that is what the customer's status page shows.
  if (RAG_RANK[last.rag] > RAG_RANK[first.rag]) trend = "improving";
  else if (RAG_RANK[last.rag] < RAG_RANK[first.rag]) trend = "declining";
  else if (change !== null && change > STABLE_SCORE_BAND) trend = "improving";
  else if (change !== null && change < -STABLE_SCORE_BAND) trend = "declining";
  return {
    points: sorted.length,
    first_score: first.score,
    last_score: last.score,
    change,
    min_score: Math.min(...scores),
    max_score: Math.max(...scores),
    average_score: round1(scores.reduce((s, n) => s + n, 0) / scores.length),
    first_rag: first.rag,
    last_rag: last.rag,
    rag_counts: counts,
    rag_trend: trend,
  };
}

export interface SignalMovement {
  signal: CsmSignal;
  /** Points the signal gave at the start and at the end of the period. */
  from_points: number;
  to_points: number;
  change: number;
}

/** A signal whose points moved less than this is noise, not a reason the score moved. */
export const SIGNAL_MOVE_MIN_POINTS = 1;

/**
 * The signals that moved the score between two scans' breakdowns, biggest move first. A signal present
 * in only one of them counts from/to zero: gaining or losing data moves the score too.
 */
export function signalMovements(
  from: readonly Pick<CsmBreakdownEntry, "signal" | "points">[],
  to: readonly Pick<CsmBreakdownEntry, "signal" | "points">[],
  limit = 5,
): SignalMovement[] {
  const before = new Map(from.map((e) => [e.signal, e.points]));
  const after = new Map(to.map((e) => [e.signal, e.points]));
  const signals = new Set<CsmSignal>([...before.keys(), ...after.keys()]);
  return [...signals]
    .map((signal) => {
      const a = round1(before.get(signal) ?? 0);
      const b = round1(after.get(signal) ?? 0);
      return { signal, from_points: a, to_points: b, change: round1(b - a) };
    })
    .filter((m) => Math.abs(m.change) >= SIGNAL_MOVE_MIN_POINTS)
    .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.signal.localeCompare(y.signal))
    .slice(0, limit);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (it loads the zone's rules):
// one per zone, reused by every QBR run and daily check.
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = DATE_FORMATS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    DATE_FORMATS.set(timeZone, f);
  }
  return f;
}

/**
 * The calendar date (YYYY-MM-DD) of `now` in an IANA time zone: a job at 06:00 on 1 January in Tokyo
 * runs at 21:00 UTC on 31 December, and must still review Q4.
 */
export function localDate(now: Date, timeZone: string): string {
  const parts = dateFormat(timeZone).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The quarter a QBR written at `now` (in `timeZone`) reviews: the one just ended. */
export function quarterToReview(now: Date, timeZone: string): Quarter {
  return previousQuarter(parseIso(localDate(now, timeZone)));
}

export interface ContractWindow {
  /** The QBR is due this many days before the renewal date (90 by default). */
  leadDays: number;
  /** A check that missed the day catches up for this many days after it. */
  makeupDays: number;
}

/**
 * Whether a contract-proximity QBR is due on `today` (a local date) for a renewal date: from `leadDays`
 * before the renewal until `makeupDays` later, so a missed daily check is made up on the next one.
 * Once-per-renewal is the caller's job (it remembers which renewals got their QBR).
 */
export function contractQbrDue(renewalDate: string | null, today: string, w: ContractWindow): boolean {
  if (renewalDate === null) return false;
  const days = daysUntilDate(today, renewalDate);
  if (days === null) return false;
  return days > 0 && days <= w.leadDays && days >= w.leadDays - w.makeupDays;
}

/** Whole calendar days from one date to another (both YYYY-MM-DD or ISO); null when unreadable. */
export function daysUntilDate(today: string, date: string): number | null {
  try {
    const from = parseIso(today.slice(0, 10));
    const to = parseIso(date.slice(0, 10));
    return daysBetween(from, to);
  } catch {
    return null;
  }
}

/** The first day of the contract window of a renewal date, for messages ("due since ..."). */
export function contractWindowStart(renewalDate: string, w: ContractWindow): string {
  return addDays(parseIso(renewalDate.slice(0, 10)), -w.leadDays)
    .toISOString()
    .slice(0, 10);
}
