import { describe, expect, it } from "vitest";
import { proposeSlots } from "../../../src/playbooks/render/slots.js";

describe("meeting slots", () => {
  it("proposes one slot per business day, cycling through the hours", () => {
    // Friday 2026-03-06 10:00 UTC; two days on is Sunday, so the first slot is Monday.
    const slots = proposeSlots(new Date("2026-03-06T10:00:00Z"), {
      count: 3,
      earliest_in_days: 2,
      hours_utc: [18, 15],
      duration_minutes: 30,
    });
    expect(slots).toEqual([
      { start: "2026-03-09T15:00:00.000Z", end: "2026-03-09T15:30:00.000Z" },
      { start: "2026-03-10T18:00:00.000Z", end: "2026-03-10T18:30:00.000Z" },
      { start: "2026-03-11T15:00:00.000Z", end: "2026-03-11T15:30:00.000Z" },
    ]);
  });
});
