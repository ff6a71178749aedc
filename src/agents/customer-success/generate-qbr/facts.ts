/**
 * What a QBR may say: every figure the narrative writes must appear here, so no number in the narrative is
 * absent from the gathered data. Built from the gathered rows by a pure function so the composition, the
 * template and the render all read one object.
 */
import type { ExpansionRecord } from "../../../adapters/records/port.js";
import type { AdoptionAssessment } from "../../../domain/adoption.js";
import { daysUntil, isoDate, MS_PER_DAY, type Quarter } from "../../../domain/calendar.js";
import type { CsmBreakdownEntry, CsmSignal } from "../../../domain/health/csm-score.js";
import {
  type PeriodHealth,
  type PeriodPoint,
  type SignalMovement,
  signalMovements,
  summarizePeriodHealth,
} from "../../../domain/qbr.js";
import {
  type Account,
  isOpenTicket,
  type Rag,
  TICKET_PRIORITIES,
  type Ticket,
  type TicketPriority,
  type UsagePoint,
} from "../../../domain/types.js";
import { SIGNAL_LABELS } from "../prompts.js";

export const QBR_TRIGGERS = ["quarterly", "contract_proximity", "manual"] as const;
export type QbrTrigger = (typeof QBR_TRIGGERS)[number];

export const RECENT_PERIOD_DAYS = 45;

/** Underused features the QBR names (the adoption draft lists its own top five). */
export const QBR_UNDERUSED_LIMIT = 5;

export interface QbrFacts {
  account: {
    id: string;
    name: string;
    tier: string;
    status: string;
    arr: number | null;
    csm_owner: string | null;
    renewal_date: string | null;
    days_to_renewal: number | null;
    seats_purchased: number | null;
    seats_used: number | null;
    seat_utilization: number | null;
    modules: string[];
    api_calls_30d: number | null;
    nps: number | null;
  };
  period: {
    label: string;
    start: string;
    /** Last day the QBR covers (inclusive): the quarter's last day, or today for a quarter in progress. */
    end: string;
    complete: boolean;
    /**
     * True while the period is in progress or ended at most RECENT_PERIOD_DAYS ago: only then do today's
     * snapshot figures (seats, API calls of the last 30 days) speak for it.
     */
    recent: boolean;
    generated_on: string;
  };
  trigger: QbrTrigger;
  health: PeriodHealth & {
    history: Array<{ date: string; score: number; rag: Rag }>;
    /** Signals whose points moved between the first and last scan of the period that have a breakdown. */
    signals_moved: Array<SignalMovement & { label: string }>;
    /** The signals costing the most points today (when no breakdown history shows what moved). */
    current_drivers: Array<{ signal: CsmSignal; label: string; points_lost: number }>;
  };
  support: {
    opened_in_period: number;
    resolved_of_opened: number;
    open_now: number;
    by_priority: Record<TicketPriority, number>;
  };
  /** Weekly product usage in the period; null when none was recorded. */
  usage: {
    weeks: number;
    first_week_active_users: number;
    last_week_active_users: number;
    peak_active_users: number;
    average_active_users: number;
    total_events: number;
  } | null;
  adoption: {
    adoption: number | null;
    benchmark: number | null;
    benchmark_source: AdoptionAssessment["benchmark_source"];
    standing: AdoptionAssessment["standing"];
    gap: number | null;
    cohort_accounts: number;
    features_total: number;
    features_used: number;
    features_in_use: string[];
    /** Every known feature with the share of peers using it (the scorecard table). */
    features: AdoptionAssessment["features"];
    underused: Array<{ feature: string; peer_share: number; impact: number; rank: number }>;
  };
  expansion: {
    open_opportunities: Array<{
      name: string;
      type: string;
      estimated_arr_impact: number;
      confidence: number;
      status: string;
    }>;
    open_count: number;
    open_arr_impact_total: number;
  };
}

