import { MS_PER_DAY } from "../../domain/calendar.js";

/**
 * Proposed meeting slots: one per business day (Monday to Friday, UTC) from `earliestInDays` on,
 * cycling through the given hours, so the customer gets a choice of days and times of day.
 */
export function proposeSlots(
  now: Date,
  opts: { count: number; earliest_in_days: number; hours_utc: number[]; duration_minutes: number },
): Array<{ start: string; end: string }> {
  const hours = [...opts.hours_utc].sort((a, b) => a - b);
  const out: Array<{ start: string; end: string }> = [];
  const first = new Date(now.getTime() + opts.earliest_in_days * MS_PER_DAY);
  let day = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  for (let i = 0; out.length < opts.count && i < 366; i++, day += MS_PER_DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const hour = hours[out.length % hours.length]!;
    const start = day + hour * 3_600_000;
    if (start <= now.getTime()) continue;
    out.push({
      start: new Date(start).toISOString(),
      end: new Date(start + opts.duration_minutes * 60_000).toISOString(),
    });
  }
  return out;
}

const SLOT = new Intl.DateTimeFormat("en-US", {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
});

/** "Tue, Jun 30, 3:00 PM UTC" */
export const formatSlot = (iso: string): string => `${SLOT.format(new Date(iso))} UTC`;
