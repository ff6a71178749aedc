import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  daysSince,
  daysUntil,
  hoursBetween,
  isoDate,
  nextQuarter,
  parseIso,
  parseQuarterLabel,
  previousQuarter,
  quarterOf,
  tryParseIso,
} from "../../src/domain/calendar.js";

const NOW = new Date("2026-06-15T12:00:00Z");

describe("parsing ISO dates", () => {
  it.each([
    ["2026-06-15", "2026-06-15T00:00:00.000Z"],
    ["2026-06-15T08:30:00Z", "2026-06-15T08:30:00.000Z"],
    ["2026-06-15T08:30:00.250Z", "2026-06-15T08:30:00.250Z"],
    // No zone means UTC, never the server's local time.
    ["2026-06-15T08:30:00", "2026-06-15T08:30:00.000Z"],
    ["2026-06-15T08:30", "2026-06-15T08:30:00.000Z"],
    ["2026-06-15T10:30:00+02:00", "2026-06-15T08:30:00.000Z"],
    ["2026-06-15T10:30:00+0200", "2026-06-15T08:30:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2026-06-15T08:30:00.123456Z", "2026-06-15T08:30:00.123Z"],
    ["2026-06-15 08:30:00.5-01:30", "2026-06-15T10:00:00.500Z"],
    ["2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"],
  ])("reads %s", (input, expected) => {
    expect(parseIso(input).toISOString()).toBe(expected);
  });

  it.each([
    "",
    "yesterday",
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-06-15T25:00:00Z",
    "15/06/2026",
    // The stored form (toISOString) is read digit by digit; each of these must still be refused.
    "2026-02-30T00:00:00.000Z",
    "2026-00-10T00:00:00.000Z",
    "2026-06-15T24:00:00.000Z",
    "2026-06-15T08:60:00.000Z",
    "2026-06-15T08:30:60.000Z",
    "2026-06-15T08:30:00.00xZ",
    "2026-06-15T08:30:00+25:00",
    "2026-06-15T08:30:00+02:60",
  ])("rejects %j", (input) => {
    expect(tryParseIso(input)).toBeNull();
    expect(() => parseIso(input)).toThrow(RangeError);
  });
});

describe("parsing stored timestamps", () => {
  it("reads every toISOString form as the Date parser does", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2999-12-31"), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString();
          expect(tryParseIso(iso)?.getTime()).toBe(d.getTime());
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("day arithmetic", () => {
  it("counts whole days, floored", () => {
    expect(daysBetween("2026-06-10", NOW)).toBe(5);
    expect(daysBetween("2026-06-15T12:00:00Z", NOW)).toBe(0);
    expect(daysBetween("2026-06-14T12:00:01Z", NOW)).toBe(0);
    expect(daysBetween("2026-06-14T12:00:00Z", NOW)).toBe(1);
    expect(daysBetween(new Date("2026-06-15T13:00:00Z"), NOW)).toBe(-1);
    expect(daysBetween("2025-06-15T12:00:00Z", NOW)).toBe(365);
  });

  it("is null-safe for missing dates", () => {
    expect(daysSince(null, NOW)).toBeNull();
    expect(daysSince("2026-05-16", NOW)).toBe(30);
    expect(daysUntil(null, NOW)).toBeNull();
    expect(daysUntil("2026-08-14T12:00:00Z", NOW)).toBe(60);
    expect(daysUntil("2026-06-16", NOW)).toBe(0);
    expect(daysUntil("2026-06-10", NOW)).toBe(-6);
  });

  it("measures fractional hours", () => {
    expect(hoursBetween("2026-06-12T00:00:00Z", NOW)).toBe(84);
    expect(hoursBetween("2026-06-15T11:30:00Z", NOW)).toBe(0.5);
  });

  it("throws on bad input rather than returning NaN", () => {
    expect(() => daysBetween("soon", NOW)).toThrow(RangeError);
    expect(() => daysBetween(NOW, new Date("nope"))).toThrow(RangeError);
  });

  it("adds days and formats UTC dates", () => {
    expect(addDays(NOW, 20).toISOString()).toBe("2026-07-05T12:00:00.000Z");
    expect(addDays(NOW, -15).toISOString()).toBe("2026-05-31T12:00:00.000Z");
    expect(isoDate(NOW)).toBe("2026-06-15");
    expect(isoDate(new Date("2026-12-31T23:59:59.999Z"))).toBe("2026-12-31");
  });
});

describe("quarters", () => {
  it.each([
    ["2026-01-01T00:00:00Z", 2026, 1],
    ["2026-03-31T23:59:59Z", 2026, 1],
    ["2026-04-01T00:00:00Z", 2026, 2],
    ["2026-08-15T12:00:00Z", 2026, 3],
    ["2026-12-31T23:59:59Z", 2026, 4],
  ])("%s is in Q%s", (at, year, quarter) => {
    expect(quarterOf(new Date(at))).toMatchObject({ year, quarter, label: `Q${quarter} ${year}` });
  });

  it("gives start and exclusive end", () => {
    const q = quarterOf(new Date("2026-08-15T12:00:00Z"));
    expect(q.start.toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(q.end.toISOString()).toBe("2026-10-01T00:00:00.000Z");
    const q4 = quarterOf(new Date("2026-11-02T00:00:00Z"));
    expect(q4.end.toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("steps to the previous and next quarter across years", () => {
    expect(previousQuarter(new Date("2027-01-01T00:00:00Z")).label).toBe("Q4 2026");
    expect(previousQuarter(new Date("2026-07-01T00:00:00Z")).label).toBe("Q2 2026");
    expect(previousQuarter(new Date("2027-01-01T00:00:00Z")).start.toISOString()).toBe(
      "2026-10-01T00:00:00.000Z",
    );
    expect(nextQuarter(new Date("2026-12-31T00:00:00Z")).label).toBe("Q1 2027");
  });

  it("parses quarter labels back", () => {
    const q = parseQuarterLabel("Q3 2026");
    expect(q).toEqual(quarterOf(new Date("2026-07-01T00:00:00Z")));
    expect(parseQuarterLabel("  q1   2027 ").label).toBe("Q1 2027");
  });

  it.each(["Q5 2026", "Q0 2026", "2026 Q3", "Q3", "Q3 26", "", "third quarter"])("rejects %j", (label) => {
    expect(() => parseQuarterLabel(label)).toThrow(/Invalid quarter label .*expected "Q<1-4> <year>"/);
  });
});
