import { describe, expect, it } from "vitest";
import { tamScanOutcome } from "../../../src/domain/health/tam-scan.js";
import type { Ticket } from "../../../src/domain/types.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const aged = (n: number): Ticket[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    account_id: "acc_1",
    subject: "Integration down",
    priority: "P1",
    status: "Open",
    opened: hoursAgo(120),
  }));
const account = { status: "Active" as const, last_heartbeat: hoursAgo(1), health_status: "Green" as const };

describe("tamScanOutcome", () => {
  it("skips accounts the scan does not cover, with the reason", () => {
    expect(tamScanOutcome({ ...account, status: "Churned" }, [], NOW)).toEqual({
      kind: "skipped",
      reason: "status is Churned: not scanned",
    });
  });

  it("scores and escalates on a change the rules fire on", () => {
    const o = tamScanOutcome(account, aged(2), NOW);
    expect(o).toMatchObject({
      kind: "scored",
      score: 60,
      status: "Amber",
      previous_status: "Green",
      open_tickets: 2,
      aged_p1_p2: 2,
      escalate: true,
      detail: { escalation_reasons: ["status went from Green to Amber"] },
    });
  });

  it("escalates a deferred escalation still due, and nothing when the account is healthy", () => {
    const deferred = { status: "Amber" as const, scan_at: "2026-06-14T07:00:00.000Z", reasons: ["x"] };
    const still = tamScanOutcome({ ...account, health_status: "Amber" }, aged(2), NOW, deferred);
    expect(still).toMatchObject({
      escalate: true,
      detail: { escalation_reasons: ["escalation deferred on 2026-06-14 (x) is still due"] },
    });
    expect(tamScanOutcome(account, [], NOW, deferred)).toMatchObject({ status: "Green", escalate: false });
  });

  it("throws on unusable technical data (the scan turns it into a skip)", () => {
    expect(() => tamScanOutcome({ ...account, last_heartbeat: "yesterday" }, [], NOW)).toThrow();
  });
});
