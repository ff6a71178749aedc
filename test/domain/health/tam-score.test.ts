import { describe, expect, it } from "vitest";
import { addDays } from "../../../src/domain/calendar.js";
import { scoreTamHealth, shouldEscalate, tamStatusFor } from "../../../src/domain/health/tam-score.js";
import type { TamStatus, Ticket, TicketPriority, TicketStatus } from "../../../src/domain/types.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

let seq = 0;
const ticket = (priority: TicketPriority, ageHours: number, status: TicketStatus = "Open"): Ticket => ({
  id: `t${++seq}`,
  account_id: "acc_1",
  subject: "Something broke",
  priority,
  status,
  opened: hoursAgo(ageHours),
});
const openP3 = (n: number) => Array.from({ length: n }, () => ticket("P3", 1));

describe("scoreTamHealth", () => {
  it.each<[string, Ticket[], string | null, number, TamStatus]>([
    ["clean account", [], null, 100, "Green"],
    ["two P1/P2 tickets aged 5 days", [ticket("P1", 120), ticket("P2", 120)], null, 60, "Amber"],
    ["8 open tickets", openP3(8), null, 85, "Green"],
    ["150 h without heartbeat and 6 open tickets", openP3(6), hoursAgo(150), 65, "Amber"],
    [
      "everything bad",
      [...Array.from({ length: 4 }, () => ticket("P1", 100)), ...openP3(6)],
      hoursAgo(500),
      0,
      "Red",
    ],
    ["fresh heartbeat", [], hoursAgo(10), 100, "Green"],
    ["heartbeat 100 h old", [], hoursAgo(100), 85, "Green"],
    ["heartbeat exactly 72 h old", [], hoursAgo(72), 100, "Green"],
    ["heartbeat exactly 144 h old", [], hoursAgo(144), 85, "Green"],
    ["P1 exactly 72 h old is not aged", [ticket("P1", 72)], null, 100, "Green"],
    ["aged P3/P4 tickets cost nothing", [ticket("P3", 500), ticket("P4", 500)], null, 100, "Green"],
    [
      "resolved and closed tickets do not count",
      [ticket("P1", 500, "Resolved"), ticket("P2", 500, "Closed"), ...openP3(5)],
      null,
      100,
      "Green",
    ],
    ["pending tickets count as open", [ticket("P2", 100, "Pending")], null, 80, "Green"],
    ["5 open tickets are free", openP3(5), null, 100, "Green"],
    ["three aged P1s -> 40 Amber", [ticket("P1", 80), ticket("P1", 80), ticket("P1", 80)], null, 40, "Amber"],
    ["score 35 is Red", [ticket("P1", 80), ticket("P1", 80), ...openP3(5)], hoursAgo(100), 35, "Red"],
  ])("%s", (_name, tickets, heartbeat, score, status) => {
    const r = scoreTamHealth({ tickets, last_heartbeat: heartbeat, now: NOW });
    expect(r.score).toBe(score);
    expect(r.status).toBe(status);
    // The penalties explain the whole score; only the clamp at 0 may hide some.
    expect(Math.max(0, 100 - r.penalties.reduce((sum, p) => sum + p.points, 0))).toBe(score);
  });

  it("explains each penalty and counts open and aged tickets", () => {
    const r = scoreTamHealth({
      tickets: [
        ticket("P1", 120),
        ticket("P2", 120),
        ticket("P2", 1),
        ...openP3(4),
        ticket("P1", 500, "Closed"),
      ],
      last_heartbeat: hoursAgo(150),
      now: NOW,
    });
    expect(r.open_tickets).toBe(7);
    expect(r.aged_p1_p2).toBe(2);
    expect(r.penalties).toEqual([
      { reason: "2 open P1/P2 ticket(s) older than 72 h", points: 40 },
      { reason: "7 open tickets, 2 beyond 5", points: 10 },
      { reason: "no integration heartbeat for 150 h (over 144 h)", points: 30 },
    ]);
    expect(r.score).toBe(20);
  });

  it("rejects an unparseable ticket date", () => {
    const bad = { ...ticket("P1", 1), opened: "last Tuesday" };
    expect(() => scoreTamHealth({ tickets: [bad], last_heartbeat: null, now: NOW })).toThrow(RangeError);
  });

  it("maps scores to status at 40 and 70", () => {
    expect([0, 39, 40, 69, 70, 100].map(tamStatusFor)).toEqual([
      "Red",
      "Red",
      "Amber",
      "Amber",
      "Green",
      "Green",
    ]);
  });

  it("does not depend on the clock", () => {
    const later = addDays(NOW, 10);
    const tickets = [ticket("P1", 1)];
    expect(scoreTamHealth({ tickets, last_heartbeat: null, now: NOW }).score).toBe(100);
    expect(scoreTamHealth({ tickets, last_heartbeat: null, now: later }).score).toBe(80);
  });
});

describe("shouldEscalate", () => {
  it.each<[string, number, TamStatus, TamStatus | null, boolean, string[]]>([
    ["score below 40, already Red", 30, "Red", "Red", true, ["score 30 is below 40"]],
    [
      "became Red from Amber",
      35,
      "Red",
      "Amber",
      true,
      ["score 35 is below 40", "status became Red (was Amber)"],
    ],
    ["first scan Red", 10, "Red", null, true, ["score 10 is below 40", "status became Red (was unknown)"]],
    ["Green -> Amber", 65, "Amber", "Green", true, ["status went from Green to Amber"]],
    ["stays Amber", 65, "Amber", "Amber", false, []],
    ["Red -> Amber (recovering)", 50, "Amber", "Red", false, []],
    ["first scan Amber", 50, "Amber", null, false, []],
    ["stays Green", 90, "Green", "Green", false, []],
    ["Amber -> Green", 90, "Green", "Amber", false, []],
  ])("%s", (_name, score, status, previous, escalate, reasons) => {
    expect(shouldEscalate({ score, status }, previous)).toEqual({ escalate, reasons });
  });
});
