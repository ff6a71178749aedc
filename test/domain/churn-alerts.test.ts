import { describe, expect, it } from "vitest";
import {
  type AlertCandidate,
  type AlertState,
  churnAlertKey,
  decideAlerts,
} from "../../src/domain/churn-alerts.js";
import type { ChurnLevel } from "../../src/domain/types.js";

const SEV: Record<ChurnLevel, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const cand = (id: string, level: ChurnLevel, arr: number | null, score = 40): AlertCandidate => ({
  account_id: id,
  churn_level: level,
  severity: SEV[level],
  arr,
  score,
});
const scanAt = new Date("2026-03-11T07:00:00Z");
const opts = { scanAt, maxAlerts: 2, repeatDays: 7 };
const state = (s: Partial<AlertState>): AlertState => ({
  last_level: null,
  last_alerted_at: null,
  deferred_level: null,
  deferred_on: null,
  ...s,
});
const statusOf = (decisions: ReturnType<typeof decideAlerts>) =>
  Object.fromEntries(decisions.map((d) => [d.account_id, d.status]));

describe("alert selection", () => {
  it("alerts at most maxAlerts by ARR x severity and defers the rest with a reason", () => {
    const d = decideAlerts(
      [
        cand("a", "high", 100_000),
        cand("b", "critical", 90_000),
        cand("c", "medium", 500_000),
        cand("d", "high", null),
      ],
      new Map(),
      opts,
    );
    // b: 360k, c: 1,000k, a: 300k, d: 0
    expect(d.filter((x) => x.status === "selected").map((x) => x.account_id)).toEqual(["c", "b"]);
    expect(statusOf(d)).toEqual({ a: "deferred", b: "selected", c: "selected", d: "deferred" });
    const c = d.find((x) => x.account_id === "c")!;
    expect(c).toMatchObject({ rank: 1, key: churnAlertKey("c", "medium", scanAt) });
    expect(d.find((x) => x.account_id === "a")!.reason).toMatch(/budget of 2/);
  });

  it("breaks ties by severity, then the lower score", () => {
    const d = decideAlerts(
      [cand("x", "high", null, 50), cand("y", "critical", null, 60), cand("z", "high", null, 30)],
      new Map(),
      { ...opts, maxAlerts: 3 },
    );
    expect(d.map((x) => x.account_id)).toEqual(["y", "z", "x"]);
  });

  it.each([
    ["same level within the window", "high", "2026-03-08T07:00:00Z", "suppressed"],
    ["lower level within the window", "medium", "2026-03-08T07:00:00Z", "suppressed"],
    ["level rose within the window", "critical", "2026-03-10T07:00:00Z", "selected"],
    ["same level, window passed", "high", "2026-03-04T07:00:00Z", "selected"],
    ["same level, a day short of the window", "high", "2026-03-05T07:00:01Z", "suppressed"],
  ] as const)("re-alert rule: %s -> %s", (_name, level, lastAt, expected) => {
    const d = decideAlerts(
      [cand("a", level, 1000)],
      new Map([["a", state({ last_level: "high", last_alerted_at: lastAt })]]),
      opts,
    );
    expect(d[0]!.status).toBe(expected);
  });

  it("keeps today's deferrals deferred unless the level rose; yesterday's compete again", () => {
    const states = new Map([
      ["today_same", state({ deferred_level: "high", deferred_on: "2026-03-11" })],
      ["today_rose", state({ deferred_level: "medium", deferred_on: "2026-03-11" })],
      ["yesterday", state({ deferred_level: "high", deferred_on: "2026-03-10" })],
    ]);
    const d = decideAlerts(
      [cand("today_same", "high", 9e6), cand("today_rose", "high", 1000), cand("yesterday", "high", 2000)],
      states,
      opts,
    );
    expect(statusOf(d)).toEqual({ today_same: "deferred", today_rose: "selected", yesterday: "selected" });
  });

  it("with a budget of 0 defers everything; the key names account, level and day", () => {
    const d = decideAlerts([cand("a", "critical", 1)], new Map(), { ...opts, maxAlerts: 0 });
    expect(d[0]!.status).toBe("deferred");
    expect(churnAlertKey("acc_1", "high", scanAt)).toBe("churn-alert:acc_1:high:2026-03-11");
  });
  it("finishes an alert whose channels failed: same key, first in the budget, only at the same level", () => {
    const earlier = new Date("2026-03-10T07:00:00Z");
    const failedHigh = state({
      last_level: "high",
      last_alerted_at: earlier.toISOString(),
      last_key: churnAlertKey("r", "high", earlier),
      failed_channels: ["chat"],
    });
    const d = decideAlerts(
      [cand("r", "high", 10_000), cand("big", "critical", 900_000), cand("next", "high", 500_000)],
      new Map([["r", failedHigh]]),
      opts,
    );
    // The retry goes first and takes one of the two slots: the biggest new alert gets the other.
    expect(d.filter((x) => x.status === "selected").map((x) => x.account_id)).toEqual(["r", "big"]);
    expect(d.find((x) => x.account_id === "r")).toMatchObject({
      status: "selected",
      rank: 1,
      retry: true,
      key: churnAlertKey("r", "high", earlier),
      reason: expect.stringMatching(/2026-03-10: chat failed/),
    });
    expect(d.find((x) => x.account_id === "big")).toMatchObject({ rank: 2 });
    expect(statusOf(d).next).toBe("deferred");

    // Nothing left to deliver, or the level fell: suppressed as any repeat within the window.
    for (const st of [
      { ...failedHigh, failed_channels: null },
      { ...failedHigh, failed_channels: [] },
    ]) {
      expect(statusOf(decideAlerts([cand("r", "high", 1)], new Map([["r", st]]), opts)).r).toBe("suppressed");
    }
    expect(statusOf(decideAlerts([cand("r", "medium", 1)], new Map([["r", failedHigh]]), opts)).r).toBe(
      "suppressed",
    );
    // The level rose: a new alert under a new key, not the retry.
    const rose = decideAlerts([cand("r", "critical", 1)], new Map([["r", failedHigh]]), opts);
    expect(rose[0]).toMatchObject({ status: "selected", key: churnAlertKey("r", "critical", scanAt) });
    expect(rose[0]).not.toHaveProperty("retry");
    // Past the window: a new alert.
    const later = { ...opts, scanAt: new Date("2026-03-18T07:00:00Z") };
    expect(decideAlerts([cand("r", "high", 1)], new Map([["r", failedHigh]]), later)[0]).not.toHaveProperty(
      "retry",
    );
    // More retries than budget: the rest wait, with the reason.
    const many = decideAlerts(
      ["r1", "r2", "r3"].map((id) => cand(id, "high", 1000)),
      new Map(["r1", "r2", "r3"].map((id) => [id, { ...failedHigh, last_key: `k-${id}` }])),
      opts,
    );
    expect(many.filter((x) => x.status === "selected")).toHaveLength(2);
    expect(many.find((x) => x.status === "deferred")!.reason).toMatch(/still has chat to deliver/);
  });
});
