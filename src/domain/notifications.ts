/**
 * Which accounts a scan notifies (CSM churn alerts, TAM escalations): one budget policy. Pure.
 *
 * - Repeats: an account notified before is notified again only when its level got worse or the repeat
 *   window passed since; otherwise it is suppressed.
 * - Same-day deferral: an account deferred earlier the same UTC day (the budget was spent) is deferred
 *   again unless its level got worse, so repeated scans in one day (the contract check, a manual re-run)
 *   cannot turn "at most N a scan" into N more per run. It competes again in the next day's first scan.
 * - Failed channels first: a notification one of whose channels failed is finished by a later scan that
 *   finds the account at the same level within the window: it is selected again under its first key, so
 *   only the failed channels run. Such retries come before new notifications and count toward the budget.
 * - Budget: at most `budget` a scan, in the caller's order; the rest are deferred, never dropped silently.
 */
import { isoDate, MS_PER_DAY, tryParseIso } from "./calendar.js";

/** The four channels a notification goes out over: the system of record, a draft, chat, the event bus. */
export const ALERT_CHANNELS = ["records", "draft", "chat", "events"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** The last notification of an account, as the policy needs it. */
export interface LastNotification {
  /** Its level (a retry finishes it only at the same level) and that level's severity. */
  level: string;
  severity: number;
  /** When it went out (ISO instant): the repeat window opens then. */
  at: string;
  /** Its idempotency key: what a retry delivers under. */
  key: string | null;
  /** Its channels that failed and are still to deliver. */
  failed_channels: readonly AlertChannel[] | null;
}

export interface NotificationCandidate<C> {
  subject: C;
  level: string;
  /** Higher is worse; compared with the last notification's and the day's deferral's. */
  severity: number;
  last?: LastNotification | undefined;
  /** The severity at which an earlier scan deferred the account, when it did so on `day`. */
  deferred?: { day: string; severity: number } | undefined;
}

/** An earlier notification being finished: the day it went out and what still failed. */
export interface Unfinished {
  on: string;
  failed: readonly AlertChannel[];
}

export type NotificationDecision<C> =
  | { subject: C; status: "suppressed"; last: LastNotification }
  | { subject: C; status: "deferred"; cause: "deferred_today" }
  | { subject: C; status: "deferred"; cause: "budget"; rank: number; unfinished: Unfinished | null }
  | { subject: C; status: "selected"; rank: number; key: string; unfinished: Unfinished | null };

export interface NotificationPolicy<C> {
  now: Date;
  budget: number;
  repeatDays: number;
  /** The budget's order among new notifications, and among retries: most deserving first. */
  order(a: C, b: C): number;
  /** The idempotency key of a new notification of `c`. */
  newKey(c: C): string;
}

/** Notified within the repeat window and not worse since: a repeat. An unreadable instant is no repeat. */
export function isRepeat(
  severity: number,
  last: Pick<LastNotification, "severity" | "at">,
  now: Date,
  repeatDays: number,
): boolean {
  if (severity > last.severity) return false;
  const at = tryParseIso(last.at);
  if (!at) return false;
  return (now.getTime() - at.getTime()) / MS_PER_DAY < repeatDays;
}

/** Deferred earlier today and not worse since: today's budget is not spent on it again. */
export const deferredEarlier = (severity: number, deferredSeverity: number | undefined): boolean =>
  deferredSeverity !== undefined && severity <= deferredSeverity;

/**
 * The decisions of one scan: suppressed and deferred-today accounts in candidate order, then every
 * contender for the budget in rank order (retries first), selected up to the budget, deferred past it.
 */
export function selectNotifications<C>(
  candidates: readonly NotificationCandidate<C>[],
  policy: NotificationPolicy<C>,
): NotificationDecision<C>[] {
  const today = isoDate(policy.now);
  const decisions: NotificationDecision<C>[] = [];
  const retries: Array<{ c: NotificationCandidate<C>; key: string; unfinished: Unfinished }> = [];
  const fresh: NotificationCandidate<C>[] = [];

  for (const c of candidates) {
    const last = c.last;
    if (last && isRepeat(c.severity, last, policy.now, policy.repeatDays)) {
      if (last.failed_channels?.length && last.key && c.level === last.level) {
        retries.push({
          c,
          key: last.key,
          unfinished: { on: last.at.slice(0, 10), failed: last.failed_channels },
        });
      } else {
        decisions.push({ subject: c.subject, status: "suppressed", last });
      }
      continue;
    }
    if (c.deferred?.day === today && deferredEarlier(c.severity, c.deferred.severity)) {
      decisions.push({ subject: c.subject, status: "deferred", cause: "deferred_today" });
      continue;
    }
    fresh.push(c);
  }

  const contenders = [
    ...retries.sort((a, b) => policy.order(a.c.subject, b.c.subject)),
    ...fresh
      .sort((a, b) => policy.order(a.subject, b.subject))
      .map((c) => ({ c, key: policy.newKey(c.subject), unfinished: null })),
  ];
  contenders.forEach(({ c, key, unfinished }, i) => {
    const rank = i + 1;
    decisions.push(
      rank <= policy.budget
        ? { subject: c.subject, status: "selected", rank, key, unfinished }
        : { subject: c.subject, status: "deferred", cause: "budget", rank, unfinished },
    );
  });
  return decisions;
}