export interface FactsInput {
  account: Account;
  quarter: Quarter;
  now: Date;
  trigger: QbrTrigger;
  /** Health history rows of the period, with their stored breakdown (null for rows without one). */
  history: Array<PeriodPoint & { breakdown: Pick<CsmBreakdownEntry, "signal" | "points">[] | null }>;
  currentDrivers: Array<{ signal: CsmSignal; points_lost: number }>;
  tickets: Ticket[];
  usage: UsagePoint[];
  adoption: AdoptionAssessment;
  expansion: ExpansionRecord[];
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function inPeriod(iso: string, quarter: Quarter, now: Date): boolean {
  const t = new Date(iso).getTime();
  return t >= quarter.start.getTime() && t < Math.min(quarter.end.getTime(), now.getTime() + 1);
}

export function buildQbrFacts(input: FactsInput): QbrFacts {
  const { account, quarter, now } = input;
  const complete = now.getTime() >= quarter.end.getTime();
  const lastDay = complete ? new Date(quarter.end.getTime() - 1) : now;

  const points = input.history;
  const withBreakdown = points.filter((p) => p.breakdown !== null && p.breakdown.length > 0);
  const firstB = withBreakdown[0];
  const lastB = withBreakdown.at(-1);
  const moved =
    firstB && lastB && firstB !== lastB ? signalMovements(firstB.breakdown ?? [], lastB.breakdown ?? []) : [];

  const opened = input.tickets.filter((t) => inPeriod(t.opened, quarter, now));
  const byPriority = Object.fromEntries(TICKET_PRIORITIES.map((p) => [p, 0])) as Record<
    TicketPriority,
    number
  >;
  for (const t of opened) byPriority[t.priority] += 1;

  const weeks = [...input.usage].sort((a, b) => a.week_start.localeCompare(b.week_start));
  const usage =
    weeks.length === 0
      ? null
      : {
          weeks: weeks.length,
          first_week_active_users: weeks[0]!.active_users,
          last_week_active_users: weeks.at(-1)!.active_users,
          peak_active_users: Math.max(...weeks.map((w) => w.active_users)),
          average_active_users: round1(weeks.reduce((s, w) => s + w.active_users, 0) / weeks.length),
          total_events: weeks.reduce((s, w) => s + w.events, 0),
        };

  const open = input.expansion.filter((o) => o.status !== "Declined");
  const seatUtil =
    account.seats_purchased !== null && account.seats_purchased > 0 && account.seats_used !== null
      ? round3(account.seats_used / account.seats_purchased)
      : null;
  const a = input.adoption;

  return {
    account: {
      id: account.id,
      name: account.name,
      tier: account.tier,
      status: account.status,
      arr: account.arr,
      csm_owner: account.csm_owner,
      renewal_date: account.renewal_date,
      days_to_renewal: daysUntil(account.renewal_date, now),
      seats_purchased: account.seats_purchased,
      seats_used: account.seats_used,
      seat_utilization: seatUtil,
      modules: account.modules ?? [],
      api_calls_30d: account.api_calls_30d,
      nps: account.nps,
    },
    period: {
      label: quarter.label,
      start: isoDate(quarter.start),
      end: isoDate(lastDay),
      complete,
      recent: !complete || now.getTime() - quarter.end.getTime() <= RECENT_PERIOD_DAYS * MS_PER_DAY,
      generated_on: isoDate(now),
    },
    trigger: input.trigger,
    health: {
      ...summarizePeriodHealth(points),
      history: points.map((p) => ({ date: p.at.slice(0, 10), score: p.score, rag: p.rag })),
      signals_moved: moved.map((m) => ({ ...m, label: SIGNAL_LABELS[m.signal] })),
      current_drivers: input.currentDrivers.map((d) => ({
        signal: d.signal,
        label: SIGNAL_LABELS[d.signal],
        points_lost: round1(d.points_lost),
      })),
    },
    support: {
      opened_in_period: opened.length,
      resolved_of_opened: opened.filter((t) => t.status === "Resolved" || t.status === "Closed").length,
      open_now: input.tickets.filter(isOpenTicket).length,
      by_priority: byPriority,
    },
    usage,
    adoption: {
      adoption: a.adoption,
      benchmark: a.benchmark,
      benchmark_source: a.benchmark_source,
      standing: a.standing,
      gap: a.gap,
      cohort_accounts: a.cohort.accounts,
      features_total: a.features_total,
      features_used: a.features_used,
      features_in_use: a.features.filter((f) => f.used).map((f) => f.feature),
      features: a.features,
      underused: a.underused.slice(0, QBR_UNDERUSED_LIMIT).map((u) => ({
        feature: u.feature,
        peer_share: u.peer_share,
        impact: u.impact,
        rank: u.rank,
      })),
    },
    expansion: {
      open_opportunities: open.map((o) => ({
        name: o.name,
        type: o.type,
        estimated_arr_impact: o.estimated_arr_impact,
        confidence: o.confidence,
        status: o.status,
      })),
      open_count: open.length,
      open_arr_impact_total: open.reduce((s, o) => s + o.estimated_arr_impact, 0),
    },
  };
}
