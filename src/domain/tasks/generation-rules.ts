/**
 * Generation rules: which task types an account calls for now. Pure; each rule reads its
 * thresholds from the task type's auto_trigger_conditions in the catalogue.
 *
 * Besides "never two open tasks of one type for one customer" (enforced by the store), a rule says how a
 * closed task keeps it from firing again:
 * - an episodic rule names its episode in `trigger_key` (the day-30 check-in of this signup date, the
 *   renewal of this renewal date, this NPS response, this stall since this last step): one task per
 *   episode, ever;
 * - a standing condition (churn risk high, a health drop) waits `cooldown_days` after its last task of
 *   the type, so a customer that stays at risk gets a recovery call a week, not a task a day.
 */
import { daysSince, daysUntil } from "../calendar.js";
import type { Account, ChurnLevel } from "../types.js";
import type { AutoTriggerConditions, TaskTypeSlug } from "./catalog-schema.js";
import type { ChurnLevelSource } from "./churn-level.js";

export interface RuleInputs {
  now: Date;
  churn: { level: ChurnLevel | null; source: ChurnLevelSource };
  /** The current CSM health score and the highest one within the drop window, when known. */
  health: { current: number | null; recent_max: number | null };
}

export interface TaskTrigger {
  task_type: TaskTypeSlug;
  trigger_key: string | null;
  cooldown_days: number;
  /** Why the rule fired, for the task's metadata. */
  reason: string;
  metadata: Record<string, unknown>;
}

export interface RuleDefinition {
  slug: TaskTypeSlug;
  auto_trigger_conditions: AutoTriggerConditions;
}

/** A customer at risk gets one recovery call a week while the risk stands. */
export const AT_RISK_COOLDOWN_DAYS = 7;

/** The window (days) the health-drop rule compares scores over, for the caller's history query. */
export function healthDropWindowDays(rules: readonly RuleDefinition[]): number {
  const drop = rules.find((r) => r.auto_trigger_conditions.rule === "health_score_drop");
  return drop?.auto_trigger_conditions.rule === "health_score_drop"
    ? drop.auto_trigger_conditions.within_days
    : 14;
}

function evaluate(rule: RuleDefinition, account: Account, inputs: RuleInputs): TaskTrigger | null {
  const c = rule.auto_trigger_conditions;
  const { now } = inputs;
  const slug = rule.slug;
  switch (c.rule) {
    case "onboarding_stall": {
      if (account.status !== c.account_status) return null;
      const since = account.onboarding_last_step_at ?? account.signup_date;
      const idle = daysSince(since, now);
      if (since === null || idle === null || idle < c.stalled_days) return null;
      return {
        task_type: slug,
        trigger_key: `${slug}:${account.id}:${since}`,
        cooldown_days: 0,
        reason: `onboarding with no step completed for ${idle} days`,
        metadata: {
          days_since_last_step: idle,
          completed_steps: account.onboarding_steps_done,
          last_step_at: account.onboarding_last_step_at,
        },
      };
    }
    case "signup_milestone": {
      const days = daysSince(account.signup_date, now);
      if (days === null || Math.abs(days - c.days_since_signup) > c.window_days) return null;
      return {
        task_type: slug,
        trigger_key: `${slug}:${account.id}:${account.signup_date}`,
        cooldown_days: 0,
        reason: `day ${days} after signup (milestone day ${c.days_since_signup})`,
        metadata: { signup_date: account.signup_date, days_since_signup: days },
      };
    }
    case "churn_risk": {
      const level = inputs.churn.level;
      if (level === null || !c.churn_risk_in.includes(level)) return null;
      return {
        task_type: slug,
        trigger_key: null,
        cooldown_days: AT_RISK_COOLDOWN_DAYS,
        reason: `churn risk ${level}`,
        metadata: { churn_risk: level, churn_risk_source: inputs.churn.source },
      };
    }
    case "health_score_drop": {
      const { current, recent_max } = inputs.health;
      if (current === null || recent_max === null) return null;
      const drop = Math.round((recent_max - current) * 10) / 10;
      if (drop < c.min_drop_points) return null;
      return {
        task_type: slug,
        trigger_key: null,
        cooldown_days: c.within_days,
        reason: `health score fell ${drop} points within ${c.within_days} days`,
        metadata: { drop_points: drop, from_score: recent_max, to_score: current },
      };
    }
    case "renewal_window": {
      const days = daysUntil(account.renewal_date, now);
      if (days === null || days > c.days_to_renewal_max) return null;
      return {
        task_type: slug,
        trigger_key: `${slug}:${account.id}:${account.renewal_date}`,
        cooldown_days: 0,
        reason: days < 0 ? `renewal date passed ${-days} days ago` : `renewal in ${days} days`,
        metadata: { renewal_date: account.renewal_date, days_to_renewal: days },
      };
    }
    case "nps_detractor": {
      const age = daysSince(account.nps_date, now);
      if (account.nps === null || account.nps > c.nps_max || age === null || age < 0 || age > c.within_days)
        return null;
      return {
        task_type: slug,
        trigger_key: `${slug}:${account.id}:${account.nps_date}`,
        cooldown_days: 0,
        reason: `NPS ${account.nps} given ${age} days ago`,
        metadata: { nps: account.nps, nps_date: account.nps_date },
      };
    }
    case "event":
      // Created only by its events (the queue's event subscriptions).
      return null;
  }
}

/** The triggers of every active rule for one account. A churned customer gets none. */
export function evaluateRules(
  rules: readonly (RuleDefinition & { is_active: boolean })[],
  account: Account,
  inputs: RuleInputs,
): TaskTrigger[] {
  if (account.status === "Churned") return [];
  const out: TaskTrigger[] = [];
  for (const rule of rules) {
    if (!rule.is_active) continue;
    const trigger = evaluate(rule, account, inputs);
    if (trigger) out.push(trigger);
  }
  return out;
}

/**
 * A health drop is left to the at-risk recovery call when the same customer has (or now gets) one: one
 * call covers both, and the recovery playbook already digs into the drop.
 */
export const HEALTH_DROP_COVERED_BY: TaskTypeSlug = "at_risk_recovery";
