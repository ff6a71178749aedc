/**
 * Which accounts a scan alerts (issue 3): at most `maxAlerts`, chosen by ARR x churn severity; the rest
 * are deferred, never dropped silently. An account is alerted again only when its churn level rose or
 * the repeat window (ALERT_REPEAT_DAYS) passed since its last alert.
 *
 * Deferral is remembered for the rest of the UTC day: a second scan the same day (the contract check, a
 * manual re-run) does not spend a fresh budget on accounts already deferred today unless their level
 * rose, so repeated scans cannot turn "at most 5 alerts" into 5 more per run. They compete again in the
 * first scan of the next day.
 *
 * An alert one of whose channels failed (Slack down, Gmail refusing) is finished by a later scan that
 * still finds the account at the same churn level within the repeat window: it is selected again under
 * its first key, so only the failed channels run (the others are remembered as done). Such retries come
 * first and count toward the same budget. Pure: no I/O.
 */
import { isoDate, MS_PER_DAY, parseIso } from "../../../domain/calendar.js";
import { churnSeverity } from "../../../domain/churn.js";
import type { ChurnLevel } from "../../../domain/types.js";
import type { AlertChannel } from "../../shared/alert-channels.js";

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

export function decideAlerts(
  candidates: readonly AlertCandidate[],
  states: ReadonlyMap<string, AlertState>,
  opts: SelectionOptions,
): AlertDecision[] {
  const today = isoDate(opts.scanAt);
  const decisions: AlertDecision[] = [];
  const eligible: AlertCandidate[] = [];
  // An account in line for the budget: a new alert, or the unfinished one of `on` with `failed` channels.
  type Contender = { c: AlertCandidate; key: string; failed?: readonly AlertChannel[]; on?: string };
  const retries: Contender[] = [];

  for (const c of candidates) {
    const st = states.get(c.account_id);
    if (st?.last_level && st.last_alerted_at) {
      const rose = c.severity > churnSeverity(st.last_level);
      const ageDays = (opts.scanAt.getTime() - parseIso(st.last_alerted_at).getTime()) / MS_PER_DAY;
      if (!rose && ageDays < opts.repeatDays) {
        if (st.failed_channels?.length && st.last_key && c.churn_level === st.last_level) {
          retries.push({
            c,
            key: st.last_key,
            failed: st.failed_channels,
            on: st.last_alerted_at.slice(0, 10),
          });
          continue;
        }
        decisions.push({
          account_id: c.account_id,
          status: "suppressed",
          reason: `alerted on ${st.last_alerted_at.slice(0, 10)} at ${st.last_level} churn risk; alerts again when the level rises or after ${opts.repeatDays} days`,
        });
        continue;
      }
    }
    if (st?.deferred_on === today && st.deferred_level && c.severity <= churnSeverity(st.deferred_level)) {
      decisions.push({
        account_id: c.account_id,
        status: "deferred",
        reason: "deferred earlier today (alert budget used); competes again in the next day's first scan",
      });
      continue;
    }
    eligible.push(c);
  }

  const byPriority = (a: AlertCandidate, b: AlertCandidate) =>
    priority(b) - priority(a) ||
    b.severity - a.severity ||
    a.score - b.score ||
    (a.account_id < b.account_id ? -1 : 1);
  // One line for the budget: unfinished alerts first, then new ones, each by priority.
  const contenders: Contender[] = [
    ...retries.sort((a, b) => byPriority(a.c, b.c)),
    ...eligible
      .sort(byPriority)
      .map((c) => ({ c, key: churnAlertKey(c.account_id, c.churn_level, opts.scanAt) })),
  ];
  contenders.forEach(
    (x: { c: AlertCandidate; key: string; failed?: readonly AlertChannel[]; on?: string }, i) => {
      const unfinished = x.failed ? `${x.failed.join(", ")}` : null;
      if (i < opts.maxAlerts) {
        decisions.push({
          account_id: x.c.account_id,
          status: "selected",
          rank: i + 1,
          key: x.key,
          ...(unfinished
            ? { retry: true as const, reason: `finishing the alert of ${x.on}: ${unfinished} failed then` }
            : { reason: `rank ${i + 1} by ARR x churn severity` }),
        });
      } else {
        decisions.push({
          account_id: x.c.account_id,
          status: "deferred",
          reason: unfinished
            ? `the alert of ${x.on} still has ${unfinished} to deliver; the alert budget of ${opts.maxAlerts} per scan is used`
            : `alert budget of ${opts.maxAlerts} per scan went to accounts with more ARR at risk`,
        });
      }
    },
  );
  return decisions;
}
