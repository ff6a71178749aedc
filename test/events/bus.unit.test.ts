import { describe, expect, it } from "vitest";
import { eventId } from "../../src/events/bus.js";

describe("event ids", () => {
  it("are version-7 UUIDs that sort by creation time and never repeat", () => {
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const t = Date.parse("2026-12-02T05:00:00.000Z");
    const ids = [eventId(t), eventId(t + 1), eventId(t + 60_000), eventId(t + 86_400_000)];
    for (const id of ids) expect(id).toMatch(v7);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.replace(/-/g, "").slice(0, 12)).toBe(t.toString(16).padStart(12, "0"));
    const many = Array.from({ length: 20_000 }, () => eventId(t));
    expect(new Set(many).size).toBe(many.length);
  });
});
