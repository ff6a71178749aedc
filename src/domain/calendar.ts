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
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses an ISO-8601 date or date-time as UTC (unless it names its own offset); null when it is not one. */
export function tryParseIso(value: string): Date | null {
  const m = ISO_PATTERN.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return null;
  }
  if (h === undefined) return probe;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  const normalized = value.trim().replace(" ", "T") + (zone === undefined ? "Z" : "");
  const parsed = new Date(normalized);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
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
