import { describe, expect, it } from "vitest";
import {
  deferredToday,
  escalationKey,
  escalationPriority,
  repeatSuppression,
  stillDue,
} from "../../src/domain/tam-escalation.js";

const NOW = new Date("2026-03-11T14:00:00Z");

describe("repeatSuppression", () => {
  const last = { last_status: "Amber" as const, last_escalated_at: "2026-03-08T07:30:00.000Z" };
  it.each<[string, "Green" | "Amber" | "Red", typeof last | undefined, number, boolean]>([
    ["never escalated", "Red", undefined, 7, false],
    ["worse than last time", "Red", last, 7, false],
    ["same status within the window", "Amber", last, 7, true],
    ["same status once the window passed", "Amber", last, 3, false],
    ["better status within the window", "Green", last, 7, true],
  ])("%s", (_name, status, state, days, suppressed) => {
    const reason = repeatSuppression(status, state, NOW, days);
    expect(reason !== null).toBe(suppressed);
    if (reason)
      expect(reason).toBe(
        `escalated at Amber on 2026-03-08; repeats after ${days} days or on a worse status`,
      );
  });
});

describe("deferred escalations", () => {
  const deferred = {
    status: "Amber" as const,
    scan_at: "2026-03-10T07:30:00.000Z",
    reasons: ["status went from Green to Amber"],
  };

  it("stay due while the account has not recovered", () => {
    expect(stillDue("Amber", deferred)).toBe(
      "escalation deferred on 2026-03-10 (status went from Green to Amber) is still due",
    );
    expect(stillDue("Red", deferred)).not.toBeNull();
    expect(stillDue("Green", deferred)).toBeNull();
    expect(stillDue("Amber", { ...deferred, status: "Red" })).toBeNull();
    expect(stillDue("Amber", undefined)).toBeNull();
  });

  it("keep the first deferral's date and cause when deferred again", () => {
    const first = stillDue("Amber", deferred)!;
    expect(stillDue("Amber", { ...deferred, scan_at: "2026-03-11T07:30:00.000Z", reasons: [first] })).toBe(
      first,
    );
  });

  it("do not spend the day's budget twice unless the status got worse", () => {
    expect(deferredToday("Amber", "Amber")).toMatch(/^deferred earlier today/);
    expect(deferredToday("Amber", "Red")).toMatch(/^deferred earlier today/);
    expect(deferredToday("Red", "Amber")).toBeNull();
    expect(deferredToday("Red", undefined)).toBeNull();
  });
});

describe("escalation order and key", () => {
  it("ranks revenue at stake times how far the score fell; an unknown ARR still ranks", () => {
    expect(escalationPriority(100_000, 20)).toBeGreaterThan(escalationPriority(50_000, 20));
    expect(escalationPriority(50_000, 10)).toBeGreaterThan(escalationPriority(50_000, 30));
    expect(escalationPriority(null, 10)).toBeGreaterThan(escalationPriority(null, 30));
  });

  it("keys an escalation by account, status and day", () => {
    expect(escalationKey("acc_1", "Red", "2026-03-11T07:30:00.000Z")).toBe(
      "tam-escalation:acc_1:Red:2026-03-11",
    );
  });
});
