import { describe, expect, it } from "vitest";
import {
  deferredEarlier,
  isRepeat,
  type NotificationCandidate,
  type NotificationDecision,
  selectNotifications,
} from "../../src/domain/notifications.js";

const NOW = new Date("2026-03-11T07:00:00Z");

interface Subject {
  id: string;
  value: number;
}
const cand = (
  id: string,
  severity: number,
  extra: Partial<NotificationCandidate<Subject>> = {},
): NotificationCandidate<Subject> => ({
  subject: { id, value: severity * 10 },
  level: `L${severity}`,
  severity,
  ...extra,
});
const policy = {
  now: NOW,
  budget: 2,
  repeatDays: 7,
  order: (a: Subject, b: Subject) => b.value - a.value || a.id.localeCompare(b.id),
  newKey: (s: Subject) => `key:${s.id}`,
};
const byId = (ds: NotificationDecision<Subject>[]) => Object.fromEntries(ds.map((d) => [d.subject.id, d]));

describe("isRepeat", () => {
  const last = { severity: 2, at: "2026-03-08T07:00:00Z" };
  it.each([
    ["same severity within the window", 2, 7, true],
    ["lower severity within the window", 1, 7, true],
    ["worse since", 3, 7, false],
    ["the window passed", 2, 3, false],
  ] as const)("%s -> %s", (_name, severity, days, repeat) => {
    expect(isRepeat(severity, last, NOW, days)).toBe(repeat);
  });

  it("takes an unreadable instant for no repeat", () => {
    expect(isRepeat(2, { severity: 2, at: "last week" }, NOW, 7)).toBe(false);
  });
});

describe("deferredEarlier", () => {
  it("holds a deferral unless the level got worse", () => {
    expect(deferredEarlier(2, 2)).toBe(true);
    expect(deferredEarlier(1, 2)).toBe(true);
    expect(deferredEarlier(3, 2)).toBe(false);
    expect(deferredEarlier(3, undefined)).toBe(false);
  });
});

describe("selectNotifications", () => {
  it("selects up to the budget in the caller's order and defers the rest with their rank", () => {
    const d = selectNotifications([cand("a", 1), cand("b", 3), cand("c", 2)], policy);
    expect(d.map((x) => [x.subject.id, x.status])).toEqual([
      ["b", "selected"],
      ["c", "selected"],
      ["a", "deferred"],
    ]);
    expect(byId(d).b).toMatchObject({ rank: 1, key: "key:b", unfinished: null });
    expect(byId(d).a).toMatchObject({ cause: "budget", rank: 3 });
  });

  it("suppresses repeats, and lists suppressed and deferred-today accounts first", () => {
    const last = { level: "L2", severity: 2, at: "2026-03-10T07:00:00Z", key: "old", failed_channels: null };
    const d = selectNotifications(
      [
        cand("new", 2),
        cand("repeat", 2, { last }),
        cand("rose", 3, { last }),
        cand("today", 2, { deferred: { day: "2026-03-11", severity: 2 } }),
        cand("yesterday", 1, { deferred: { day: "2026-03-10", severity: 2 } }),
      ],
      { ...policy, budget: 5 },
    );
    expect(d.slice(0, 2).map((x) => [x.subject.id, x.status])).toEqual([
      ["repeat", "suppressed"],
      ["today", "deferred"],
    ]);
    expect(byId(d).repeat).toMatchObject({ last });
    expect(byId(d).today).toMatchObject({ cause: "deferred_today" });
    expect(d.slice(2).map((x) => x.subject.id)).toEqual(["rose", "new", "yesterday"]);
  });

  it("finishes a notification with failed channels first, under its key, only at the same level", () => {
    const last = {
      level: "L1",
      severity: 1,
      at: "2026-03-10T07:00:00Z",
      key: "first-key",
      failed_channels: ["chat" as const],
    };
    const d = selectNotifications(
      [
        cand("big", 3),
        cand("retry", 1, { last }),
        cand("next", 2),
        cand("lower", 1, { last: { ...last, level: "L2", severity: 2 } }),
      ],
      policy,
    );
    expect(byId(d).retry).toMatchObject({
      status: "selected",
      rank: 1,
      key: "first-key",
      unfinished: { on: "2026-03-10", failed: ["chat"] },
    });
    expect(byId(d).big).toMatchObject({ status: "selected", rank: 2 });
    expect(byId(d).next).toMatchObject({ status: "deferred", cause: "budget", rank: 3 });
    // A level below the one whose channels failed is a plain repeat.
    expect(byId(d).lower).toMatchObject({ status: "suppressed" });
  });

  it("with a budget of 0 defers every contender", () => {
    const d = selectNotifications([cand("a", 3)], { ...policy, budget: 0 });
    expect(d).toEqual([
      { subject: { id: "a", value: 30 }, status: "deferred", cause: "budget", rank: 1, unfinished: null },
    ]);
  });
});
