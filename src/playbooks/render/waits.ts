import { MS_PER_DAY, tryParseIso } from "../../domain/calendar.js";
import { describeCondition } from "../conditions/evaluate.js";
import type { Duration, Step, WaitStep } from "../schema/steps.js";
import type { RenderEnv } from "./env.js";

/** When a wait ends, and how steps read in one line. */

export const durationMs = (d: Duration): number =>
  ((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000;

/**
 * When a wait ends, computed on entering it: now + duration, or the anchor date + offset. null when
 * the anchor date is unknown (the wait is then passed over, and says why).
 */
export function wakeAt(step: WaitStep, env: Pick<RenderEnv, "account" | "now" | "started_at">): Date | null {
  if (step.duration) return new Date(env.now.getTime() + durationMs(step.duration));
  const u = step.until!;
  const anchor =
    u.anchor === "execution_start"
      ? env.started_at
      : (() => {
          const iso = env.account[u.anchor];
          return iso ? tryParseIso(iso) : null;
        })();
  if (!anchor) return null;
  return new Date(anchor.getTime() + u.offset_days * MS_PER_DAY);
}

export function describeWait(step: WaitStep): string {
  if (step.duration) {
    const parts = [
      step.duration.days ? `${step.duration.days} day(s)` : "",
      step.duration.hours ? `${step.duration.hours} hour(s)` : "",
      step.duration.minutes ? `${step.duration.minutes} minute(s)` : "",
    ].filter(Boolean);
    return `wait ${parts.join(" ")}`;
  }
  const u = step.until!;
  const off = u.offset_days;
  const anchor = u.anchor.replace("_", " ");
  return off === 0
    ? `wait until ${anchor}`
    : `wait until ${Math.abs(off)} day(s) ${off < 0 ? "before" : "after"} ${anchor}`;
}

export const describeStep = (step: Step): string =>
  step.type === "wait"
    ? describeWait(step)
    : step.type === "condition"
      ? `if ${describeCondition(step.condition)} then go to ${step.if_true}, else to ${step.if_false}`
      : step.name;
