import { addDays, tryParseIso } from "../../domain/calendar.js";
import { type Account, CHURN_LEVELS } from "../../domain/types.js";
import type { BusEvent, EventType } from "../../events/catalogue.js";
import type { Trigger } from "../schema/triggers.js";

/** Which events and dates fire a trigger: pure, so the trigger service only gathers and records. */

/** The bus events that can fire an event trigger (the durable subscription's filter). */
export const TRIGGER_EVENT_TYPES: readonly EventType[] = [
  "churn.risk_flagged",
  "tam.escalation_raised",
  "account.health_scored",
  "account.field_changed",
];

/** How a trigger is named in `started_by`: `trigger:event:churn.risk_flagged`, `trigger:time:before:90:renewal_date`. */
export const triggerLabel = (t: Trigger): string =>
  t.type === "event"
    ? `event:${t.event}`
    : t.type === "time"
      ? `time:${t.when}:${t.days}:${t.anchor}`
      : t.type;

/** Does this event fire this trigger? */
export function eventMatches(t: Trigger, e: BusEvent): boolean {
  if (t.type !== "event") return false;
  switch (t.event) {
    case "churn.risk_flagged": {
      if (e.type !== "churn.risk_flagged") return false;
      const level = (e as BusEvent<"churn.risk_flagged">).payload.level;
      return !t.min_level || CHURN_LEVELS.indexOf(level) >= CHURN_LEVELS.indexOf(t.min_level);
    }
    case "tam.escalation_raised":
      return e.type === "tam.escalation_raised";
    case "health_drop": {
      if (e.type !== "account.health_scored") return false;
      const p = (e as BusEvent<"account.health_scored">).payload;
      return p.previous_score !== null && p.previous_score - p.score >= t.min_drop;
    }
    case "champion_left": {
      if (e.type !== "account.field_changed") return false;
      const p = (e as BusEvent<"account.field_changed">).payload;
      const had = typeof p.old_value === "string" && p.old_value.trim() !== "";
      return p.field === "champion" && had && p.new_value !== p.old_value;
    }
  }
}

/** The day a time trigger is due for an account, or null when the account lacks the anchor date. */
export function timeTriggerDue(t: Extract<Trigger, { type: "time" }>, account: Account): Date | null {
  const iso = account[t.anchor];
  const anchor = iso ? tryParseIso(iso) : null;
  if (!anchor) return null;
  return addDays(anchor, t.when === "before" ? -t.days : t.days);
}
