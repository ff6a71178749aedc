import { z } from "zod";
import { CHURN_LEVELS } from "../../domain/types.js";
import { ConditionSchema } from "./condition.js";

/** What starts a playbook for a customer: a person, a date, an event, or a condition coming true. */

export const TIME_ANCHORS = ["renewal_date", "signup_date"] as const;

export const TriggerSchema = z.union([
  z.strictObject({ type: z.literal("manual") }),
  /** X days before renewal, X days after signup. */
  z.strictObject({
    type: z.literal("time"),
    anchor: z.enum(TIME_ANCHORS),
    when: z.enum(["before", "after"]),
    days: z.number().int().min(0).max(730),
  }),
  z.strictObject({
    type: z.literal("event"),
    event: z.literal("churn.risk_flagged"),
    min_level: z.enum(CHURN_LEVELS).optional(),
  }),
  z.strictObject({ type: z.literal("event"), event: z.literal("tam.escalation_raised") }),
  /** account.health_scored with a fall of at least min_drop points. */
  z.strictObject({
    type: z.literal("event"),
    event: z.literal("health_drop"),
    min_drop: z.number().min(1).max(100).default(10),
  }),
  /** account.field_changed on the champion field, away from a named champion. */
  z.strictObject({ type: z.literal("event"), event: z.literal("champion_left") }),
  /** Checked every tick and on account events, e.g. health below 60 or usage down 20%+. */
  z.strictObject({
    type: z.literal("condition"),
    condition: ConditionSchema,
    /** After a start, the same condition does not start this playbook again for this long. */
    cooldown_days: z.number().int().min(0).max(365).optional(),
  }),
]);
export type Trigger = z.infer<typeof TriggerSchema>;
export type EventTrigger = Extract<Trigger, { type: "event" }>;
export const TRIGGER_EVENTS = [
  "churn.risk_flagged",
  "tam.escalation_raised",
  "health_drop",
  "champion_left",
] as const;
