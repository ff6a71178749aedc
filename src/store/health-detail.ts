/**
 * The scoring detail a health scan stores on each health-history row, and how it is stored: positional
 * JSON (signals by an append-only number) instead of keyed. Every scan writes one per scored account
 * (10,000 on a 10,000-account book), so its size is much of what a scan writes: keyed it was about
 * 1.5 KB a row, positional about 0.4 KB, and the store's write volume (WAL pages, checkpoints) follows.
 *
 * Readers always decode: the API, QBRs, alerts and the CSM queue see the same HealthDetail, key for
 * key. Rows written before this form (plain objects) decode as they are.
 */
import type { ChurnAssessment } from "../domain/churn.js";
import type { CsmHealthResult, CsmSignal, HealthTrend } from "../domain/health/csm-score.js";
import type { Rag } from "../domain/types.js";

/** What a scan stores per scored account (health history `detail`, shown by GET /v1/accounts/:id). */
export interface HealthDetail {
  breakdown: CsmHealthResult["breakdown"];
  missing_signals: CsmHealthResult["missing_signals"];
  data_completeness: number;
  confidence: CsmHealthResult["confidence"];
  top_drivers: CsmHealthResult["top_drivers"];
  tam_multiplier: number;
  /** Null on an account's first scan: there is nothing to trend against. */
  trend: HealthTrend | null;
  churn: ChurnAssessment;
  previous_score: number | null;
  previous_rag: Rag | null;
  open_tickets: number;
  tam_escalations: number;
}

/** Marks the positional detail; a keyed (older) detail has no `v`. */
const DETAIL_FORM = 2;

/**
 * Each signal's number in a stored breakdown. Append only: stored rows keep their numbers for good, so
 * a new signal takes the next number and none is ever reordered or reused.
 */
export const SIGNAL_CODES: readonly CsmSignal[] = Object.freeze([
  "feature_adoption",
  "usage_trend",
  "days_since_login",
  "days_since_interaction",
  "payment_status",
  "support",
  "stakeholder_engagement",
  "nps",
  "days_to_renewal",
  "seat_utilization",
  "escalations_90d",
]);
const CODE_OF = new Map(SIGNAL_CODES.map((signal, i) => [signal, i]));

type StoredEntry = [
  /** Its SIGNAL_CODES number (a signal without one is stored by name). */
  signal: number | CsmSignal,
  value: CsmHealthResult["breakdown"][number]["value"],
  sub_score: number,
  weight: number,
  points: number,
  max_points: number,
];
type StoredTrend = [
  change_since_previous: number | null,
  slope_30d: number | null,
  direction: HealthTrend["direction"],
];
type StoredChurn = [
  level: ChurnAssessment["level"],
  contract_proximity: 0 | 1,
  behavioural: 0 | 1,
  reasons: string[],
  should_alert: 0 | 1,
  alert_reasons: string[],
];

interface StoredDetail {
  v: typeof DETAIL_FORM;
  b: StoredEntry[];
  m: HealthDetail["missing_signals"];
  dc: number;
  c: HealthDetail["confidence"];
  td: HealthDetail["top_drivers"];
  tm: number;
  t: StoredTrend | null;
  ch: StoredChurn;
  ps: number | null;
  pr: HealthDetail["previous_rag"];
  ot: number;
  te: number;
}

const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);

export function encodeHealthDetail(d: HealthDetail): string {
  const stored: StoredDetail = {
    v: DETAIL_FORM,
    b: d.breakdown.map((e) => [
      CODE_OF.get(e.signal) ?? e.signal,
      e.value,
      e.sub_score,
      e.weight,
      e.points,
      e.max_points,
    ]),
    m: d.missing_signals,
    dc: d.data_completeness,
    c: d.confidence,
    td: d.top_drivers,
    tm: d.tam_multiplier,
    t: d.trend === null ? null : [d.trend.change_since_previous, d.trend.slope_30d, d.trend.direction],
    ch: [
      d.churn.level,
      bit(d.churn.contract_proximity),
      bit(d.churn.behavioural),
      d.churn.reasons,
      bit(d.churn.should_alert),
      d.churn.alert_reasons,
    ],
    ps: d.previous_score,
    pr: d.previous_rag,
    ot: d.open_tickets,
    te: d.tam_escalations,
  };
  return JSON.stringify(stored);
}

function signalOf(code: number): CsmSignal {
  const signal = SIGNAL_CODES[code];
  if (signal === undefined) throw new RangeError(`stored health detail names unknown signal #${code}`);
  return signal;
}

function fromStored(s: StoredDetail): HealthDetail {
  const [level, contract, behavioural, reasons, shouldAlert, alertReasons] = s.ch;
  return {
    breakdown: s.b.map(([signal, value, sub_score, weight, points, max_points]) => ({
      signal: typeof signal === "number" ? signalOf(signal) : signal,
      value,
      sub_score,
      weight,
      points,
      max_points,
    })),
    missing_signals: s.m,
    data_completeness: s.dc,
    confidence: s.c,
    top_drivers: s.td,
    tam_multiplier: s.tm,
    trend: s.t === null ? null : { change_since_previous: s.t[0], slope_30d: s.t[1], direction: s.t[2] },
    churn: {
      level,
      contract_proximity: contract === 1,
      behavioural: behavioural === 1,
      reasons,
      should_alert: shouldAlert === 1,
      alert_reasons: alertReasons,
    },
    previous_score: s.ps,
    previous_rag: s.pr,
    open_tickets: s.ot,
    tam_escalations: s.te,
  };
}

/**
 * The detail of a health-history row, whichever form it was stored in; null when there is none.
 * Throws (SyntaxError) on text that is not JSON, as JSON.parse does.
 */
export function decodeHealthDetail(text: string | null | undefined): HealthDetail | null {
  if (text === null || text === undefined || text === "") return null;
  const parsed = JSON.parse(text) as StoredDetail | HealthDetail | null;
  if (parsed === null || typeof parsed !== "object") return null;
  return "v" in parsed && parsed.v === DETAIL_FORM ? fromStored(parsed) : (parsed as HealthDetail);
}
