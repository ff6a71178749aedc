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
