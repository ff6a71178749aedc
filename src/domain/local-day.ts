/**
 * The calendar day around an instant as a person in a time zone lives it: a CSM's "due today" runs from
 * their midnight to the next, not UTC's. Pure: the zone's rules come from Intl, the instant is given.
 */

/** Whether the runtime knows the IANA time zone (e.g. "Europe/Berlin"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant of local midnight starting the given local calendar date in the zone. */
function localMidnight(year: number, month: number, day: number, zone: string): number {
  const guess = Date.UTC(year, month, day);
  // Two passes: the offset at the first estimate may differ from the offset at midnight across a DST change.
  const first = guess - offsetAt(guess, zone);
  return guess - offsetAt(first, zone);
}

/** [start, end) of the local day containing `at` in `zone`. */
export function localDay(at: Date, zone: string): { start: Date; end: Date } {
  const local = new Date(at.getTime() + offsetAt(at.getTime(), zone));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  return { start: new Date(localMidnight(y, m, d, zone)), end: new Date(localMidnight(y, m, d + 1, zone)) };
}
