import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/calendar.js";
import { computeTrend } from "../../../src/domain/health/trend.js";

const NOW = new Date("2026-06-15T12:00:00Z");

describe("computeTrend", () => {
  const at = (daysBefore: number) => addDays(NOW, -daysBefore).toISOString();
  const current = { at: NOW.toISOString(), score: 70 };

  it("has nothing to compare on a first scan", () => {
    expect(computeTrend([], current, NOW)).toEqual({
      change_since_previous: null,
      slope_30d: null,
      direction: "stable",
    });
  });

  it("measures the change since the previous scan and the 30-day slope", () => {
    const r = computeTrend([{ at: at(10), score: 60 }], current, NOW);
    expect(r).toEqual({ change_since_previous: 10, slope_30d: 1, direction: "improving" });
  });

  it("accepts history in any order and ignores the current scan already stored", () => {
    const history = [{ at: at(1), score: 68 }, current, { at: at(20), score: 50 }, { at: at(10), score: 60 }];
    const r = computeTrend(history, current, NOW);
    expect(r.change_since_previous).toBe(2);
    expect(r.direction).toBe("improving");
  });

  it("fits a least-squares slope", () => {
    const r = computeTrend(
      [
        { at: at(20), score: 76 },
        { at: at(10), score: 71 },
      ],
      current,
      NOW,
    );
    // x = -20, -10, 0 days; mean y 72.33; Σ dx·dy = (-10)(3.67) + 0 + (10)(-2.33) = -60; Σ dx² = 200
    expect(r.slope_30d).toBe(-0.3);
    expect(r.direction).toBe("declining");
  });

  it("calls a slope under 0.1 point/day stable", () => {
    const r = computeTrend([{ at: at(20), score: 68.5 }], current, NOW);
    expect(r.slope_30d).toBe(0.075);
    expect(r.direction).toBe("stable");
  });

  it("ignores points older than 30 days for the slope", () => {
    const r = computeTrend([{ at: at(40), score: 20 }], current, NOW);
    expect(r.change_since_previous).toBe(50);
    expect(r.slope_30d).toBeNull();
    expect(r.direction).toBe("stable");
  });

  it.each([
    ["a 10-point drop within 14 days", [{ at: at(5), score: 80 }], "falling_fast"],
    [
      "an 11-point drop from a peak inside the window",
      [
        { at: at(13), score: 81 },
        { at: at(2), score: 71 },
      ],
      "falling_fast",
    ],
    ["a 9.9-point drop", [{ at: at(5), score: 79.9 }], "declining"],
    ["a 20-point drop outside 14 days", [{ at: at(20), score: 90 }], "declining"],
  ] as const)("%s", (_name, history, direction) => {
    expect(computeTrend(history, current, NOW).direction).toBe(direction);
  });

  it("rejects an unparseable timestamp", () => {
    expect(() => computeTrend([{ at: "last week", score: 50 }], current, NOW)).toThrow(RangeError);
  });
});
