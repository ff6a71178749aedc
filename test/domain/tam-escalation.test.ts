import { describe, expect, it } from "vitest";
import {
  decideEscalations,
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

describe("decideEscalations", () => {
  const scanAt = "2026-03-11T14:00:00.000Z";
  const opts = { scanAt, max: 2, repeatDays: 7 };
  const cand = (account_id: string, status: "Amber" | "Red", arr: number | null, score = 50) => ({
    account_id,
    status,
    arr,
    score,
  });

  it("selects the costliest up to the limit, keyed by account, status and day; defers the rest in line", () => {
    const d = decideEscalations(
      [cand("a", "Amber", 10_000), cand("b", "Red", 90_000, 20), cand("c", "Amber", 50_000)],
      new Map(),
      new Map(),
      opts,
    );
    expect(d).toEqual([
      { account_id: "b", status: "selected", reason: null, key: escalationKey("b", "Red", scanAt), rank: 1 },
      {
        account_id: "c",
        status: "selected",
        reason: null,
        key: escalationKey("c", "Amber", scanAt),
        rank: 2,
      },
      {
        account_id: "a",
        status: "deferred",
        reason: "over the limit of 2 escalations per scan",
        key: null,
        rank: 3,
      },
    ]);
  });

  it("suppresses repeats, keeps today's deferrals, and finishes failed channels first under the first key", () => {
    const states = new Map([
      [
        "repeat",
        {
          last_status: "Amber" as const,
          last_escalated_at: "2026-03-10T07:00:00.000Z",
          last_key: "k1",
          failed_channels: null,
        },
      ],
      [
        "retry",
        {
          last_status: "Amber" as const,
          last_escalated_at: "2026-03-10T07:00:00.000Z",
          last_key: "k2",
          failed_channels: ["chat" as const, "draft" as const],
        },
      ],
    ]);
    const d = decideEscalations(
      [
        cand("repeat", "Amber", 1),
        cand("today", "Amber", 1),
        cand("retry", "Amber", 1),
        cand("big", "Red", 9e6),
      ],
      states,
      new Map([["today", "Amber" as const]]),
      { ...opts, max: 1 },
    );
    const by = Object.fromEntries(d.map((x) => [x.account_id, x]));
    expect(by.repeat).toMatchObject({
      status: "suppressed",
      reason: "escalated at Amber on 2026-03-10; repeats after 7 days or on a worse status",
    });
    expect(by.today).toMatchObject({
      status: "deferred",
      reason: expect.stringMatching(/^deferred earlier today/),
    });
    expect(by.retry).toEqual({
      account_id: "retry",
      status: "selected",
      reason: "finishing the escalation of 2026-03-10: chat, draft failed then",
      key: "k2",
      rank: 1,
    });
    expect(by.big).toMatchObject({
      status: "deferred",
      reason: "over the limit of 1 escalations per scan",
      rank: 2,
    });
  });
});
