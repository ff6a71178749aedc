/**
 * Which TAM escalations go out: the notification policy (domain/notifications.ts) with TAM's levels.
 * An account is escalated again only when its status got worse or the repeat window passed; at most N
 * per scan, the costliest first (ARR x how far the score fell); one with a failed channel is finished
 * first under its first key. Pure.
 */
import {
  type AlertChannel,
  deferredEarlier,
  isRepeat,
  type NotificationCandidate,
  selectNotifications,
} from "./notifications.js";
import type { TamStatus } from "./types.js";

export const TAM_STATUS_SEVERITY: Readonly<Record<TamStatus, number>> = Object.freeze({
  Green: 0,
  Amber: 1,
  Red: 2,
});

export interface LastEscalation {
  last_status: TamStatus;
  last_escalated_at: string;
}

const repeatReason = (last: LastEscalation, repeatDays: number): string =>
  `escalated at ${last.last_status} on ${last.last_escalated_at.slice(0, 10)}; repeats after ${repeatDays} days or on a worse status`;

const asLast = (last: LastEscalation) => ({
  severity: TAM_STATUS_SEVERITY[last.last_status],
  at: last.last_escalated_at,
});

/** Why an escalation is suppressed as a repeat, or null when it goes out. */
export function repeatSuppression(
  status: TamStatus,
  last: LastEscalation | undefined,
  now: Date,
  repeatDays: number,
): string | null {
  if (!last || !isRepeat(TAM_STATUS_SEVERITY[status], asLast(last), now, repeatDays)) return null;
  return repeatReason(last, repeatDays);
}

/** Order of escalation: revenue at stake times how far the score fell (an unknown ARR still counts). */
export const escalationPriority = (arr: number | null, score: number): number =>
  (Math.max(0, arr ?? 0) + 1) * (100 - score + 1);

/** One escalation per account, status and day: a re-run of the scan reuses it, never repeats it. */
export const escalationKey = (accountId: string, status: TamStatus, scanAt: string): string =>
  `tam-escalation:${accountId}:${status}:${scanAt.slice(0, 10)}`;

/** An escalation is critical on Red technical health, a warning otherwise. */
export const escalationSeverity = (status: TamStatus): "critical" | "warning" =>
  status === "Red" ? "critical" : "warning";

const DEFERRED_PREFIX = "escalation deferred on ";

/** An escalation an earlier scan deferred (over the per-scan limit) and nobody has raised since. */
export interface DeferredEscalation {
  status: TamStatus;
  scan_at: string;
  reasons: string[];
}

/**
 * Whether a deferred escalation is still due, and why. The escalation rules fire on a change (Green ->
 * Amber), so an account deferred on that change would never fire again while it stays Amber; like a
 * deferred CSM alert, it competes again in later scans as long as it has not recovered.
 */
export function stillDue(status: TamStatus, deferred: DeferredEscalation | undefined): string | null {
  if (!deferred || status === "Green") return null;
  if (TAM_STATUS_SEVERITY[status] < TAM_STATUS_SEVERITY[deferred.status]) return null;
  // Deferred again and again: the reason keeps the first deferral's date and cause.
  const [first] = deferred.reasons;
  if (deferred.reasons.length === 1 && first?.startsWith(DEFERRED_PREFIX)) return first;
  const why = deferred.reasons.length > 0 ? ` (${deferred.reasons.join("; ")})` : "";
  return `${DEFERRED_PREFIX}${deferred.scan_at.slice(0, 10)}${why} is still due`;
}

const DEFERRED_TODAY =
  "deferred earlier today (escalation budget used); competes again in the next day's first scan";

/** Deferred by an earlier scan today and not worse since: the day's escalation budget is not spent again. */
export function deferredToday(status: TamStatus, deferredStatusToday: TamStatus | undefined): string | null {
  const deferredSeverity = deferredStatusToday && TAM_STATUS_SEVERITY[deferredStatusToday];
  return deferredEarlier(TAM_STATUS_SEVERITY[status], deferredSeverity) ? DEFERRED_TODAY : null;
}

/** A scored account the rules want escalated. */
export interface EscalationCandidate {
  account_id: string;
  status: TamStatus;
  arr: number | null;
  score: number;
}

/** The account's last escalation, for de-duplication and for finishing its failed channels. */
export interface EscalationState extends LastEscalation {
  last_key: string;
  /** Channels of the last escalation that failed and are still to deliver. */
  failed_channels: AlertChannel[] | null;
}

export interface EscalationVerdict {
  account_id: string;
  status: "selected" | "deferred" | "suppressed";
  reason: string | null;
  key: string | null;
  /** Place in the budget's line (deferred over the limit included): who is next. */
  rank: number | null;
}

export interface EscalationOptions {
  /** The scan's instant (ISO): its day keys new escalations and bounds today's deferrals. */
  scanAt: string;
  max: number;
  repeatDays: number;
}

/**
 * The escalation decisions of one scan. `deferredTodayStatus` is, per account, the worst status at
 * which another scan deferred it today.
 */
export function decideEscalations(
  candidates: readonly EscalationCandidate[],
  states: ReadonlyMap<string, EscalationState>,
  deferredTodayStatus: ReadonlyMap<string, TamStatus>,
  opts: EscalationOptions,
): EscalationVerdict[] {
  const day = opts.scanAt.slice(0, 10);
  const asNotification = (c: EscalationCandidate): NotificationCandidate<EscalationCandidate> => {
    const st = states.get(c.account_id);
    const deferred = deferredTodayStatus.get(c.account_id);
    return {
      subject: c,
      level: c.status,
      severity: TAM_STATUS_SEVERITY[c.status],
      last: st && {
        level: st.last_status,
        ...asLast(st),
        key: st.last_key,
        failed_channels: st.failed_channels,
      },
      deferred: deferred && { day, severity: TAM_STATUS_SEVERITY[deferred] },
    };
  };
  const decisions = selectNotifications(candidates.map(asNotification), {
    now: new Date(opts.scanAt),
    budget: opts.max,
    repeatDays: opts.repeatDays,
    order: (a, b) =>
      escalationPriority(b.arr, b.score) - escalationPriority(a.arr, a.score) ||
      a.account_id.localeCompare(b.account_id),
    newKey: (c) => escalationKey(c.account_id, c.status, opts.scanAt),
  });
  return decisions.map((d): EscalationVerdict => {
    const account_id = d.subject.account_id;
    const none = { key: null, rank: null };
    if (d.status === "suppressed") {
      const st = states.get(account_id)!;
      return { account_id, status: "suppressed", reason: repeatReason(st, opts.repeatDays), ...none };
    }
    if (d.status === "deferred" && d.cause === "deferred_today") {
      return { account_id, status: "deferred", reason: DEFERRED_TODAY, ...none };
    }
    const unfinished = d.unfinished && { on: d.unfinished.on, failed: d.unfinished.failed.join(", ") };
    if (d.status === "selected") {
      return {
        account_id,
        status: "selected",
        reason: unfinished
          ? `finishing the escalation of ${unfinished.on}: ${unfinished.failed} failed then`
          : null,
        key: d.key,
        rank: d.rank,
      };
    }
    return {
      account_id,
      status: "deferred",
      reason: unfinished
        ? `the escalation of ${unfinished.on} still has ${unfinished.failed} to deliver; over the limit of ${opts.max} escalations per scan`
        : `over the limit of ${opts.max} escalations per scan`,
      key: null,
      rank: d.rank,
    };
  });
}
