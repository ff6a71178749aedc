/**
 * Which TAM escalations go out (issue 6, item 2): de-duplicated like CSM alerts, an account is escalated
 * again only when its status got worse or the repeat window passed; at most N per scan, the costliest
 * first (ARR x how far the score fell). Pure.
 */
import { MS_PER_DAY, tryParseIso } from "./calendar.js";
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

/** Why an escalation is suppressed as a repeat, or null when it goes out. */
export function repeatSuppression(
  status: TamStatus,
  last: LastEscalation | undefined,
  now: Date,
  repeatDays: number,
): string | null {
  if (!last) return null;
  if (TAM_STATUS_SEVERITY[status] > TAM_STATUS_SEVERITY[last.last_status]) return null;
  const at = tryParseIso(last.last_escalated_at);
  if (!at) return null;
  const days = (now.getTime() - at.getTime()) / MS_PER_DAY;
  if (days >= repeatDays) return null;
  return `escalated at ${last.last_status} on ${last.last_escalated_at.slice(0, 10)}; repeats after ${repeatDays} days or on a worse status`;
}

/** Order of escalation: revenue at stake times how far the score fell (an unknown ARR still counts). */
export const escalationPriority = (arr: number | null, score: number): number =>
  (Math.max(0, arr ?? 0) + 1) * (100 - score + 1);

/** One escalation per account, status and day: a re-run of the scan reuses it, never repeats it. */
export const escalationKey = (accountId: string, status: TamStatus, scanAt: string): string =>
  `tam-escalation:${accountId}:${status}:${scanAt.slice(0, 10)}`;

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

/** Deferred by an earlier scan today and not worse since: the day's escalation budget is not spent again. */
export function deferredToday(status: TamStatus, deferredStatusToday: TamStatus | undefined): string | null {
  if (!deferredStatusToday) return null;
  if (TAM_STATUS_SEVERITY[status] > TAM_STATUS_SEVERITY[deferredStatusToday]) return null;
  return "deferred earlier today (escalation budget used); competes again in the next day's first scan";
}
