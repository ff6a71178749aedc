/**
 * Which accounts a health scan alerts: at most `maxAlerts`, chosen by ARR x churn severity, under the
 * notification policy (domain/notifications.ts): repeats only when the churn level rose or the repeat
 * window (ALERT_REPEAT_DAYS) passed, deferrals remembered for the rest of the UTC day, alerts with a
 * failed channel finished first under their first key. Pure: no I/O.
 */
import { isoDate } from "./calendar.js";
import { churnSeverity } from "./churn.js";
import { type AlertChannel, type NotificationCandidate, selectNotifications } from "./notifications.js";
import type { ChurnLevel, Rag } from "./types.js";

export interface AlertCandidate {
  account_id: string;
  churn_level: ChurnLevel;
  severity: number;
  arr: number | null;
  score: number;
}

export interface AlertState {
  last_level: ChurnLevel | null;
  last_alerted_at: string | null;
  /** Key of the last alert; with failed_channels, what a retry delivers under. */
  last_key?: string | null;
  /** Channels of the last alert that failed and are still to deliver. */
  failed_channels?: readonly AlertChannel[] | null;
  deferred_level: ChurnLevel | null;
  deferred_on: string | null;
}

export type AlertDecision =
  | { account_id: string; status: "selected"; rank: number; key: string; reason: string; retry?: true }
  | { account_id: string; status: "deferred" | "suppressed"; reason: string };

export interface SelectionOptions {
  scanAt: Date;
  maxAlerts: number;
  repeatDays: number;
}

/** The idempotency key of an alert: per account, level and window (the day the window opened). */
export const churnAlertKey = (accountId: string, level: ChurnLevel, scanAt: Date): string =>
  `churn-alert:${accountId}:${level}:${isoDate(scanAt)}`;

/** ARR at risk weighted by severity; accounts without ARR still rank by severity among themselves. */
const priority = (c: AlertCandidate): number => (c.arr ?? 0) * c.severity;

const byPriority = (a: AlertCandidate, b: AlertCandidate) =>
  priority(b) - priority(a) ||
  b.severity - a.severity ||
  a.score - b.score ||
  (a.account_id < b.account_id ? -1 : 1);

/** An alert is critical when the churn risk is, or the health is RED; a warning otherwise. */
export const alertSeverity = (rag: Rag, level: ChurnLevel): "critical" | "warning" =>
  level === "critical" || rag === "RED" ? "critical" : "warning";

export function decideAlerts(
  candidates: readonly AlertCandidate[],
  states: ReadonlyMap<string, AlertState>,
  opts: SelectionOptions,
): AlertDecision[] {
  const asNotification = (c: AlertCandidate): NotificationCandidate<AlertCandidate> => {
    const st = states.get(c.account_id);
    return {
      subject: c,
      level: c.churn_level,
      severity: c.severity,
      last:
        st?.last_level && st.last_alerted_at
          ? {
              level: st.last_level,
              severity: churnSeverity(st.last_level),
              at: st.last_alerted_at,
              key: st.last_key ?? null,
              failed_channels: st.failed_channels ?? null,
            }
          : undefined,
      deferred:
        st?.deferred_on && st.deferred_level
          ? { day: st.deferred_on, severity: churnSeverity(st.deferred_level) }
          : undefined,
    };
  };
  const decisions = selectNotifications(candidates.map(asNotification), {
    now: opts.scanAt,
    budget: opts.maxAlerts,
    repeatDays: opts.repeatDays,
    order: byPriority,
    newKey: (c) => churnAlertKey(c.account_id, c.churn_level, opts.scanAt),
  });
  return decisions.map((d): AlertDecision => {
    const account_id = d.subject.account_id;
    if (d.status === "suppressed") {
      return {
        account_id,
        status: "suppressed",
        reason: `alerted on ${d.last.at.slice(0, 10)} at ${d.last.level} churn risk; alerts again when the level rises or after ${opts.repeatDays} days`,
      };
    }
    if (d.status === "deferred" && d.cause === "deferred_today") {
      return {
        account_id,
        status: "deferred",
        reason: "deferred earlier today (alert budget used); competes again in the next day's first scan",
      };
    }
    const unfinished = d.unfinished && { on: d.unfinished.on, failed: d.unfinished.failed.join(", ") };
    if (d.status === "selected") {
      return {
        account_id,
        status: "selected",
        rank: d.rank,
        key: d.key,
        ...(unfinished
          ? {
              retry: true as const,
              reason: `finishing the alert of ${unfinished.on}: ${unfinished.failed} failed then`,
            }
          : { reason: `rank ${d.rank} by ARR x churn severity` }),
      };
    }
    return {
      account_id,
      status: "deferred",
      reason: unfinished
        ? `the alert of ${unfinished.on} still has ${unfinished.failed} to deliver; the alert budget of ${opts.maxAlerts} per scan is used`
        : `alert budget of ${opts.maxAlerts} per scan went to accounts with more ARR at risk`,
    };
  });
}
