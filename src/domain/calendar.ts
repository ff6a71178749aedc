/**
 * Date and quarter math in UTC. Every "today" arrives as an argument: the domain never reads the clock,
 * so scores and schedules are reproducible in tests and on replays.
 */

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface Quarter {
  year: number;
  quarter: QuarterNumber;
  /** e.g. "Q3 2026", the form QBR records and prompts use. */
  label: string;
  start: Date;
  /** Exclusive: the first instant of the next quarter. */
  end: Date;
}

// Date.parse alone is too forgiving: it reads "2026-02-30" as 2 March, and a date-time without a zone
// as local time, which would make a score depend on the server's timezone.
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?)?$/;

/**
 * Parses an ISO-8601 date or date-time as UTC (unless it names its own offset); null when it is not one.
 * Built from the matched fields with Date.UTC: a scan parses tens of thousands of timestamps, and
 * handing a rebuilt string to the Date parser costs several times more.
 */
export function tryParseIso(value: string): Date | null {
  if (value.length === 24) {
    const t = canonicalTime(value);
    if (t !== null) return new Date(t);
  }
  const m = ISO_PATTERN.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return null;
  }
  if (h === undefined) return probe;
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = Number(s ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  // Fractions beyond milliseconds are truncated, as the Date parser does.
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"));
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) return null;
    offsetMinutes = (sign === "-" ? -1 : 1) * (offH * 60 + offM);
  }
  return new Date(probe.getTime() + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + ms);
}

/** Digits of `s` from `from` to `to` as a number, or -1 when one is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The form every stored timestamp has (`Date#toISOString`, "2026-01-31T07:00:00.000Z") read digit by
 * digit; null when `s` is not exactly that form or does not hold a valid instant (the full parser then
 * decides).
 */
function canonicalTime(s: string): number | null {
  if (s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") return null;
  if (s[19] !== "." || s[23] !== "Z") return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hours = digits(s, 11, 13);
  const minutes = digits(s, 14, 16);
  const seconds = digits(s, 17, 19);
  const ms = digits(s, 20, 23);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hours < 0 || hours > 23) return null;
  if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || ms < 0) return null;
  const date = Date.UTC(year, month - 1, day);
  const probe = new Date(date);
  // Date.UTC reads years 0-99 as 1900-1999; the full parser then rejects them, as it does 30 February.
  if (probe.getUTCFullYear() !== year || probe.getUTCDate() !== day) return null;
  return date + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

export function parseIso(value: string): Date {
  const parsed = tryParseIso(value);
  if (!parsed) throw new RangeError(`Invalid ISO-8601 date: "${value}"`);
  return parsed;
}

function toDate(value: string | Date): Date {
  if (typeof value === "string") return parseIso(value);
  if (Number.isNaN(value.getTime())) throw new RangeError("Invalid Date");
  return value;
}

/** Whole days from `from` to `to`, floored (23 h is 0 days; -1 h is -1 day). */
export function daysBetween(from: string | Date, to: Date): number {
  return Math.floor((toDate(to).getTime() - toDate(from).getTime()) / MS_PER_DAY);
}

/** Whole days since `iso`, or null when there is no date (a missing signal, not a zero). */
export function daysSince(iso: string | null, now: Date): number | null {
  return iso === null ? null : daysBetween(iso, now);
}

/** Whole days from now until `iso` (negative once it has passed), or null when there is no date. */
export function daysUntil(iso: string | null, now: Date): number | null {
  return iso === null ? null : daysBetween(now, toDate(iso));
}

/** Fractional hours from `from` to `to`: the TAM rules use hour thresholds (72 h, 144 h). */
export function hoursBetween(from: string | Date, to: Date): number {
  return (toDate(to).getTime() - toDate(from).getTime()) / MS_PER_HOUR;
}

export function addDays(date: Date, days: number): Date {
  return new Date(toDate(date).getTime() + days * MS_PER_DAY);
}

/** YYYY-MM-DD of the UTC day. */
export function isoDate(date: Date): string {
  return toDate(date).toISOString().slice(0, 10);
}

function quarterFromParts(year: number, quarter: QuarterNumber): Quarter {
  const startMonth = (quarter - 1) * 3;
  return {
    year,
    quarter,
    label: `Q${quarter} ${year}`,
    start: new Date(Date.UTC(year, startMonth, 1)),
    end: new Date(Date.UTC(year, startMonth + 3, 1)),
  };
}

export function quarterOf(date: Date): Quarter {
  const d = toDate(date);
  return quarterFromParts(d.getUTCFullYear(), (Math.floor(d.getUTCMonth() / 3) + 1) as QuarterNumber);
}

/** The quarter before the one `date` falls in: the one a QBR written on `date` reviews. */
export function previousQuarter(date: Date): Quarter {
  const { year, quarter } = quarterOf(date);
  return quarter === 1
    ? quarterFromParts(year - 1, 4)
    : quarterFromParts(year, (quarter - 1) as QuarterNumber);
}

export function nextQuarter(date: Date): Quarter {
  const { year, quarter } = quarterOf(date);
  return quarter === 4
    ? quarterFromParts(year + 1, 1)
    : quarterFromParts(year, (quarter + 1) as QuarterNumber);
}

const QUARTER_LABEL = /^Q([1-4])\s+(\d{4})$/i;

/** Reads a label such as "Q3 2026" (case and extra spaces forgiven) back into its quarter. */
export function parseQuarterLabel(label: string): Quarter {
  const m = QUARTER_LABEL.exec(label.trim());
  if (!m) {
    throw new Error(`Invalid quarter label "${label}": expected "Q<1-4> <year>", e.g. "Q3 2026"`);
  }
  return quarterFromParts(Number(m[2]), Number(m[1]) as QuarterNumber);
}
