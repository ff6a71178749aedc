import { describe, expect, it } from "vitest";
import {
  contractQbrDue,
  daysUntilDate,
  localDate,
  quarterToReview,
  signalMovements,
  summarizePeriodHealth,
} from "../../src/domain/qbr.js";

describe("QBR rules (domain/qbr.ts)", () => {
  it("summarizes a period's health: first/last, change, range, RAG counts and the RAG trend", () => {
    const s = summarizePeriodHealth([
      { at: "2026-09-20T07:00:00Z", score: 72.4, rag: "GREEN" },
      { at: "2026-07-05T07:00:00Z", score: 58, rag: "AMBER" },
      { at: "2026-08-10T07:00:00Z", score: 61.2, rag: "AMBER" },
    ]);
    expect(s).toMatchObject({
      points: 3,
      first_score: 58,
      last_score: 72.4,
      change: 14.4,
      min_score: 58,
      max_score: 72.4,
      average_score: 63.9,
      first_rag: "AMBER",
      last_rag: "GREEN",
      rag_counts: { GREEN: 1, AMBER: 2, RED: 0 },
      rag_trend: "improving",
    });
  });

  it("calls a RAG band that did not move stable unless the score moved more than 3 points", () => {
    const at = (d: string) => `2026-0${d}T00:00:00Z`;
    expect(
      summarizePeriodHealth([
        { at: at("7-01"), score: 50, rag: "AMBER" },
        { at: at("9-01"), score: 52.5, rag: "AMBER" },
      ]).rag_trend,
    ).toBe("stable");
    expect(
      summarizePeriodHealth([
        { at: at("7-01"), score: 60, rag: "AMBER" },
        { at: at("9-01"), score: 45, rag: "AMBER" },
      ]).rag_trend,
    ).toBe("declining");
    expect(
      summarizePeriodHealth([
        { at: at("7-01"), score: 71, rag: "GREEN" },
        { at: at("9-01"), score: 69, rag: "AMBER" },
      ]).rag_trend,
    ).toBe("declining");
    const none = summarizePeriodHealth([]);
    expect(none).toMatchObject({ points: 0, last_score: null, change: null, rag_trend: "no_data" });
    expect(summarizePeriodHealth([{ at: at("7-01"), score: 80, rag: "GREEN" }])).toMatchObject({
      change: null,
      rag_trend: "stable",
    });
  });

  it("names the signals that moved the score between two breakdowns, biggest move first, ignoring noise", () => {
    const moves = signalMovements(
      [
        { signal: "feature_adoption", points: 12 },
        { signal: "usage_trend", points: 10.4 },
        { signal: "nps", points: 5 },
        { signal: "support", points: 9 },
      ],
      [
        { signal: "feature_adoption", points: 6.5 },
        { signal: "usage_trend", points: 10.9 },
        { signal: "nps", points: 7 },
        { signal: "payment_status", points: 8 },
      ],
    );
    expect(moves.map((m) => [m.signal, m.change])).toEqual([
      ["support", -9],
      ["payment_status", 8],
      ["feature_adoption", -5.5],
      ["nps", 2],
    ]);
    expect(moves[0]).toEqual({ signal: "support", from_points: 9, to_points: 0, change: -9 });
  });

  it("reviews the quarter just ended, on the calendar of the configured time zone", () => {
    expect(quarterToReview(new Date("2027-01-01T06:00:00Z"), "UTC").label).toBe("Q4 2026");
    expect(quarterToReview(new Date("2026-04-01T06:00:00Z"), "UTC").label).toBe("Q1 2026");
    expect(quarterToReview(new Date("2026-07-01T00:00:00Z"), "UTC").label).toBe("Q2 2026");
    // 06:00 on 1 January in Tokyo is 21:00 UTC on 31 December: still the Q4 review, not Q3.
    expect(localDate(new Date("2026-12-31T21:00:00Z"), "Asia/Tokyo")).toBe("2027-01-01");
    expect(quarterToReview(new Date("2026-12-31T21:00:00Z"), "Asia/Tokyo").label).toBe("Q4 2026");
    // 06:00 on 1 October in Los Angeles is 13:00 UTC.
    expect(quarterToReview(new Date("2026-10-01T13:00:00Z"), "America/Los_Angeles").label).toBe("Q3 2026");
  });

  it("makes a contract QBR due from 90 days before the renewal, for the make-up window, never after renewal", () => {
    const w = { leadDays: 90, makeupDays: 3 };
    const renewal = "2027-04-01";
    expect(daysUntilDate("2027-01-01", renewal)).toBe(90);
    expect(contractQbrDue(renewal, "2026-12-31", w)).toBe(false); // 91 days
    expect(contractQbrDue(renewal, "2027-01-01", w)).toBe(true); // 90 days
    expect(contractQbrDue(renewal, "2027-01-04", w)).toBe(true); // 87: made up
    expect(contractQbrDue(renewal, "2027-01-05", w)).toBe(false); // 86: too late
    expect(contractQbrDue("2027-04-01T00:00:00Z", "2027-01-02", w)).toBe(true);
    expect(contractQbrDue(null, "2027-01-01", w)).toBe(false);
    expect(contractQbrDue("not a date", "2027-01-01", w)).toBe(false);
    expect(contractQbrDue(renewal, "2027-04-01", { leadDays: 90, makeupDays: 365 })).toBe(false);
  });
});
