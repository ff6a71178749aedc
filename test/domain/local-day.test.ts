import { describe, expect, it } from "vitest";
import { isTimeZone, localDay } from "../../src/domain/local-day.js";

describe("localDay", () => {
  it("is UTC's day in UTC", () => {
    const d = localDay(new Date("2026-03-10T15:30:00Z"), "UTC");
    expect(d.start.toISOString()).toBe("2026-03-10T00:00:00.000Z");
    expect(d.end.toISOString()).toBe("2026-03-11T00:00:00.000Z");
  });

  it("runs from local midnight to local midnight east and west of Greenwich", () => {
    // 23:30 UTC on the 10th is already the 11th in Berlin (CET, +1) ...
    const berlin = localDay(new Date("2026-03-10T23:30:00Z"), "Europe/Berlin");
    expect(berlin.start.toISOString()).toBe("2026-03-10T23:00:00.000Z");
    expect(berlin.end.toISOString()).toBe("2026-03-11T23:00:00.000Z");
    // ... and still the 10th in New York (EDT from 8 March, -4).
    const ny = localDay(new Date("2026-03-11T02:00:00Z"), "America/New_York");
    expect(ny.start.toISOString()).toBe("2026-03-10T04:00:00.000Z");
    expect(ny.end.toISOString()).toBe("2026-03-11T04:00:00.000Z");
  });

  it("has 23 hours on the day clocks go forward and 25 on the day they go back", () => {
    const spring = localDay(new Date("2026-03-29T12:00:00Z"), "Europe/Berlin");
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    const autumn = localDay(new Date("2026-10-25T12:00:00Z"), "Europe/Berlin");
    expect(autumn.start.toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  });

  it("knows real zones only", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
